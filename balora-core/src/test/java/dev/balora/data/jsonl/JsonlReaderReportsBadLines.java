package dev.balora.data.jsonl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balora.data.glue.BadRow;
import dev.balora.data.glue.BadRowPolicy;
import dev.balora.data.glue.DataFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layouts are detected from the first line; every bad line is reported with its file and line number. */
class JsonlReaderReportsBadLines {

    @Test
    void readsEachLayout(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.jsonl");
        Files.writeString(a, "{\"prompt\": \"Hi\", \"response\": \"there\"}\n\n{\"prompt\": \"\", \"response\": \"x\"}\n");
        List<PromptResponse> p = JsonlReader.builder().build().read(a);
        assertEquals(2, p.size());
        assertEquals("there", p.get(0).response());
        assertEquals(a + ":3", p.get(1).source());

        Path b = dir.resolve("b.jsonl");
        Files.writeString(b, "{\"question\": \"1+1?\", \"answer\": \"#### 2\"}\n");
        assertEquals("Question: 1+1?\nAnswer: ", JsonlReader.builder().build().read(b).get(0).prompt());

        Path c = dir.resolve("c.jsonl");
        Files.writeString(c, "{\"prompt_ids\": [1, 4], \"response_ids\": [5, 6, 7]}\n");
        PromptResponse ids = JsonlReader.builder().build().read(c).get(0);
        assertArrayEquals(new long[] {1, 4}, ids.promptIds());
        assertArrayEquals(new long[] {5, 6, 7}, ids.responseIds());
    }

    @Test
    void everyBadLineIsNamed(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, String.join("\n",
                "{\"prompt_ids\": [1], \"response_ids\": [5]}",
                "{\"prompt_ids\": [1], \"response_ids\": [5.5]}",
                "not json",
                "{\"prompt\": \"a\", \"response\": \"b\"}",
                "{\"prompt_ids\": [1], \"response_ids\": []}",
                "[1, 2]",
                "{\"prompt_ids\": [-3], \"response_ids\": [5]}") + "\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> JsonlReader.builder().build().read(f));
        String m = e.getMessage();
        assertEquals(2, e.line());
        assertTrue(m.contains("6 bad line(s)"), m);
        for (int line = 2; line <= 7; line++) {
            assertTrue(m.contains(f + ":" + line + ": "), "line " + line + " in " + m);
        }
        assertTrue(m.contains("response_ids[0] = 5.5"), m);
        assertTrue(m.contains("not valid JSON"), m);
        assertTrue(m.contains("layout TOKEN_IDS"), m);
        assertTrue(m.contains("is empty"), m);
    }

    @Test
    void skipPolicyKeepsGoodLinesAndNamesEachSkippedOne(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("mixed.jsonl");
        Files.writeString(f, String.join("\n",
                "{\"prompt_ids\": [1], \"response_ids\": [5]}",
                "not json",
                "{\"prompt_ids\": [2], \"response_ids\": [6, 7]}",
                "{\"prompt_ids\": [1], \"response_ids\": []}") + "\n");
        JsonlData data = JsonlReader.builder().optBadRows(BadRowPolicy.SKIP).build().readFile(f);
        assertEquals(2, data.examples().size());
        assertArrayEquals(new long[] {6, 7}, data.examples().get(1).responseIds());
        assertEquals(List.of(2, 4), data.skipped().stream().map(BadRow::line).toList());
        assertTrue(data.skipped().get(1).toString().startsWith(f + ":4: "), data.skipped().get(1).toString());
        assertTrue(data.skipped().get(1).reason().contains("is empty"), data.skipped().get(1).reason());

        Path allBad = dir.resolve("all-bad.jsonl");
        Files.writeString(allBad, "not json\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> JsonlReader.builder().optBadRows(BadRowPolicy.SKIP).build().read(allBad));
        assertTrue(e.getMessage().contains("holds no example") && e.getMessage().contains(allBad + ":1"),
                e.getMessage());
    }

    @Test
    void unknownKeysAndEmptyFilesAreErrors(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("keys.jsonl");
        Files.writeString(f, "{\"input\": \"a\", \"output\": \"b\"}\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> JsonlReader.builder().build().read(f));
        assertTrue(e.getMessage().contains(f + ":1") && e.getMessage().contains("no known layout"), e.getMessage());
        Path empty = dir.resolve("empty.jsonl");
        Files.writeString(empty, "\n");
        assertThrows(DataFormatException.class, () -> JsonlReader.builder().build().read(empty));
    }
}
