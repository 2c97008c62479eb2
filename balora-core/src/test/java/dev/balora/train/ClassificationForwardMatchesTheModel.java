package dev.balora.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.balora.data.Batch;
import dev.balora.data.BatchOrder;
import dev.balora.data.Collator;
import dev.balora.data.EncodedDataset;
import dev.balora.data.Example;
import dev.balora.data.LabelType;
import dev.balora.data.TextEncoder;
import dev.balora.model.bert.BertForSequenceClassification;
import dev.balora.model.bert.Pooling;
import dev.balora.nn.ForwardContext;
import dev.balora.onnx.ImportedModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task's shared-hidden-state forward gives exactly the model's own logits, plus mean-pooled states. */
class ClassificationForwardMatchesTheModel {

    @TempDir
    Path tmp;

    @Test
    void logitsEqualAndRepresentationIsTheMaskedMean() throws Exception {
        ImportedModel im = MiniLmClassifiers.imported();
        try (NDManager m = NDManager.newBaseManager();
                TextEncoder enc = TextEncoder.fromFile(MiniLmClassifiers.tokenizer(im, tmp), 32)) {
            BertForSequenceClassification model = MiniLmClassifiers.classifier(im, 3, m, 5);
            EncodedDataset data = new EncodedDataset(enc.encodeAll(List.of(
                    new Example("a short one", null, 0, "t:1"),
                    new Example("a rather longer sentence that needs padding in the other row", null, 2, "t:2"))),
                    new Collator(0, 1, LabelType.CLASSIFICATION), BatchOrder.SEQUENTIAL, 1);
            SequenceClassificationTask task = SequenceClassificationTask.builder().setModel(model).build();
            try (NDManager sub = m.newSubManager()) {
                Batch batch = data.load(new int[] {0, 1}, sub);
                SequenceClassificationTask.Outputs out = task.forward(batch, ForwardContext.INFERENCE);
                assertEquals(new Shape(2, 3), out.logits().getShape());
                assertArrayEquals(task.logits(batch, ForwardContext.INFERENCE).toFloatArray(),
                        out.logits().toFloatArray(), 1e-6f);
                float[] mean = model.encoder().embed(batch.inputIds(), batch.attentionMask(), Pooling.MEAN,
                        ForwardContext.INFERENCE).toFloatArray();
                assertArrayEquals(mean, out.representation().toFloatArray(), 1e-5f);
            }
        }
    }
}
