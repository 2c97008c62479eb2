package dev.balora.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class ReferenceCacheServesRowsWithinBudget {

    @Test
    void rowsComeBackInBatchOrderAndTheBudgetIsKept() {
        try (NDManager m = NDManager.newBaseManager()) {
            ReferenceCache cache = new ReferenceCache(5 * 2 * 4); // five rows of two floats
            cache.put(new int[] {10, 11, 12}, m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(3, 2)));
            NDArray back = cache.get(new int[] {12, 10}, m);
            assertArrayEquals(new float[] {5, 6, 1, 2}, back.toFloatArray());
            assertEquals(new Shape(2, 2), back.getShape());
            assertNull(cache.get(new int[] {10, 13}, m)); // 13 never stored
            cache.put(new int[] {13, 14, 15}, m.create(new float[] {7, 8, 9, 10, 11, 12}, new Shape(3, 2)));
            assertEquals(5, cache.size()); // 15 did not fit
            assertEquals(40, cache.bytes());
            assertArrayEquals(new float[] {9, 10}, cache.get(new int[] {14}, m).toFloatArray());
            assertNull(cache.get(new int[] {15}, m));
            assertEquals(3, cache.hits());
            assertThrows(IllegalArgumentException.class,
                    () -> cache.put(new int[] {1}, m.create(new float[] {1, 2, 3}, new Shape(1, 3))));
        }
    }
}
