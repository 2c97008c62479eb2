package dev.balora.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link CompareReport.Builder#build()} rejects run lists it cannot compare, naming what is wrong. */
class CompareReportValidatesRuns {
    private static String fails(CompareReport.Builder b) {
        return assertThrows(IllegalArgumentException.class, b::build).getMessage();
    }

    @Test
    void emptyRuns() {
        assertTrue(fails(CompareReport.builder().setRuns(List.of()).setBaseline("lora")).contains("no runs"));
        assertTrue(fails(CompareReport.builder().setBaseline("lora")).contains("no runs"));
    }

    @Test
    void baselineMissingOrUnknown() {
        assertTrue(fails(CompareReport.builder().setRuns(Runs.fiveSeeds())).contains("baseline"));
        String msg = fails(CompareReport.builder().setRuns(Runs.fiveSeeds()).setBaseline("dora"));
        assertTrue(msg.contains("'dora'") && msg.contains("[lora, pissa, balora]"), msg);
    }

    @Test
    void seedsThatDoNotPairUp() {
        List<RunOutcome> runs = new ArrayList<>(Runs.fiveSeeds());
        runs.removeIf(r -> r.method().equals("pissa") && r.seed() == 3);
        runs.add(new RunOutcome("pissa", 9, Map.of("accuracy", 0.7, "eval_loss", 0.6)));
        String msg = fails(CompareReport.builder().setRuns(runs).setBaseline("lora"));
        assertTrue(msg.contains("pissa") && msg.contains("missing [3]") && msg.contains("extra [9]"), msg);
    }

    @Test
    void duplicateRun() {
        List<RunOutcome> runs = new ArrayList<>(Runs.fiveSeeds());
        runs.add(new RunOutcome("balora", 2, Map.of("accuracy", 0.7, "eval_loss", 0.6)));
        String msg = fails(CompareReport.builder().setRuns(runs).setBaseline("lora"));
        assertTrue(msg.contains("balora") && msg.contains("seed 2"), msg);
    }

    @Test
    void missingMetric() {
        String msg = fails(CompareReport.builder().setRuns(Runs.fiveSeeds()).setBaseline("lora")
                .optMetrics(List.of("f1")));
        assertTrue(msg.contains("'f1'") && msg.contains("accuracy"), msg);
        List<RunOutcome> disjoint = List.of(new RunOutcome("a", 0, Map.of("x", 1.0)),
                new RunOutcome("b", 0, Map.of("y", 1.0)));
        assertTrue(fails(CompareReport.builder().setRuns(disjoint).setBaseline("a")).contains("share no metric"));
    }

    @Test
    void methodOrderMustListEveryMethod() {
        String msg = fails(CompareReport.builder().setRuns(Runs.fiveSeeds()).setBaseline("lora")
                .optMethods(List.of("lora", "pissa")));
        assertTrue(msg.contains("[lora, pissa, balora]"), msg);
    }

    @Test
    void nonFiniteMetric() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RunOutcome("lora", 4, Map.of("matthews_correlation", Double.NaN)));
        assertTrue(e.getMessage().contains("matthews_correlation") && e.getMessage().contains("seed 4"));
    }

    @Test
    void validRunsBuildInOrder() {
        CompareReport r = CompareReport.builder().setRuns(Runs.fiveSeeds()).setBaseline("lora")
                .optMethods(List.of("balora", "lora", "pissa")).optMetrics(List.of("eval_loss", "accuracy")).build();
        assertEquals(List.of("balora", "lora", "pissa"), r.methods());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), r.seeds());
        assertEquals("eval_loss", r.primary().metric());
        assertEquals(MetricDirection.LOWER_IS_BETTER, r.primary().direction());
        assertEquals(2, r.primary().comparisons().size());
        assertEquals("balora", r.runs().get(0).method());
    }
}
