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
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.EnumMap;
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
     * Runs both methods and prints the median step time of each, its parts, and their ratio.
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
        double[] pissa = run("pissa", false, timed, rank);
        double[] balora = run("balora", true, timed, rank);
        System.out.printf("BA-LoRA / PiSSA step time (medians): wall %.3f (%.3f s / %.3f s), thread CPU %.3f"
                + " (%.3f s / %.3f s)%n", balora[0] / pissa[0], balora[0], pissa[0], balora[1] / pissa[1], balora[1],
                pissa[1]);
        System.out.printf("load average at end: %s%n", DecoderBenchmark.loadAverage());
    }

    private static double[] run(String name, boolean regularized, int timed, int rank) {
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
            Timed timed0 = new Timed();
            CausalLmTask inner = CausalLmTask.builder().setModel(model).optObjective(objective)
                    .optPhaseMarks(timed0::mark).build();
            Timed task = timed0.wrap(inner);
            TrainerConfig config = TrainerConfig.builder().setBatchSize(BATCH).setLearningRate(2e-5f)
                    .optMaxSteps(timed + 1).optWeightDecay(0f).optSeed(3).optProgressBar(false).build();
            try (Trainer trainer = Trainer.builder().setModel(model).setTask(task).setTrainData(data(timed + 1))
                    .setConfig(config).optListener(new TrainingListener() {
                        @Override
                        public void onStep(StepRecord r) {
                            task.endStep(r.seconds());
                            System.out.printf("%s step %d: %.3f s (thread CPU %.3f s), terms %s%n", name, r.step(),
                                    r.seconds(), task.cpu(Part.STEP).get(task.cpu(Part.STEP).size() - 1),
                                    r.terms());
                        }
                    }).build()) {
                task.startStep();
                trainer.fit();
            }
            System.out.printf("%s: medians over %d timed steps (wall s / thread CPU s):%n", name, timed);
            for (Part part : Part.values()) {
                System.out.printf("  %-22s %7.3f / %7.3f%n", part.label, median(task.wall(part)),
                        median(task.cpu(part)));
            }
            return new double[] {median(task.wall(Part.STEP)), median(task.cpu(Part.STEP))};
        }
    }

    private static double median(List<Double> all) {
        List<Double> timedSteps = new ArrayList<>(all.subList(Math.min(1, all.size()), all.size()));
        if (timedSteps.isEmpty()) {
            return Double.NaN;
        }
        timedSteps.sort(null);
        int n = timedSteps.size();
        return n % 2 == 1 ? timedSteps.get(n / 2) : (timedSteps.get(n / 2 - 1) + timedSteps.get(n / 2)) / 2;
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

    /** The parts of a step that are timed. */
    enum Part {
        REFERENCE("reference pass"),
        FORWARD("trainable forward+task"),
        OBJECTIVE("objective"),
        REST("backward+optimizer"),
        STEP("whole step");

        final String label;

        Part(String label) {
            this.label = label;
        }
    }

    /**
     * Times the parts of each step of a task, in wall time and in CPU time of the trainer's thread (with
     * OMP_NUM_THREADS=1 every op, backward included, runs on that thread: far less sensitive to a loaded machine).
     * The backward and optimizer part is the step minus the other parts.
     */
    private static final class Timed implements TrainingTask {
        private static final ThreadMXBean BEAN = ManagementFactory.getThreadMXBean();
        private TrainingTask task;
        private final EnumMap<Part, List<Double>> wall = new EnumMap<>(Part.class);
        private final EnumMap<Part, List<Double>> cpu = new EnumMap<>(Part.class);
        private final EnumMap<Part, long[]> current = new EnumMap<>(Part.class);
        private long stepWall;
        private long stepCpu;
        private long markWall;
        private long markCpu;
        private boolean marked;

        Timed wrap(TrainingTask inner) {
            this.task = inner;
            for (Part p : Part.values()) {
                wall.put(p, new ArrayList<>());
                cpu.put(p, new ArrayList<>());
            }
            return this;
        }

        List<Double> wall(Part p) {
            return wall.get(p);
        }

        List<Double> cpu(Part p) {
            return cpu.get(p);
        }

        void startStep() {
            stepWall = System.nanoTime();
            stepCpu = BEAN.getCurrentThreadCpuTime();
            current.clear();
        }

        private void add(Part p, long w, long c) {
            long[] acc = current.computeIfAbsent(p, k -> new long[2]);
            acc[0] += w;
            acc[1] += c;
        }

        void mark(String phase) {
            marked = true;
            long w = System.nanoTime();
            long c = BEAN.getCurrentThreadCpuTime();
            add(Part.FORWARD, w - markWall, c - markCpu);
            markWall = w;
            markCpu = c;
        }

        void endStep(double trainerSeconds) {
            long w = System.nanoTime();
            long c = BEAN.getCurrentThreadCpuTime();
            long[] none = new long[2];
            long partsWall = 0;
            long partsCpu = 0;
            for (Part p : new Part[] {Part.REFERENCE, Part.FORWARD, Part.OBJECTIVE}) {
                long[] acc = current.getOrDefault(p, none);
                wall.get(p).add(acc[0] / 1e9);
                cpu.get(p).add(acc[1] / 1e9);
                partsWall += acc[0];
                partsCpu += acc[1];
            }
            wall.get(Part.REST).add((w - stepWall - partsWall) / 1e9);
            cpu.get(Part.REST).add((c - stepCpu - partsCpu) / 1e9);
            wall.get(Part.STEP).add((w - stepWall) / 1e9);
            cpu.get(Part.STEP).add((c - stepCpu) / 1e9);
            startStep();
        }

        @Override
        public NDList reference(Batch batch, StepContext context) {
            long w = System.nanoTime();
            long c = BEAN.getCurrentThreadCpuTime();
            NDList out = task.reference(batch, context); // computed eagerly: nothing to wait on
            add(Part.REFERENCE, System.nanoTime() - w, BEAN.getCurrentThreadCpuTime() - c);
            return out;
        }

        @Override
        public StepLoss loss(Batch batch, NDList reference, StepContext context) {
            marked = false;
            markWall = System.nanoTime();
            markCpu = BEAN.getCurrentThreadCpuTime();
            StepLoss out = task.loss(batch, reference, context);
            long w = System.nanoTime();
            long c = BEAN.getCurrentThreadCpuTime();
            // Without a mark (no objective path) everything was forward.
            add(marked ? Part.OBJECTIVE : Part.FORWARD, w - markWall, c - markCpu);
            return out;
        }
    }
}
