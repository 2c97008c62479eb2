package dev.balora.train.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.balora.adapter.AdapterConfig;
import dev.balora.adapter.InitMethod;
import dev.balora.adapter.LoraModel;
import dev.balora.data.Batch;
import dev.balora.data.BatchOrder;
import dev.balora.data.jsonl.CausalLmDataset;
import dev.balora.data.jsonl.CausalLmEncoder;
import dev.balora.data.jsonl.PromptResponse;
import dev.balora.eval.LanguageModelLoss;
import dev.balora.model.CausalLanguageModel;
import dev.balora.model.Models;
import dev.balora.model.PretrainedModel;
import dev.balora.model.TinyCheckpoints;
import dev.balora.objective.Regularizer;
import dev.balora.objective.RegularizerInput;
import dev.balora.objective.TokenLayout;
import dev.balora.objective.WeightedObjective;
import dev.balora.train.StepContext;
import dev.balora.train.StepLoss;
import dev.balora.train.Trainer;
import dev.balora.train.TrainerConfig;
import dev.balora.train.TrainingResult;
import dev.balora.train.TrainingTask;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A causal-LM training run (LoRA, a regularizer against the reference pass, on the whole logits and on logit rows,
 * evaluation) creates every array on the device of the model's parameters, whatever the engine's default device.
 *
 * <p>How this can fail on a CPU-only machine: DJL has no second CPU device ({@code Device.of("cpu", 1)} is
 * {@code Device.cpu()}; the PyTorch engine maps only cpu, gpu and mps), so the test makes the wrong device
 * unusable instead. It points DJL's default device at {@code gpu(0)}, which libtorch without CUDA refuses: anything
 * the run created on the default device (the trainer's manager once defaulted to it) throws. A task wrapper
 * checks on top that every micro-batch manager, every array in it and the loss are on the model's device. On a GPU
 * machine the default device really is the GPU while {@code Models.load} puts the model on the CPU, and the same
 * checks hold.
 */
class TrainingStaysOnTheModelsDevice {

    /** mean((z - z_ref)^2) over the response positions, on rows (declares its positions) or on the whole logits. */
    static final class Drift implements Regularizer {
        private final boolean rows;

        Drift(boolean rows) {
            this.rows = rows;
        }

        @Override
        public String name() {
            return rows ? "row_drift" : "logit_drift";
        }

        @Override
        public boolean[] positionsRead(TokenLayout layout) {
            return rows ? layout.shiftedTargets() : null;
        }

        @Override
        public NDArray compute(RegularizerInput in) {
            boolean[] valid = TokenLayout.of(in).shiftedTargets();
            NDArray a = in.rowsAt(in.logitRows(), valid);
            NDArray b = in.rowsAt(in.requireReferenceRows(name()), valid);
            return a.sub(b).square().mean();
        }
    }

    /** Checks the device of everything a micro-batch holds after each phase of the wrapped task. */
    static final class DeviceCheck implements TrainingTask {
        final TrainingTask inner;
        final Device expected;
        int checked;

        DeviceCheck(TrainingTask inner, Device expected) {
            this.inner = inner;
            this.expected = expected;
        }

        @Override
        public NDList reference(Batch batch, StepContext context) {
            NDList out = inner.reference(batch, context);
            check(context.manager(), out);
            return out;
        }

        @Override
        public StepLoss loss(Batch batch, NDList reference, StepContext context) {
            StepLoss sl = inner.loss(batch, reference, context);
            check(context.manager(), new NDList(sl.loss()));
            return sl;
        }

        private void check(NDManager manager, NDList out) {
            assertEquals(expected, manager.getDevice(), "the micro-batch's manager");
            List<NDArray> all = new ArrayList<>(manager.getManagedArrays());
            all.addAll(out);
            for (NDArray a : all) {
                if (!a.isReleased()) {
                    assertEquals(expected, a.getDevice(), "array " + a.getName() + " " + a.getShape());
                    checked++;
                }
            }
        }
    }

    @Test
    void everyArrayOfTheRunIsOnTheModelsDevice() throws Exception {
        Device unusable = Device.gpu(0);
        withDefaultDevice(unusable, () -> {
            for (boolean rows : new boolean[] {false, true}) {
                try (PretrainedModel loaded = Models.load(TinyCheckpoints.dir("llama-gqa"))) {
                    CausalLanguageModel lm = (CausalLanguageModel) loaded;
                    Device device = Device.cpu(); // where Models.load(dir) puts the weights
                    LoraModel.attach(loaded, AdapterConfig.builder().setTargets("q_proj", "v_proj", "down_proj")
                            .optRank(2).optAlpha(4).optInit(InitMethod.GAUSSIAN).optSeed(3).build());
                    CausalLmDataset data = data();
                    DeviceCheck task = new DeviceCheck(CausalLmTask.builder().setModel(lm).optObjective(
                            WeightedObjective.builder().add(new Drift(rows), 0.5).build()).build(), device);
                    TrainerConfig config = TrainerConfig.builder().setBatchSize(4).setLearningRate(1e-2f)
                            .optMaxSteps(3).optEvalEvery(2).optProgressBar(false).optLossCurve(false).build();
                    TrainingResult result;
                    try (Trainer trainer = Trainer.builder().setModel(loaded).setTask(task).setTrainData(data)
                            .setConfig(config).optEvaluation(m -> Map.of("eval_loss",
                                    LanguageModelLoss.evaluate(lm, data, 4).loss())).build()) {
                        assertEquals(device, trainer.device());
                        result = trainer.fit();
                    }
                    assertEquals(3, result.updates(), "rows=" + rows);
                    assertTrue(Double.isFinite(result.lastEvaluation().get("eval_loss")));
                    assertTrue(task.checked > 6 * 3, "arrays checked: " + task.checked);
                }
            }
        });
    }

    @Test
    void aConfiguredDeviceOtherThanTheModelsIsRejected() {
        try (PretrainedModel loaded = Models.load(TinyCheckpoints.dir("llama-gqa"))) {
            LoraModel.attach(loaded, AdapterConfig.builder().setTargets("q_proj").optRank(2).build());
            CausalLmTask task = CausalLmTask.builder().setModel((CausalLanguageModel) loaded).build();
            TrainerConfig config = TrainerConfig.builder().setBatchSize(4).setLearningRate(1e-2f).optMaxSteps(1)
                    .optDevice(Device.gpu(0)).optProgressBar(false).build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder()
                    .setModel(loaded).setTask(task).setTrainData(data()).setConfig(config).build());
            assertTrue(e.getMessage().contains("gpu(0)") && e.getMessage().contains("cpu()"), e.getMessage());
        }
    }

    private static CausalLmDataset data() {
        CausalLmEncoder enc = CausalLmEncoder.builder().optEosTokenId(2).optVocabSize(48).build();
        Random r = new Random(5);
        List<PromptResponse> pairs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            long[] prompt = new long[2 + r.nextInt(4)];
            long[] response = new long[1 + r.nextInt(4)];
            for (int j = 0; j < prompt.length; j++) {
                prompt[j] = 3 + r.nextInt(45);
            }
            for (int j = 0; j < response.length; j++) {
                response[j] = 3 + r.nextInt(45);
            }
            pairs.add(PromptResponse.ids(prompt, response, "x:" + i));
        }
        return new CausalLmDataset(enc.encode(pairs).examples(), 0, BatchOrder.BUCKETED, 2);
    }

    /**
     * Runs with DJL's default device set to {@code device} (on a machine with a GPU it already is one: left as is).
     * DJL computes the default once and keeps it in a private field; the test sets that field and restores it.
     */
    private static void withDefaultDevice(Device device, Runnable body) throws Exception {
        Engine engine = Engine.getInstance();
        if (engine.getGpuCount() > 0) {
            body.run();
            return;
        }
        Field field = Engine.class.getDeclaredField("defaultDevice");
        field.setAccessible(true);
        Object before = field.get(engine);
        field.set(engine, device);
        try {
            assertEquals(device, engine.defaultDevice());
            body.run();
        } finally {
            field.set(engine, before);
        }
    }
}
