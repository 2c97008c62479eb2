package dev.balora.data.jsonl;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.balora.data.glue.BadRow;
import dev.balora.data.glue.BadRowPolicy;
import dev.balora.data.glue.DataFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads prompt/response pairs from a JSONL file (one JSON object per line, blank lines skipped). The layout is
 * given or detected from the first line; every line must then use it. Bad lines are reported as
 * {@code file:line: reason}: all together in one exception ({@link BadRowPolicy#FAIL}, the default), or each in a
 * warning while the good lines are kept ({@link BadRowPolicy#SKIP}).
 */
public final class JsonlReader {
    private static final Logger LOG = LoggerFactory.getLogger(JsonlReader.class);
    private static final int MAX_REPORTED = 10;

    private final JsonlLayout layout;
    private final PromptTemplate template;
    private final int limit;
    private final BadRowPolicy badRows;

    private JsonlReader(Builder b) {
        this.layout = b.layout;
        this.template = b.template;
        this.limit = b.limit;
        this.badRows = b.badRows;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a file.
     *
     * @param file a JSONL file
     * @return the pairs in file order (at most the configured limit)
     * @throws DataFormatException naming the file and every bad line (up to 10 listed) under
     *     {@link BadRowPolicy#FAIL}, or a file without a good line
     * @throws UncheckedIOException when the file cannot be read
     */
    public List<PromptResponse> read(Path file) {
        return readFile(file).examples();
    }

    /**
     * Reads a file and says which lines were skipped.
     *
     * @see #read(Path)
     */
    public JsonlData readFile(Path file) {
        List<PromptResponse> out = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        List<BadRow> skipped = new ArrayList<>();
        int badCount = 0;
        int firstBad = 0;
        JsonlLayout fixed = layout;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = r.readLine()) != null && (limit <= 0 || out.size() < limit)) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonObject o = parseObject(line);
                    JsonlLayout here = JsonlLayout.detect(o);
                    if (fixed == null) {
                        if (here == null) {
                            throw new IllegalArgumentException("no known layout: expected the keys prompt/response, "
                                    + "question/answer or prompt_ids/response_ids, got " + o.keySet());
                        }
                        fixed = here;
                    }
                    out.add(pair(o, fixed, file + ":" + number));
                } catch (IllegalArgumentException | IllegalStateException e) {
                    if (badRows == BadRowPolicy.SKIP) {
                        BadRow row = new BadRow(file, number, e.getMessage());
                        if (skipped.size() < MAX_REPORTED) {
                            LOG.warn("skipping {}", row);
                        }
                        skipped.add(row);
                        continue;
                    }
                    badCount++;
                    if (firstBad == 0) {
                        firstBad = number;
                    }
                    if (bad.size() < MAX_REPORTED) {
                        bad.add(file + ":" + number + ": " + e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (badCount > 0) {
            throw new DataFormatException(file, firstBad, badCount + " bad line(s)" + (badCount > bad.size()
                    ? " (first " + bad.size() + " listed)" : "") + ":\n  " + String.join("\n  ", bad));
        }
        if (skipped.size() > MAX_REPORTED) {
            LOG.warn("{}: {} bad line(s) skipped in all (first {} listed above)", file, skipped.size(), MAX_REPORTED);
        }
        if (out.isEmpty()) {
            throw new DataFormatException(file, 0, "holds no example" + (skipped.isEmpty() ? ""
                    : " (" + skipped.size() + " bad line(s) skipped, the first: " + skipped.get(0) + ")"));
        }
        return new JsonlData(file, List.copyOf(out), List.copyOf(skipped));
    }

    private static JsonObject parseObject(String line) {
        JsonElement e;
        try {
            e = JsonParser.parseString(line);
        } catch (RuntimeException ex) {
            throw new IllegalArgumentException("not valid JSON (" + ex.getMessage() + ")");
        }
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException("expected a JSON object, got " + abbreviate(line));
        }
        return e.getAsJsonObject();
    }

    private PromptResponse pair(JsonObject o, JsonlLayout l, String source) {
        if (!o.has(l.promptKey()) || !o.has(l.responseKey())) {
            throw new IllegalArgumentException("expected the keys " + l.promptKey() + " and " + l.responseKey()
                    + " (layout " + l + " of the first line), got " + o.keySet());
        }
        if (l == JsonlLayout.TOKEN_IDS) {
            long[] prompt = ids(o, l.promptKey());
            long[] response = ids(o, l.responseKey());
            if (response.length == 0) {
                throw new IllegalArgumentException(l.responseKey() + " is empty: nothing to learn");
            }
            return PromptResponse.ids(prompt, response, source);
        }
        String prompt = string(o, l.promptKey());
        String response = string(o, l.responseKey());
        if (response.isEmpty()) {
            throw new IllegalArgumentException(l.responseKey() + " is empty: nothing to learn");
        }
        return PromptResponse.text(l == JsonlLayout.GSM8K ? template.apply(prompt) : prompt, response, source);
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException(key + " must be a string, got " + e);
        }
        return e.getAsString();
    }

    private static long[] ids(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonArray()) {
            throw new IllegalArgumentException(key + " must be an array of token ids, got " + abbreviate(String.valueOf(e)));
        }
        JsonArray a = e.getAsJsonArray();
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement x = a.get(i);
            if (!x.isJsonPrimitive() || !((JsonPrimitive) x).isNumber()) {
                throw new IllegalArgumentException(key + "[" + i + "] is not a number: " + x);
            }
            double d = x.getAsDouble();
            if (d != Math.rint(d) || d < 0 || d > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(key + "[" + i + "] = " + x + " is not a token id (an integer >= 0)");
            }
            out[i] = (long) d;
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /** Builder of {@link JsonlReader}; everything is optional. */
    public static final class Builder {
        private JsonlLayout layout;
        private PromptTemplate template = PromptTemplate.GSM8K;
        private int limit;
        private BadRowPolicy badRows = BadRowPolicy.FAIL;

        private Builder() {}

        /** Require this layout (default: detected from the first line). */
        public Builder optLayout(JsonlLayout layout) {
            this.layout = layout;
            return this;
        }

        /** The template of GSM8K questions (default {@link PromptTemplate#GSM8K}). */
        public Builder optTemplate(PromptTemplate template) {
            this.template = Objects.requireNonNull(template, "template");
            return this;
        }

        /** Read at most this many examples (0, the default, = all). */
        public Builder optLimit(int limit) {
            if (limit < 0) {
                throw new IllegalArgumentException("limit must be >= 0, got " + limit);
            }
            this.limit = limit;
            return this;
        }

        /** Fail on bad lines ({@link BadRowPolicy#FAIL}, the default) or skip them with a warning. */
        public Builder optBadRows(BadRowPolicy badRows) {
            this.badRows = Objects.requireNonNull(badRows, "badRows");
            return this;
        }

        /** Builds. */
        public JsonlReader build() {
            return new JsonlReader(this);
        }
    }
}
