package dev.balora.examples;

import ai.djl.ndarray.NDList;
import dev.balora.adapter.AdapterConfig;
import dev.balora.adapter.InitMethod;
import dev.balora.adapter.LoraModel;
import dev.balora.data.Batch;
import dev.balora.data.BatchOrder;
import dev.balora.data.jsonl.CausalLmExample;
import dev.balora.data.jsonl.CausalLmDataset;
import dev.balora.model.CausalLanguageModel;
import dev.balora.nn.Layers;
import dev.balora.objective.WeightSchedule;
import dev.balora.objective.WeightedObjective;
import dev.balora.regularizers.BaLoraPresets;
import dev.balora.train.StepContext;
import dev.balora.train.StepLoss;
import dev.balora.train.StepRecord;
import dev.balora.train.Trainer;
import dev.balora.train.TrainerConfig;
import dev.balora.train.TrainingListener;
import dev.balora.train.TrainingTask;
import dev.balora.train.lm.CausalLmTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Optimizer-step time of PiSSA vs BA-LoRA (NLG ICLR preset, every term on from step 0) on a random ~100M-parameter
 * Llama (vocabulary 32,000), batch 4 x sequence 256 with a 64-token prompt (not a test).
 *
 * <p>Usage: {@code java -cp balora.jar dev.balora.examples.NlgStepBenchmark [timed-steps] [rank] [threads]}.
 */
public final class NlgStepBenchmark {
    static final int BATCH = 4;
    static final int SEQ = 256;
    static final int PROMPT = 64;

    private NlgStepBenchmark() {}

    /**
     * Runs both methods and prints the mean step time of each and their ratio.
     *
     * @param args optional: timed steps (default 3, after 1 warm-up step), rank (default 16), torch threads
     */
    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        int timed = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int rank = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        ai.djl.engine.Engine.getInstance();
        if (args.length > 2) {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(Integer.parseInt(args[2]));
        }
        System.out.printf("torch intra-op threads %d, cores %d, load average at start: %s%n",
                ai.djl.pytorch.jni.JniUtils.getNumThreads(), Runtime.getRuntime().availableProcessors(),
                DecoderBenchmark.loadAverage());
        double pissa = run("pissa", false, timed, rank);
        double balora = run("balora", true, timed, rank);
        System.out.printf("BA-LoRA / PiSSA step time: %.3f (%.3f s / %.3f s)%n", balora / pissa, balora, pissa);
        System.out.printf("load average at end: %s%n", DecoderBenchmark.loadAverage());
    }

    private static double run(String name, boolean regularized, int timed, int rank) {
        try (CausalLanguageModel model = DecoderBenchmark.randomLlama()) {
            long params = Layers.count(model, false);
            long t0 = System.nanoTime();
            LoraModel.attach(model, AdapterConfig.builder().setTargets("q_proj", "k_proj", "v_proj", "o_proj",
                    "gate_proj", "up_proj", "down_proj").optRank(rank).optAlpha(rank).optInit(InitMethod.PISSA_FAST)
                    .optNiter(2).optSeed(1).build());
            System.out.printf("%s: %dM parameters, PiSSA-fast init r=%d in %.1f s%n", name, params / 1_000_000, rank,
                    (System.nanoTime() - t0) / 1e9);
            WeightedObjective objective = null;
            if (regularized) {
                // The ICLR preset's weights, with the two-phase terms switched on from the first step: the cost of
                // the full objective, not of its warm-up phase.
                objective = BaLoraPresets.nlgIclr().optDiversity(0.005, WeightSchedule.constant())
                        .optSvd(0.005, WeightSchedule.constant()).build();
            }
            Timed task = new Timed(CausalLmTask.builder().setModel(model).optObjective(objective).build());
            List<Double> seconds = new ArrayList<>();
            TrainerConfig config = TrainerConfig.builder().setBatchSize(BATCH).setLearningRate(2e-5f)
                    .optMaxSteps(timed + 1).optWeightDecay(0f).optSeed(3).optProgressBar(false).build();
            try (Trainer trainer = Trainer.builder().setModel(model).setTask(task).setTrainData(data(timed + 1))
                    .setConfig(config).optListener(new TrainingListener() {
                        @Override
                        public void onStep(StepRecord r) {
                            seconds.add(r.seconds());
                            System.out.printf("%s step %d: %.3f s, terms %s%n", name, r.step(), r.seconds(), r.terms());
                        }
                    }).build()) {
                trainer.fit();
            }
            double mean = seconds.subList(1, seconds.size()).stream().mapToDouble(Double::doubleValue).average()
                    .orElseThrow();
            System.out.printf("%s: mean step %.3f s over %d timed steps; reference pass %.3f s/step, trainable "
                    + "forward + objective %.3f s/step (timed steps)%n", name, mean, timed,
                    task.referenceSeconds / timed, task.lossSeconds / timed);
            return mean;
        }
    }

    private static CausalLmDataset data(int steps) {
        Random r = new Random(5);
        List<CausalLmExample> examples = new ArrayList<>();
        for (int i = 0; i < steps * BATCH; i++) {
            long[] ids = new long[SEQ];
            long[] labels = new long[SEQ];
            for (int t = 0; t < SEQ; t++) {
                ids[t] = 3 + r.nextInt(32000 - 3);
                labels[t] = t < PROMPT ? CausalLmExample.IGNORE : ids[t];
            }
            examples.add(new CausalLmExample(ids, labels, PROMPT));
        }
        return new CausalLmDataset(examples, 0, BatchOrder.SEQUENTIAL, 1);
    }

    /** Times the reference pass and the loss of a task (the backward and update are the rest of the step). */
    private static final class Timed implements TrainingTask {
        private final TrainingTask task;
        double referenceSeconds;
        double lossSeconds;

        Timed(TrainingTask task) {
            this.task = task;
        }

        @Override
        public NDList reference(Batch batch, StepContext context) {
            long t = System.nanoTime();
            NDList out = task.reference(batch, context);
            for (int i = 0; i < out.size(); i++) {
                out.get(i).getShape(); // results are computed eagerly; nothing to wait on
            }
            referenceSeconds += context.step() == 0 ? 0 : (System.nanoTime() - t) / 1e9;
            return out;
        }

        @Override
        public StepLoss loss(Batch batch, NDList reference, StepContext context) {
            long t = System.nanoTime();
            StepLoss out = task.loss(batch, reference, context);
            lossSeconds += context.step() == 0 ? 0 : (System.nanoTime() - t) / 1e9;
            return out;
        }
    }
}
