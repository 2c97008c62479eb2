package dev.balora.data.glue;

import dev.balora.data.LabelType;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The GLUE tasks and their TSV layouts: which columns hold the sentences and the label, and the label names in
 * Hugging Face's {@code glue} dataset order (so class ids match models fine-tuned elsewhere).
 */
public enum GlueTask {
    /** Corpus of Linguistic Acceptability: no header; columns source, label, original label, sentence. */
    COLA("CoLA", false, "3", null, "1", List.of("0", "1")),
    /** Stanford Sentiment Treebank: {@code sentence}, {@code label}. */
    SST2("SST-2", true, "sentence", null, "label", List.of("0", "1")),
    /** Microsoft Research Paraphrase Corpus: {@code Quality}, ids, {@code #1 String}, {@code #2 String}. */
    MRPC("MRPC", true, "#1 String", "#2 String", "Quality", List.of("0", "1")),
    /** Quora Question Pairs: {@code question1}, {@code question2}, {@code is_duplicate}. */
    QQP("QQP", true, "question1", "question2", "is_duplicate", List.of("0", "1")),
    /** Semantic Textual Similarity: {@code sentence1}, {@code sentence2}, {@code score} in [0, 5] (regression). */
    STSB("STS-B", true, "sentence1", "sentence2", "score", List.of()),
    /** Multi-Genre NLI: {@code sentence1}, {@code sentence2}, {@code gold_label}; dev matched and mismatched. */
    MNLI("MNLI", true, "sentence1", "sentence2", "gold_label", List.of("entailment", "neutral", "contradiction")),
    /** Question NLI: {@code question}, {@code sentence}, {@code label}. */
    QNLI("QNLI", true, "question", "sentence", "label", List.of("entailment", "not_entailment")),
    /** Recognizing Textual Entailment: {@code sentence1}, {@code sentence2}, {@code label}. */
    RTE("RTE", true, "sentence1", "sentence2", "label", List.of("entailment", "not_entailment")),
    /** Winograd NLI: {@code sentence1}, {@code sentence2}, {@code label}. */
    WNLI("WNLI", true, "sentence1", "sentence2", "label", List.of("0", "1"));

    private final String directory;
    private final boolean header;
    private final String textColumn;
    private final String pairColumn;
    private final String labelColumn;
    private final List<String> labels;

    GlueTask(String directory, boolean header, String textColumn, String pairColumn, String labelColumn,
            List<String> labels) {
        this.directory = directory;
        this.header = header;
        this.textColumn = textColumn;
        this.pairColumn = pairColumn;
        this.labelColumn = labelColumn;
        this.labels = labels;
    }

    /** The folder name in the GLUE distribution, e.g. {@code SST-2}. */
    public String directory() {
        return directory;
    }

    /** Whether the files start with a header row. */
    public boolean hasHeader() {
        return header;
    }

    /** The sentence column: a header name, or a 0-based index for header-less files. */
    public String textColumn() {
        return textColumn;
    }

    /** The second sentence column, or null for single-sentence tasks. */
    public String pairColumn() {
        return pairColumn;
    }

    /** The label column: a header name, or a 0-based index for header-less files. */
    public String labelColumn() {
        return labelColumn;
    }

    /** Whether examples are sentence pairs. */
    public boolean isPair() {
        return pairColumn != null;
    }

    /** Classification or regression. */
    public LabelType labelType() {
        return labels.isEmpty() ? LabelType.REGRESSION : LabelType.CLASSIFICATION;
    }

    /** The class names in id order (empty for regression). */
    public List<String> labels() {
        return labels;
    }

    /** Number of model outputs: classes, or 1 for regression. */
    public int numLabels() {
        return labels.isEmpty() ? 1 : labels.size();
    }

    /** The training file of this task under a GLUE root folder. */
    public Path trainFile(Path glueRoot) {
        return glueRoot.resolve(directory).resolve("train.tsv");
    }

    /** The (matched, for MNLI) development file under a GLUE root folder. */
    public Path devFile(Path glueRoot) {
        return glueRoot.resolve(directory).resolve(this == MNLI ? "dev_matched.tsv" : "dev.tsv");
    }

    /** The development files: MNLI has matched and mismatched; the others one. */
    public List<Path> devFiles(Path glueRoot) {
        if (this == MNLI) {
            Path dir = glueRoot.resolve(directory);
            return List.of(dir.resolve("dev_matched.tsv"), dir.resolve("dev_mismatched.tsv"));
        }
        return List.of(devFile(glueRoot));
    }

    /**
     * Parses a task name as used on command lines: {@code sst2}, {@code SST-2}, {@code sts-b}, {@code cola}...
     *
     * @throws IllegalArgumentException listing the known names
     */
    public static GlueTask parse(String name) {
        String key = name.toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (GlueTask t : values()) {
            if (t.name().equals(key)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown GLUE task '" + name
                + "'; known: cola, sst2, mrpc, qqp, stsb, mnli, qnli, rte, wnli");
    }
}
