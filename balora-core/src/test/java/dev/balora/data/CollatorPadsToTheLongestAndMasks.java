package dev.balora.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class CollatorPadsToTheLongestAndMasks {

    @Test
    void padsEachBatchOnlyToItsLongestExample() {
        EncodedExample a = new EncodedExample(new long[] {101, 7, 102}, new long[] {0, 0, 0}, 1);
        EncodedExample b = new EncodedExample(new long[] {101, 8, 9, 102, 10, 102}, new long[] {0, 0, 0, 0, 1, 1}, 0);
        try (NDManager m = NDManager.newBaseManager()) {
            Batch batch = new Collator(0, 1, LabelType.CLASSIFICATION).collate(List.of(a, b), new int[] {4, 2}, m);
            assertEquals(new Shape(2, 6), batch.inputIds().getShape());
            assertEquals(DataType.INT64, batch.inputIds().getDataType());
            assertArrayEquals(new long[] {101, 7, 102, 0, 0, 0, 101, 8, 9, 102, 10, 102},
                    batch.inputIds().toLongArray());
            assertArrayEquals(new long[] {1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1}, batch.attentionMask().toLongArray());
            assertArrayEquals(new long[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1}, batch.tokenTypeIds().toLongArray());
            assertArrayEquals(new long[] {1, 0}, batch.labels().toLongArray());
            assertArrayEquals(new int[] {4, 2}, batch.indices());
            assertEquals(9, batch.tokenCount());

            Batch short8 = new Collator(0, 8, LabelType.REGRESSION).collate(List.of(a), new int[] {0}, m);
            assertEquals(new Shape(1, 8), short8.inputIds().getShape()); // 3 rounded up to a multiple of 8
            assertEquals(DataType.FLOAT32, short8.labels().getDataType());
        }
    }
}
