package dev.balora.model.bert;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.balora.onnx.EmbeddedModel;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/** Runs an embedded ONNX encoder with ONNX Runtime: the independent reference for our BERT. */
final class OnnxRuntimeReference {

    private OnnxRuntimeReference() {}

    /**
     * The {@code last_hidden_state} ONNX Runtime computes.
     *
     * @return [B][T][hidden]
     */
    static float[][][] lastHiddenState(EmbeddedModel model, long[][] ids, long[][] mask) throws OrtException,
            IOException {
        byte[] bytes;
        try (InputStream in = OnnxRuntimeReference.class.getClassLoader().getResourceAsStream(model.onnxResource())) {
            if (in == null) {
                throw new IllegalStateException(model.onnxResource() + " is not on the test class path");
            }
            bytes = in.readAllBytes();
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            try (OrtSession session = env.createSession(bytes, options)) {
                long[][] types = new long[ids.length][ids[0].length];
                Map<String, OnnxTensor> inputs = new HashMap<>();
                try (OnnxTensor i = OnnxTensor.createTensor(env, ids);
                        OnnxTensor m = OnnxTensor.createTensor(env, mask);
                        OnnxTensor t = OnnxTensor.createTensor(env, types)) {
                    inputs.put("input_ids", i);
                    inputs.put("attention_mask", m);
                    if (session.getInputNames().contains("token_type_ids")) {
                        inputs.put("token_type_ids", t);
                    }
                    try (OrtSession.Result result = session.run(inputs)) {
                        return (float[][][]) result.get("last_hidden_state").orElseThrow().getValue();
                    }
                }
            }
        }
    }
}
