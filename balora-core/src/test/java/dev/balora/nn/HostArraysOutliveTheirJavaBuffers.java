package dev.balora.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A view of an array built from Java data must stay valid after the source array is closed and collected: DJL wraps
 * the Java buffer without copying, so without {@link EngineArrays#own} the view reads freed memory.
 */
class HostArraysOutliveTheirJavaBuffers {

    @Test
    void viewOfOwnedArraySurvivesCloseAndGc() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray view;
            try (NDManager scope = m.newSubManager()) {
                NDArray source = EngineArrays.own(scope.create(new float[] {5, 6, 7, 8, 9, 10, 11, 12}, new Shape(8)));
                view = source.get("0:4");
                view.attach(m);
            }
            churnDirectMemory();
            assertArrayEquals(new float[] {5, 6, 7, 8}, view.toFloatArray(), 0f);
        }
    }

    private static void churnDirectMemory() {
        List<ByteBuffer> keep = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            System.gc();
            for (int i = 0; i < 200; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(32);
                while (b.hasRemaining()) {
                    b.putFloat(-1f);
                }
                keep.add(b);
            }
        }
    }
}
