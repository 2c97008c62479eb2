package dev.balora.data.glue;

import dev.balora.data.Example;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads a GLUE TSV file of one task into labelled {@link Example}s. */
public final class GlueReader {
    private static final Logger LOG = LoggerFactory.getLogger(GlueReader.class);
    private static final char BOM = '\uFEFF';

    private final GlueTask task;
    private final BadRowPolicy policy;

    /**
     * Creates a reader.
     *
     * @param task the layout to expect
     * @param policy what to do with malformed rows
     */
    public GlueReader(GlueTask task, BadRowPolicy policy) {
        this.task = Objects.requireNonNull(task);
        this.policy = Objects.requireNonNull(policy);
    }

    /** Reads the task's training file under a GLUE root folder. */
    public GlueData readTrain(Path glueRoot) {
        return read(task.trainFile(glueRoot));
    }

    /** Reads the task's (matched) development file under a GLUE root folder. */
    public GlueData readDev(Path glueRoot) {
        return read(task.devFile(glueRoot));
    }

    /**
     * Reads one file.
     *
     * @param file a TSV file in the task's layout, with labels (GLUE test files have none)
     * @return the examples and the skipped rows
     * @throws DataFormatException when the file lacks a needed column, or at the first bad row under FAIL
     */
    public GlueData read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file, 0, "no such file (expected the " + task.directory()
                    + " layout of GLUE)");
        }
        List<Example> examples = new ArrayList<>();
        List<BadRow> skipped = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            int width = -1;
            int textCol;
            int pairCol = -1;
            int labelCol;
            if (task.hasHeader()) {
                String head = in.readLine();
                lineNo++;
                if (head == null) {
                    throw new DataFormatException(file, 1, "empty file: expected a header row");
                }
                String[] names = split(stripBom(head));
                width = names.length;
                textCol = column(file, names, task.textColumn());
                if (task.isPair()) {
                    pairCol = column(file, names, task.pairColumn());
                }
                labelCol = column(file, names, task.labelColumn());
            } else {
                textCol = Integer.parseInt(task.textColumn());
                labelCol = Integer.parseInt(task.labelColumn());
            }
            int needed = Math.max(textCol, Math.max(pairCol, labelCol)) + 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (lineNo == 1) {
                    line = stripBom(line);
                }
                if (line.isBlank()) {
                    continue; // a trailing empty line is not a row
                }
                String problem = null;
                Example example = null;
                String[] f = split(line);
                if (width > 0 && f.length != width) {
                    problem = "expected " + width + " tab-separated fields (as in the header), found " + f.length;
                } else if (f.length < needed) {
                    problem = "expected at least " + needed + " tab-separated fields, found " + f.length;
                } else {
                    String origin = file.getFileName() + ":" + lineNo;
                    String text = f[textCol].strip();
                    String pair = pairCol >= 0 ? f[pairCol].strip() : null;
                    if (text.isEmpty() || (pair != null && pair.isEmpty())) {
                        problem = "empty sentence";
                    } else {
                        String labelText = f[labelCol].strip();
                        Float label = parseLabel(labelText);
                        if (label == null) {
                            problem = "label '" + labelText + "' is not one of "
                                    + (task.labels().isEmpty() ? "a number in [0, 5]" : task.labels());
                        } else {
                            example = new Example(text, pair, label, origin);
                        }
                    }
                }
                if (problem != null) {
                    if (policy == BadRowPolicy.FAIL) {
                        throw new DataFormatException(file, lineNo, problem);
                    }
                    BadRow bad = new BadRow(file, lineNo, problem);
                    LOG.warn("skipping bad row {}", bad);
                    skipped.add(bad);
                } else {
                    examples.add(example);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (!skipped.isEmpty()) {
            LOG.warn("{}: skipped {} bad row(s), read {} example(s)", file, skipped.size(), examples.size());
        }
        return new GlueData(task, file, examples, skipped);
    }

    private Float parseLabel(String text) {
        if (task.labels().isEmpty()) {
            try {
                float v = Float.parseFloat(text);
                return Float.isFinite(v) && v >= 0f && v <= 5f ? v : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        int id = task.labels().indexOf(text);
        return id < 0 ? null : (float) id;
    }

    private static int column(Path file, String[] header, String name) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].strip().equals(name)) {
                return i;
            }
        }
        throw new DataFormatException(file, 1, "header has no column '" + name + "'; it has "
                + Arrays.toString(header));
    }

    private static String stripBom(String s) {
        return !s.isEmpty() && s.charAt(0) == BOM ? s.substring(1) : s;
    }

    private static String[] split(String line) {
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        return line.split("\t", -1);
    }
}
