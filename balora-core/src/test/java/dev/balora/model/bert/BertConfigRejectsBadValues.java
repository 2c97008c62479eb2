package dev.balora.model.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.balora.checkpoint.CheckpointException;
import dev.balora.checkpoint.InMemoryTensors;
import org.junit.jupiter.api.Test;

class BertConfigRejectsBadValues {

    private static void assertRejected(JsonObject json, String key) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> BertConfig.parse("cfg.json", json));
        assertTrue(e.getMessage().startsWith("cfg.json"), e.getMessage());
        assertTrue(e.getMessage().contains("\"" + key + "\""), e.getMessage());
    }

    @Test
    void eachInvalidKeyIsNamed() {
        JsonObject heads = TinyBert.config("bert", 2);
        heads.addProperty("num_attention_heads", 3);
        assertRejected(heads, "num_attention_heads");
        JsonObject act = TinyBert.config("bert", 2);
        act.addProperty("hidden_act", "mish");
        assertRejected(act, "hidden_act");
        JsonObject type = TinyBert.config("bert", 2);
        type.addProperty("model_type", "llama");
        assertRejected(type, "model_type");
        JsonObject missing = TinyBert.config("bert", 2);
        missing.remove("hidden_size");
        assertRejected(missing, "hidden_size");
        JsonObject regression = TinyBert.config("bert", 3);
        regression.addProperty("problem_type", "regression");
        assertRejected(regression, "problem_type");
        JsonObject dropout = TinyBert.config("bert", 2);
        dropout.addProperty("hidden_dropout_prob", 1.5);
        assertRejected(dropout, "hidden_dropout_prob");
    }

    @Test
    void numLabelsComesFromId2LabelWhenAbsent() {
        JsonObject json = TinyBert.config("bert", 2);
        json.remove("num_labels");
        JsonObject labels = new JsonObject();
        labels.addProperty("0", "neg");
        labels.addProperty("1", "neu");
        labels.addProperty("2", "pos");
        json.add("id2label", labels);
        BertConfig c = BertConfig.parse("cfg.json", json);
        assertEquals(3, c.numLabels());
        assertEquals(ProblemType.SINGLE_LABEL, c.problemType());
    }

    @Test
    void weightShapeThatContradictsTheConfigIsNamed() {
        BertConfig config = BertConfig.parse("cfg.json", TinyBert.config("bert", 2));
        InMemoryTensors good = TinyBert.weights(config, "", 1);
        InMemoryTensors bad = new InMemoryTensors("bad.safetensors");
        for (String n : good.names()) {
            bad.put(n, good.info(n).shape(), good.readFloats(n));
        }
        bad.put("encoder.layer.1.intermediate.dense.weight", new long[] {8, 16}, new float[128]);
        try (NDManager m = NDManager.newBaseManager()) {
            CheckpointException e = assertThrows(CheckpointException.class, () -> BertModel.load(config, bad, m));
            assertTrue(e.getMessage().contains("bad.safetensors"), e.getMessage());
            assertTrue(e.getMessage().contains("encoder.layer.1.intermediate.dense.weight"), e.getMessage());
            assertTrue(e.getMessage().contains("[16, 8]"), e.getMessage());
        }
    }

    @Test
    void idsOutsideTheVocabularyAreNamed() {
        BertConfig config = BertConfig.parse("cfg.json", TinyBert.config("bert", 2));
        try (NDManager m = NDManager.newBaseManager()) {
            BertModel model = BertModel.load(config, TinyBert.weights(config, "", 1), m);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.hiddenStates(
                    m.create(new long[] {1, 30}, new ai.djl.ndarray.types.Shape(1, 2)), null, null,
                    dev.balora.nn.ForwardContext.INFERENCE));
            assertTrue(e.getMessage().contains("vocab_size") && e.getMessage().contains("30"), e.getMessage());
        }
    }
}
