package dev.balora.checkpoint;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Loads a {@code tokenizer.json} from a local path with DJL's HuggingFaceTokenizer, offline, with explicit
 * truncation and padding.
 *
 * <p>DJL's own defaults depend on the file (its {@code truncation} section) and silently cap lengths at 512;
 * here nothing is truncated or padded unless asked for, and a requested maximum length is honoured as given.
 * The caller closes the tokenizer (it holds native memory).
 */
public final class Tokenizers {

    /** How sequences of a batch are padded. */
    public enum Padding {
        /** No padding: every encoding has its own length. */
        NONE,
        /** Pad a batch to its longest sequence ({@code batchEncode}); single encodings stay as they are. */
        LONGEST,
        /** Pad every sequence to the maximum length. */
        MAX_LENGTH
    }

    private Tokenizers() {}

    /**
     * Loads a tokenizer that adds the model's special tokens and neither truncates nor pads.
     *
     * @param tokenizerJson a {@code tokenizer.json}, or a model directory holding one
     * @return the tokenizer; close it when done
     * @throws CheckpointException when the file is missing, unreadable or not a tokenizer
     */
    public static HuggingFaceTokenizer load(Path tokenizerJson) {
        return builder().setFile(tokenizerJson).build();
    }

    /** A builder for tokenizers with truncation and padding, as encoders need them. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a tokenizer from a local file; {@link #setFile} is required. */
    public static final class Builder {
        private Path file;
        private Integer maxLength;
        private Boolean truncation;
        private Padding padding = Padding.NONE;
        private boolean addSpecialTokens = true;

        private Builder() {}

        /** Sets the {@code tokenizer.json} (or a directory holding one). Required. */
        public Builder setFile(Path file) {
            this.file = file;
            return this;
        }

        /**
         * Sets the maximum number of tokens, special tokens included (e.g. the model's
         * {@code max_position_embeddings}); truncation to it is on unless switched off.
         */
        public Builder optMaxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        /** Switches truncation to the maximum length on or off (on by default once a maximum length is set). */
        public Builder optTruncation(boolean truncation) {
            this.truncation = truncation;
            return this;
        }

        /** Sets the padding; {@link Padding#NONE} by default. */
        public Builder optPadding(Padding padding) {
            this.padding = padding;
            return this;
        }

        /** Whether the model's special tokens ([CLS]/[SEP], BOS) are added; true by default. */
        public Builder optAddSpecialTokens(boolean addSpecialTokens) {
            this.addSpecialTokens = addSpecialTokens;
            return this;
        }

        /**
         * Loads the tokenizer.
         *
         * @throws IllegalArgumentException for inconsistent options
         * @throws CheckpointException when the file is missing, unreadable or not a tokenizer
         */
        public HuggingFaceTokenizer build() {
            if (file == null) {
                throw new IllegalArgumentException("setFile(tokenizer.json) is required");
            }
            if (padding == null) {
                throw new IllegalArgumentException("padding must not be null");
            }
            if (maxLength != null && maxLength <= 0) {
                throw new IllegalArgumentException("maxLength must be positive, got " + maxLength);
            }
            boolean truncate = truncation != null ? truncation : maxLength != null;
            if ((truncate || padding == Padding.MAX_LENGTH) && maxLength == null) {
                throw new IllegalArgumentException("truncation and MAX_LENGTH padding need optMaxLength(n)");
            }
            Path json = Files.isDirectory(file) ? file.resolve(HfCheckpoint.TOKENIZER) : file;
            if (!Files.isRegularFile(json)) {
                throw new CheckpointException(json, null, "tokenizer file is missing");
            }
            if (!Files.isReadable(json)) {
                throw new CheckpointException(json, null, "tokenizer file is not readable");
            }
            Map<String, String> options = new HashMap<>();
            options.put("addSpecialTokens", String.valueOf(addSpecialTokens));
            options.put("truncation", String.valueOf(truncate));
            options.put("padding", switch (padding) {
                case NONE -> "false";
                case LONGEST -> "true";
                case MAX_LENGTH -> "max_length";
            });
            if (maxLength != null) {
                options.put("maxLength", String.valueOf(maxLength));
                // DJL caps maxLength at modelMaxLength (512 unless told): a longer context must stay as asked.
                options.put("modelMaxLength", String.valueOf(maxLength));
            }
            try {
                return HuggingFaceTokenizer.newInstance(json, options);
            } catch (IOException | RuntimeException e) {
                throw new CheckpointException(json, null, "cannot load the tokenizer: " + e.getMessage(), e);
            }
        }
    }
}
