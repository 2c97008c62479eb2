package dev.balora.data.glue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlueReaderReportsBadRows {

    @TempDir
    Path tmp;

    private Path write(String name, String content) throws Exception {
        Path f = tmp.resolve(name);
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void failNamesFileAndLineSkipKeepsTheRest() throws Exception {
        Path f = write("sst.tsv", "sentence\tlabel\n"
                + "a fine film\t1\n"
                + "no label here\n" // line 3: one field
                + "dull\t7\n" // line 4: unknown label
                + "\t0\n" // line 5: empty sentence
                + "great fun\t1\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new GlueReader(GlueTask.SST2, BadRowPolicy.FAIL).read(f));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith(f + ":3: "), e.getMessage());
        assertTrue(e.getMessage().contains("expected 2 tab-separated fields"), e.getMessage());

        GlueData d = new GlueReader(GlueTask.SST2, BadRowPolicy.SKIP).read(f);
        assertEquals(2, d.size());
        assertEquals("great fun", d.examples().get(1).text());
        assertEquals(3, d.skipped().size());
        assertEquals(3, d.skipped().get(0).line());
        assertEquals(4, d.skipped().get(1).line());
        assertTrue(d.skipped().get(1).reason().contains("'7' is not one of [0, 1]"));
        assertEquals(5, d.skipped().get(2).line());
        assertEquals(f, d.skipped().get(2).file());
    }

    @Test
    void regressionScoresOutsideZeroToFiveAreBad() throws Exception {
        Path f = write("sts.tsv", "index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\tscore\n"
                + "0\tg\tf\ty\t0\tn\tn\tA man.\tA person.\t4.2\n"
                + "1\tg\tf\ty\t1\tn\tn\tA dog.\tA cat.\tfive\n"
                + "2\tg\tf\ty\t2\tn\tn\tA dog.\tA cat.\t5.5\n");
        GlueData d = new GlueReader(GlueTask.STSB, BadRowPolicy.SKIP).read(f);
        assertEquals(1, d.size());
        assertEquals(4.2f, d.examples().get(0).label());
        assertEquals(2, d.skipped().size());
    }

    @Test
    void mnliAndQqpLayoutsAreFoundByHeaderName() throws Exception {
        // MNLI dev has five annotator labels before gold_label; train has one. Columns are found by name.
        Path mnli = write("dev_matched.tsv", "index\tpromptID\tpairID\tgenre\tsentence1_binary_parse"
                + "\tsentence2_binary_parse\tsentence1_parse\tsentence2_parse\tsentence1\tsentence2\tlabel1\tlabel2"
                + "\tlabel3\tlabel4\tlabel5\tgold_label\n"
                + "0\t1\t1e\tgov\t(x)\t(y)\t(X)\t(Y)\tThe cat sat.\tA cat sat.\tentailment\tentailment\tneutral"
                + "\tentailment\tentailment\tentailment\n"
                + "1\t2\t2c\tgov\t(x)\t(y)\t(X)\t(Y)\tIt rained.\tIt was dry.\tcontradiction\tcontradiction"
                + "\tcontradiction\tneutral\tcontradiction\tcontradiction\n");
        GlueData d = new GlueReader(GlueTask.MNLI, BadRowPolicy.FAIL).read(mnli);
        assertEquals(2, d.size());
        assertEquals("It was dry.", d.examples().get(1).textPair());
        assertEquals(2, d.examples().get(1).classLabel()); // contradiction
        Path qqp = write("qqp.tsv", "id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate\n"
                + "0\t1\t2\tHow do I learn Java?\tWhat is the best way to learn Java?\t1\n"
                + "1\t3\t4\tWhy is the sky blue?\n"); // a truncated row, as QQP's train file has
        GlueData q = new GlueReader(GlueTask.QQP, BadRowPolicy.SKIP).read(qqp);
        assertEquals(1, q.size());
        assertEquals(3, q.skipped().get(0).line());
        assertEquals(GlueTask.MNLI, GlueTask.parse("mnli"));
        assertEquals(GlueTask.STSB, GlueTask.parse("sts-b"));
        assertEquals(GlueTask.SST2, GlueTask.parse("SST-2"));
        DataFormatException noColumn = assertThrows(DataFormatException.class,
                () -> new GlueReader(GlueTask.RTE, BadRowPolicy.SKIP).read(qqp));
        assertTrue(noColumn.getMessage().contains("no column 'sentence1'"), noColumn.getMessage());
    }
}
