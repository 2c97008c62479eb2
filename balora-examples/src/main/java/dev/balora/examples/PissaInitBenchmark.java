package dev.balora.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.balora.adapter.AdapterConfig;
import dev.balora.adapter.AdapterInit;
import dev.balora.adapter.InitMethod;
import dev.balora.adapter.LoraModel;
import dev.balora.adapter.PissaFastInit;
import dev.balora.adapter.PissaInit;
import dev.balora.recipe.ModelResolver;
import dev.balora.model.Models;
import dev.balora.model.PretrainedModel;
import dev.balora.nn.Linear;
import dev.balora.onnx.EmbeddedModel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Measures PiSSA init time (not a test): exact (EJML, float64) and fast (randomized, niter 4, oversampling 8)
 * for all-linear r=8 on all-MiniLM-L6-v2, and for one 4096 x 4096 matrix at r=128.
 *
 * <p>Usage: {@code java -cp balora.jar dev.balora.examples.PissaInitBenchmark [size] [rank] [skip-exact-big]}.
 */
public final class PissaInitBenchmark {

    private PissaInitBenchmark() {}

    /**
     * Runs the benchmark and prints one line per measurement.
     *
     * @param args optional: matrix size (default 4096), rank (default 128), "fast-only" to skip the big exact SVD
     */
    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 4096;
        int rank = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        boolean fastOnly = args.length > 2 && args[2].equals("fast-only");
        Path miniLm = ModelResolver.embedded(EmbeddedModel.ALL_MINILM_L6_V2);
        for (InitMethod init : new InitMethod[] {InitMethod.PISSA_FAST, InitMethod.PISSA}) {
            try (PretrainedModel model = Models.load(miniLm)) {
                AdapterConfig config = AdapterConfig.builder().setTargets("all-linear").optRank(8).optAlpha(8)
                        .optInit(init).optNiter(4).optOversampling(8).build();
                long t0 = System.nanoTime();
                LoraModel lora = LoraModel.attach(model, config);
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "all-MiniLM-L6-v2 all-linear r=8 %s: %d Linears in %.2f s%n", init,
                        lora.adapters().size(), s);
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Random random = new Random(0);
            float[] w = new float[size * size];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (random.nextGaussian() / Math.sqrt(size));
            }
            NDArray weight = m.create(w, new Shape(size, size));
            time(m, weight, new PissaFastInit(4, 8, 0), "PISSA_FAST niter=4 oversampling=8", size, rank);
            if (!fastOnly) {
                time(m, weight, new PissaInit(), "PISSA exact (EJML float64)", size, rank);
            }
        }
    }

    private static void time(NDManager m, NDArray weight, AdapterInit init, String name, int size, int rank) {
        try (NDManager scope = m.newSubManager()) {
            Linear linear = new Linear("proj", weight.duplicate(), null);
            long t0 = System.nanoTime();
            AdapterInit.Factors f = init.create("proj", linear, rank, 1.0, scope);
            linear.weight().array().subi(f.b().matMul(f.a()));
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "%dx%d r=%d %s: %.2f s%n", size, size, rank, name, s);
        }
    }
}
