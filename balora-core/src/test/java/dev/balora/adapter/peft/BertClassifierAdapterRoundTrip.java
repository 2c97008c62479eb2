package dev.balora.adapter.peft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.balora.adapter.AdapterConfig;
import dev.balora.adapter.InitMethod;
import dev.balora.adapter.LoraModel;
import dev.balora.checkpoint.AtomicFiles;
import dev.balora.checkpoint.HfCheckpoint;
import dev.balora.checkpoint.SafetensorsFile;
import dev.balora.model.Models;
import dev.balora.model.bert.BertForSequenceClassification;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.Param;
import dev.balora.onnx.EmbeddedModel;
import dev.balora.onnx.OnnxImport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * all-MiniLM-L6-v2 as a sequence classifier with a new head: PiSSA-fast on every encoder Linear, classifier and
 * pooler trained in full (modules_to_save). After AdamW steps the reference pass still gives the untrained model's
 * logits; the PEFT adapter (heads under {@code base_model.model.<module>.<param>}) and the residual checkpoint,
 * reloaded, give the trained logits exactly. Slow (15 s on a free machine, 48 s under the shared load): an import
 * and two loads of MiniLM.
 */
@Tag("slow")
class BertClassifierAdapterRoundTrip {

    @Test
    void trainedHeadsAndAdaptersSurviveSaveAndLoad(@TempDir Path dir) {
        Path base = dir.resolve("base");
        OnnxImport.fromClasspath(EmbeddedModel.ALL_MINILM_L6_V2.id()).writeTo(base);
        JsonObject config = HfCheckpoint.readConfig(base.resolve("config.json"));
        JsonArray arch = new JsonArray();
        arch.add("BertForSequenceClassification");
        config.add("architectures", arch);
        config.addProperty("num_labels", 2);
        AtomicFiles.writeString(base.resolve("config.json"), config.toString());
        long[] ids = {101, 1996, 4937, 2938, 2006, 1996, 13523, 1012, 102};
        try (BertForSequenceClassification model = (BertForSequenceClassification) Models.load(base);
                NDManager m = model.manager().newSubManager()) {
            NDArray x = m.create(ids, new Shape(1, ids.length));
            NDArray before = model.logits(x, null, null, ForwardContext.INFERENCE);
            LoraModel lora = LoraModel.attach(model, AdapterConfig.builder().setTargets("all-linear").optRank(4)
                    .optAlpha(4).optInit(InitMethod.PISSA_FAST).optModulesToSave(List.of("classifier", "pooler"))
                    .optTaskType("SEQ_CLS").build());
            assertEquals(36, lora.adapters().size());
            Map<String, Param> trainable = lora.trainableParameters();
            assertTrue(trainable.containsKey("classifier.weight") && trainable.containsKey("bert.pooler.dense.weight"),
                    trainable.keySet().toString());
            Optimizer adamw = Optimizer.adamW().optLearningRateTracker(Tracker.fixed(0.01f)).optWeightDecays(0f)
                    .build();
            for (int step = 0; step < 2; step++) {
                try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = model.logits(x, null, null, ForwardContext.TRAINING);
                    c.backward(model.loss(logits, m.create(new long[] {1})));
                }
                trainable.forEach((k, p) -> adamw.update(k, p.array(), p.array().getGradient()));
            }
            NDArray trained = model.logits(x, null, null, ForwardContext.INFERENCE);
            double moved = trained.sub(before).abs().max().getFloat();
            double ref = model.logits(x, null, null, ForwardContext.REFERENCE).sub(before).abs().max().getFloat();
            System.out.printf("MiniLM classifier: trained logits moved %.3g, reference vs untrained %.3g%n", moved, ref);
            assertTrue(moved > 1e-3, "training should move the logits");
            assertTrue(ref <= 1e-4, "reference pass differs from the untrained model by " + ref);

            PeftAdapter.save(lora, dir.resolve("adapter"));
            ResidualExport.write(model, config, dir.resolve("residual"), base);
            try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("adapter/adapter_model.safetensors"))) {
                assertTrue(f.contains("base_model.model.classifier.weight"));
                assertTrue(f.contains("base_model.model.bert.pooler.dense.bias"));
                assertTrue(f.contains("base_model.model.bert.encoder.layer.5.output.dense.lora_B.weight"));
            }
            try (BertForSequenceClassification reloaded = (BertForSequenceClassification) Models.load(
                    dir.resolve("residual")); NDManager m2 = reloaded.manager().newSubManager()) {
                PeftAdapter.load(reloaded, dir.resolve("adapter"));
                NDArray x2 = m2.create(ids, new Shape(1, ids.length));
                double d = reloaded.logits(x2, null, null, ForwardContext.INFERENCE).sub(trained).abs().max().getFloat();
                double r = reloaded.logits(x2, null, null, ForwardContext.REFERENCE).sub(before).abs().max().getFloat();
                assertEquals(0.0, d, "reloaded trained logits");
                assertTrue(r <= 1e-4, "reloaded reference logits differ by " + r);
            }
        }
    }
}
