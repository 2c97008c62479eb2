package dev.balora.examples;

import dev.balora.train.StepRecord;
import dev.balora.train.TrainingListener;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Rich cell output for the notebooks, in whichever Java kernel runs them, and plain text elsewhere (the jshell tool,
 * the build's notebook test). rapaio-jupyter-kernel ({@code org.rapaio.jupyter.kernel.global.Global}), JJava
 * ({@code org.dflib.jjava.runtime.Display}) and IJava ({@code io.github.spencerpark.ijava.runtime.Display}) each
 * have a static {@code String display(Object)} and {@code void updateDisplay(String, Object)}; the first one found
 * on the class path is called by reflection, so balora depends on none of them. Images go out as {@code image/png}
 * (each kernel renders a {@link java.awt.image.RenderedImage} so), text as {@code text/plain}.
 */
public final class NotebookOutput {
    private static final String[] KERNEL_DISPLAYS = {
        "org.rapaio.jupyter.kernel.global.Global",      // rapaio-jupyter-kernel
        "org.dflib.jjava.runtime.Display",              // JJava
        "io.github.spencerpark.ijava.runtime.Display",  // IJava
    };
    private static volatile Kernel kernel;

    private NotebookOutput() {}

    /** Whether a Jupyter kernel's display API is at hand (else output falls back to text on standard output). */
    public static boolean inKernel() {
        return kernel() != null;
    }

    /**
     * Shows a PNG, GIF or JPEG file inline; outside a kernel prints where it is.
     *
     * @throws UncheckedIOException when the file cannot be read as an image
     */
    public static void image(Path file) {
        Kernel k = kernel();
        if (k != null) {
            BufferedImage image;
            try {
                image = ImageIO.read(file.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the image " + file, e);
            }
            if (image == null) {
                throw new UncheckedIOException(new IOException(file + " is not a PNG, GIF or JPEG image"));
            }
            if (k.display(image) != null) {
                return;
            }
        }
        System.out.println("image: " + file.toAbsolutePath() + " (shown inline in a Jupyter kernel)");
    }

    /**
     * A line of text that a kernel shows once and then replaces in place; outside a kernel each {@link #set} that
     * passes {@code print} is printed as a new line.
     */
    public static final class LiveLine {
        private final Kernel k;
        private String id;

        private LiveLine(Kernel k) {
            this.k = k;
        }

        /**
         * Sets the line's text.
         *
         * @param print whether to print it when no kernel can update it in place
         */
        public void set(String text, boolean print) {
            if (k != null) {
                if (id == null) {
                    id = k.display(text);
                    if (id != null) {
                        return;
                    }
                } else if (k.update(id, text)) {
                    return;
                }
            }
            if (print) {
                System.out.println(text);
            }
        }
    }

    /** A new live line; it shows nothing until its first {@link LiveLine#set}. */
    public static LiveLine liveLine() {
        return new LiveLine(kernel());
    }

    /**
     * A training listener that shows progress as one live line (step, share done, loss and its terms, time per
     * step, time left), updated after every step; the line appears in the output of the cell that trains. Outside
     * a kernel it prints that line every {@code printEvery} steps and after the last one.
     */
    public static TrainingListener trainingProgress(int printEvery) {
        if (printEvery < 1) {
            throw new IllegalArgumentException("printEvery must be at least 1, got " + printEvery);
        }
        return new TrainingListener() {
            private LiveLine line;
            private int total;
            private int first;
            private long t0;

            @Override
            public void onTrainingStart(int totalSteps, int startStep) {
                line = liveLine();
                total = totalSteps;
                first = startStep;
                t0 = System.nanoTime();
                line.set(String.format(Locale.ROOT, "step %d/%d: starting", startStep, totalSteps), false);
            }

            @Override
            public void onStep(StepRecord r) {
                if (line == null) {
                    onTrainingStart(r.step(), r.step() - 1);
                }
                double perStep = (System.nanoTime() - t0) / 1e9 / Math.max(1, r.step() - first);
                StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "step %d/%d (%3.0f %%)  loss %.4f",
                        r.step(), total, 100.0 * r.step() / Math.max(1, total), r.loss()));
                r.terms().forEach((name, v) -> text.append(String.format(Locale.ROOT, "  %s %.4f", name, v)));
                text.append(String.format(Locale.ROOT, "  %.2f s/step, %.0f s left%s", perStep,
                        perStep * Math.max(0, total - r.step()), r.skipped() ? "  (skipped)" : ""));
                line.set(text.toString(), r.step() % printEvery == 0 || r.step() == total);
            }
        };
    }

    private static Kernel kernel() {
        Kernel k = kernel;
        if (k == null) {
            k = Kernel.find();
            kernel = k;
        }
        return k == Kernel.NONE ? null : k;
    }

    /** One kernel's display methods. */
    private record Kernel(Method display, Method update) {
        static final Kernel NONE = new Kernel(null, null);

        static Kernel find() {
            for (ClassLoader loader : new ClassLoader[] {Thread.currentThread().getContextClassLoader(),
                    NotebookOutput.class.getClassLoader()}) {
                for (String name : KERNEL_DISPLAYS) {
                    try {
                        Class<?> c = Class.forName(name, true, loader);
                        return new Kernel(c.getMethod("display", Object.class),
                                c.getMethod("updateDisplay", String.class, Object.class));
                    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                        // not this kernel
                    }
                }
            }
            return NONE;
        }

        /** Displays {@code o}; its display id, or null when the kernel refused (e.g. none is running). */
        String display(Object o) {
            try {
                Object id = display.invoke(null, o);
                return id == null ? "" : id.toString();
            } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
                return null;
            }
        }

        boolean update(String id, Object o) {
            try {
                update.invoke(null, id, o);
                return true;
            } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
                return false;
            }
        }
    }
}
