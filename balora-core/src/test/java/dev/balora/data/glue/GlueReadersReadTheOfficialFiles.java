package dev.balora.data.glue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balora.data.Example;
import dev.balora.fixtures.SharedData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Counts from ../shared/README.md; first rows checked against the files by eye. */
class GlueReadersReadTheOfficialFiles {

    private static GlueData read(GlueTask task, String split) {
        Path root = SharedData.require("data/glue");
        Path file = split.equals("train") ? task.trainFile(root) : task.devFile(root);
        GlueData d = new GlueReader(task, BadRowPolicy.FAIL).read(file);
        assertTrue(d.skipped().isEmpty());
        return d;
    }

    @Test
    void countsMatchTheOfficialSplits() {
        assertEquals(8551, read(GlueTask.COLA, "train").size());
        assertEquals(1043, read(GlueTask.COLA, "dev").size()); // its last line has no newline
        assertEquals(67349, read(GlueTask.SST2, "train").size());
        assertEquals(872, read(GlueTask.SST2, "dev").size());
        assertEquals(3668, read(GlueTask.MRPC, "train").size());
        assertEquals(408, read(GlueTask.MRPC, "dev").size());
        assertEquals(2490, read(GlueTask.RTE, "train").size());
        assertEquals(277, read(GlueTask.RTE, "dev").size());
        assertEquals(5749, read(GlueTask.STSB, "train").size());
        assertEquals(1500, read(GlueTask.STSB, "dev").size());
        assertEquals(635, read(GlueTask.WNLI, "train").size());
        assertEquals(71, read(GlueTask.WNLI, "dev").size());
        assertEquals(5463, read(GlueTask.QNLI, "dev").size());
    }

    @Test
    void columnsAndLabelsLandWhereTheyShould() {
        Example sst = read(GlueTask.SST2, "train").examples().get(0);
        assertEquals("hide new secretions from the parental units", sst.text());
        assertNull(sst.textPair());
        assertEquals(0, sst.classLabel());
        assertEquals("train.tsv:2", sst.origin());

        Example cola = read(GlueTask.COLA, "dev").examples().get(0);
        assertEquals("The sailors rode the breeze clear of the rocks.", cola.text());
        assertEquals(1, cola.classLabel());

        Example mrpc = read(GlueTask.MRPC, "dev").examples().get(0); // header starts with a byte-order mark
        assertTrue(mrpc.text().startsWith("He said the foodservice pie business"));
        assertTrue(mrpc.textPair().startsWith("\" The foodservice pie business does not fit"));
        assertEquals(1, mrpc.classLabel());

        Example sts = read(GlueTask.STSB, "dev").examples().get(1);
        assertEquals("A young child is riding a horse.", sts.text());
        assertEquals("A child is riding a horse.", sts.textPair());
        assertEquals(4.75f, sts.label());

        GlueData qnli = read(GlueTask.QNLI, "dev");
        assertEquals("What came into force after the new constitution was herald?", qnli.examples().get(0).text());
        assertEquals(0, qnli.examples().get(0).classLabel()); // entailment
        assertEquals(1, qnli.examples().get(1).classLabel()); // not_entailment

        Example rte = read(GlueTask.RTE, "dev").examples().get(0);
        assertEquals("Christopher Reeve had an accident.", rte.textPair());
        assertEquals(1, rte.classLabel()); // not_entailment

        Example wnli = read(GlueTask.WNLI, "dev").examples().get(1);
        assertEquals("Susan did not answer.", wnli.textPair());
        assertEquals(1, wnli.classLabel());
    }
}
