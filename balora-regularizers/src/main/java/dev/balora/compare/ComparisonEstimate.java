package dev.balora.compare;

import dev.balora.recipe.FineTune;
import dev.balora.recipe.FineTuneResult;
import dev.balora.recipe.OptimizationSettings;
import dev.balora.recipe.RunLayout;
import dev.balora.train.StepRecord;
import dev.balora.train.TrainingListener;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What a comparison will take: a three-step probe of its dearest unfinished run, scaled to every run left. */
final class ComparisonEstimate {

    private ComparisonEstimate() {}

    /** Times a short probe of the first unfinished run; returns the line that says what the rest should take. */
    static String of(Comparison c, List<Comparison.Pending> pending) {
        List<Comparison.Pending> todo = pending.stream()
                .filter(p -> !Files.isRegularFile(new RunLayout(p.dir()).summary())).toList();
        if (todo.isEmpty()) {
            return "every run is finished; writing the report";
        }
        // The dearest contestant (BA-LoRA runs the reference pass) bounds the per-step cost.
        Comparison.Pending probe = todo.stream().filter(p -> p.method().method().regularized()).findFirst()
                .orElse(todo.get(0));
        List<Double> stepSeconds = new ArrayList<>();
        FineTune.Builder fb = c.recipe(probe.method(), probe.seed(), probe.grid() ? c.b.lrGrid.get(0) : Double.NaN,
                probe.grid());
        // Resolved once per kind of run: the budget of a search run and of a seed run differ, nothing else does.
        OptimizationSettings seedRun = budget(c, false);
        OptimizationSettings searchRun = c.b.lrGrid.isEmpty() ? seedRun : budget(c, true);
        OptimizationSettings o = probe.grid() ? searchRun : seedRun;
        fb.optOptimization(o.toBuilder().optMaxSteps(3).optEvalEvery(0).optCheckpointEvery(0).optKeepCheckpoints(1)
                .build())
                .optEvalBeforeTraining(true).optListener(new TrainingListener() {
                    @Override
                    public void onStep(StepRecord r) {
                        stepSeconds.add(r.seconds());
                    }
                });
        FineTuneResult r = fb.build().run();
        double step = stepSeconds.stream().mapToDouble(Double::doubleValue).sorted().skip(stepSeconds.size() / 2)
                .findFirst().orElse(0);
        double evalSeconds = Math.max(0, (r.trainSeconds() - stepSeconds.stream().mapToDouble(Double::doubleValue)
                .sum()) / 2);
        double setup = Math.max(0, r.wallSeconds() - r.trainSeconds());
        double total = 0;
        for (Comparison.Pending p : todo) {
            OptimizationSettings po = p.grid() ? searchRun : seedRun;
            int trainSize = p.grid() && c.b.gridTrainLimit > 0 ? Math.min(c.b.gridTrainLimit, r.trainExamples())
                    : r.trainExamples();
            int steps = po.totalSteps(trainSize);
            int perEpoch = Math.max(1, po.stepsPerEpoch(trainSize));
            // The trainer evaluates at every epoch end, every evalEvery steps and after the last step.
            int evals = steps / perEpoch + (steps % perEpoch == 0 ? 0 : 1)
                    + (po.evalEvery() > 0 ? steps / po.evalEvery() : 0);
            total += setup + steps * step + evals * evalSeconds;
        }
        return String.format(Locale.ROOT, "estimate: %d of %d runs to do, about %.0f min "
                + "(probe: %.2f s/step, %.1f s per evaluation, %.1f s setup)", todo.size(), pending.size(),
                total / 60, step, evalSeconds, setup);
    }

    /** The resolved optimisation settings of a seed run or a search run (any contestant: they share them). */
    private static OptimizationSettings budget(Comparison c, boolean grid) {
        MethodSpec first = c.b.methods.get(0);
        return c.recipe(first, c.b.seeds.get(0), grid ? c.b.lrGrid.get(0) : Double.NaN, grid).build().settings()
                .optimization();
    }

}
