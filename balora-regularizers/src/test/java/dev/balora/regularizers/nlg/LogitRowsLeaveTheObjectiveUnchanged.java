package dev.balora.regularizers.nlg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import dev.balora.adapter.AdapterConfig;
import dev.balora.adapter.LoraModel;
import dev.balora.checkpoint.InMemoryTensors;
import dev.balora.checkpoint.TensorSource;
import dev.balora.data.Batch;
import dev.balora.data.BatchOrder;
import dev.balora.data.jsonl.CausalLmDataset;
import dev.balora.data.jsonl.CausalLmExample;
import dev.balora.model.CausalLanguageModel;
import dev.balora.model.ShiftedCrossEntropy;
import dev.balora.model.llama.LlamaConfig;
import dev.balora.model.llama.LlamaForCausalLM;
import dev.balora.nn.EngineArrays;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.Layers;
import dev.balora.nn.Param;
import dev.balora.objective.ObjectiveTerms;
import dev.balora.objective.RegularizerInput;
import dev.balora.objective.WeightSchedule;
import dev.balora.objective.WeightedObjective;
import dev.balora.regularizers.BaLoraPresets;
import dev.balora.regularizers.NlgPreset;
import dev.balora.train.StepContext;
import dev.balora.train.StepLoss;
import dev.balora.train.lm.CausalLmTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The causal-LM task computes the output head only at the positions its losses read, lets the terms precompute the
 * reference side in the reference pass and sums their gradients: the task loss, every term's value and the
 * gradient of every adapter weight equal those of the plain path (whole logits of both passes, the shifted
 * cross-entropy and {@link WeightedObjective#evaluate} on them), on a padded prompt/response batch.
 */
class LogitRowsLeaveTheObjectiveUnchanged {
    private static final int VOCAB = 61;

    @ParameterizedTest
    @ValueSource(strings = {"iclr", "iclr-unshifted", "iclr-full-entropy", "dec2024"})
    void sameValuesAndGradients(String preset) {
        NlgPreset p = switch (preset) {
            case "iclr", "iclr-unshifted", "iclr-full-entropy" -> BaLoraPresets.nlgIclr()
                    .optConsistency(0.3, WeightSchedule.constant()).optDiversity(0.2, WeightSchedule.constant())
                    .optSvd(0.1, WeightSchedule.constant());
            default -> BaLoraPresets.nlgDec2024();
        };
        if (preset.equals("iclr-unshifted")) {
            p.optMaskAlignment(MaskAlignment.UNSHIFTED);
        }
        if (preset.equals("iclr-full-entropy")) {
            p.optEntropyTopK(0);
        }
        WeightedObjective objective = p.build();
        Result rows = run(objective, true);
        Result plain = run(objective, false);
        assertEquals(plain.terms.keySet(), rows.terms.keySet());
        for (Map.Entry<String, Double> e : plain.terms.entrySet()) {
            double want = e.getValue();
            assertEquals(want, rows.terms.get(e.getKey()), 1e-5 * Math.max(1, Math.abs(want)), preset + " " + e.getKey());
        }
        assertTrue(plain.terms.get("consistency") > 1e-4, "the adapters moved: KL is not trivially 0");
        assertEquals(plain.grads.keySet(), rows.grads.keySet());
        for (Map.Entry<String, float[]> e : plain.grads.entrySet()) {
            float[] want = e.getValue();
            float[] got = rows.grads.get(e.getKey());
            double scale = 0;
            for (float w : want) {
                scale = Math.max(scale, Math.abs(w));
            }
            assertTrue(scale > 0, e.getKey());
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-4 * scale, preset + " gradient " + e.getKey() + "[" + i + "]");
            }
        }
    }

    private record Result(Map<String, Double> terms, Map<String, float[]> grads) {}

    /** One micro-batch through the task (rows) or through the plain whole-logits path. */
    private static Result run(WeightedObjective objective, boolean task) {
        try (CausalLanguageModel model = tinyLlama(); NDManager m = model.manager().newSubManager()) {
            Batch batch = data().load(new int[] {0, 1, 2}, m);
            Map<String, Double> terms = new TreeMap<>();
            StepContext ctx = new StepContext(m, 0, 10, 0, 0, 1, ForwardContext.TRAINING);
            if (task) {
                CausalLmTask t = CausalLmTask.builder().setModel(model).optObjective(objective).build();
                NDList ref = t.reference(batch, ctx);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    StepLoss sl = t.loss(batch, ref, ctx);
                    terms.putAll(sl.terms());
                    gc.backward(sl.loss());
                }
            } else {
                NDArray refLogits = model.logits(batch.inputIds(), batch.attentionMask(), ForwardContext.REFERENCE);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = model.logits(batch.inputIds(), batch.attentionMask(), ForwardContext.TRAINING);
                    NDArray taskLoss = ShiftedCrossEntropy.mean(logits, batch.labels());
                    ObjectiveTerms o = objective.evaluate(taskLoss, RegularizerInput.builder().setLogits(logits)
                            .optReferenceLogits(refLogits).optLabels(batch.labels()).optStep(0, 10).build());
                    terms.put("task", o.taskLoss());
                    for (ObjectiveTerms.Term term : o.terms()) {
                        terms.put(term.name(), term.value());
                    }
                    gc.backward(o.total());
                }
            }
            Map<String, float[]> grads = new TreeMap<>();
            for (Map.Entry<String, Param> e : Layers.parameters(model).entrySet()) {
                if (e.getValue().trainable()) {
                    grads.put(e.getKey(), e.getValue().array().getGradient().toFloatArray());
                }
            }
            return new Result(terms, grads);
        }
    }

    /** Three examples of different lengths (padding in the batch), prompts of 3 to 5 tokens. */
    private static CausalLmDataset data() {
        Random r = new Random(11);
        List<CausalLmExample> examples = new ArrayList<>();
        int[] lengths = {12, 9, 11};
        int[] prompts = {4, 3, 5};
        for (int i = 0; i < lengths.length; i++) {
            long[] ids = new long[lengths[i]];
            long[] labels = new long[lengths[i]];
            for (int t = 0; t < ids.length; t++) {
                ids[t] = 3 + r.nextInt(VOCAB - 3);
                labels[t] = t < prompts[i] ? CausalLmExample.IGNORE : ids[t];
            }
            examples.add(new CausalLmExample(ids, labels, prompts[i]));
        }
        return new CausalLmDataset(examples, 0, BatchOrder.SEQUENTIAL, 1);
    }

    /** A random 2-layer Llama with LoRA adapters moved away from their initial (reference) state. */
    private static CausalLanguageModel tinyLlama() {
        JsonObject c = new JsonObject();
        c.addProperty("model_type", "llama");
        c.addProperty("vocab_size", VOCAB);
        c.addProperty("hidden_size", 16);
        c.addProperty("intermediate_size", 24);
        c.addProperty("num_hidden_layers", 2);
        c.addProperty("num_attention_heads", 4);
        c.addProperty("num_key_value_heads", 2);
        c.addProperty("max_position_embeddings", 64);
        c.addProperty("tie_word_embeddings", true);
        LlamaConfig config = LlamaConfig.from(c, "tiny random llama");
        InMemoryTensors t = new InMemoryTensors("tiny random llama");
        Random r = new Random(0);
        put(t, r, "model.embed_tokens.weight", VOCAB, 16);
        for (int i = 0; i < 2; i++) {
            String p = "model.layers." + i + ".";
            put(t, r, p + "input_layernorm.weight", 16);
            put(t, r, p + "post_attention_layernorm.weight", 16);
            put(t, r, p + "self_attn.q_proj.weight", 16, 16);
            put(t, r, p + "self_attn.k_proj.weight", 8, 16);
            put(t, r, p + "self_attn.v_proj.weight", 8, 16);
            put(t, r, p + "self_attn.o_proj.weight", 16, 16);
            put(t, r, p + "mlp.gate_proj.weight", 24, 16);
            put(t, r, p + "mlp.up_proj.weight", 24, 16);
            put(t, r, p + "mlp.down_proj.weight", 16, 24);
        }
        put(t, r, "model.norm.weight", 16);
        CausalLanguageModel model = LlamaForCausalLM.load(config, (TensorSource) t, NDManager.newBaseManager());
        LoraModel.attach(model, AdapterConfig.builder().setTargets("q_proj", "v_proj", "down_proj").optRank(2)
                .optAlpha(4).optSeed(3).build());
        Random move = new Random(7);
        for (Param p : Layers.parameters(model).values()) {
            if (p.trainable()) {
                float[] v = p.array().toFloatArray();
                for (int i = 0; i < v.length; i++) {
                    v[i] += (float) (0.3 * move.nextGaussian());
                }
                p.replace(EngineArrays.own(p.array().getManager().create(v, p.shape())));
            }
        }
        return model;
    }

    private static void put(InMemoryTensors t, Random r, String name, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = name.endsWith("norm.weight") ? 1f + 0.1f * (float) r.nextGaussian() : 0.3f * (float) r.nextGaussian();
        }
        t.put(name, shape, v);
    }
}
