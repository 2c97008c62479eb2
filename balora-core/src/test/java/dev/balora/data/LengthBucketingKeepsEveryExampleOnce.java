package dev.balora.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LengthBucketingKeepsEveryExampleOnce {

    private static int[] lengths(int n) {
        Random r = new Random(5);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = 3 + r.nextInt(120);
        }
        return out;
    }

    private static long paddedTokens(List<int[]> plan, int[] lengths) {
        long total = 0;
        for (int[] b : plan) {
            int max = 0;
            for (int i : b) {
                max = Math.max(max, lengths[i]);
            }
            total += (long) max * b.length;
        }
        return total;
    }

    @Test
    void everyOrderCoversEachIndexExactlyOnce() {
        int[] lengths = lengths(1001);
        for (BatchOrder order : BatchOrder.values()) {
            List<int[]> plan = new BatchPlanner(32, order, 20).plan(lengths, 9, 0);
            int[] seen = new int[lengths.length];
            for (int[] b : plan) {
                assertTrue(b.length >= 1 && b.length <= 32);
                for (int i : b) {
                    seen[i]++;
                }
            }
            for (int i = 0; i < seen.length; i++) {
                assertEquals(1, seen[i], order + ": example " + i);
            }
            assertEquals(32, plan.size()); // ceil(1001 / 32)
        }
    }

    @Test
    void bucketedPlansAreDeterministicPerEpochAndPadLess() {
        int[] lengths = lengths(1001);
        BatchPlanner bucketed = new BatchPlanner(32, BatchOrder.BUCKETED, 20);
        List<int[]> a = bucketed.plan(lengths, 9, 3);
        List<int[]> b = bucketed.plan(lengths, 9, 3);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i));
        }
        List<int[]> other = bucketed.plan(lengths, 9, 4);
        boolean differs = false;
        for (int i = 0; i < a.size(); i++) {
            differs |= !java.util.Arrays.equals(a.get(i), other.get(i));
        }
        assertTrue(differs, "another epoch must give another order");
        long real = 0;
        for (int l : lengths) {
            real += l;
        }
        long sequential = paddedTokens(new BatchPlanner(32, BatchOrder.SEQUENTIAL, 1).plan(lengths, 9, 0), lengths);
        long buck = paddedTokens(a, lengths);
        long sorted = paddedTokens(new BatchPlanner(32, BatchOrder.SORTED, 1).plan(lengths, 9, 0), lengths);
        // Random lengths 3..122: unsorted batches pad nearly everything to ~120, bucketed ones stay close to the
        // real token count.
        assertTrue(buck < 0.6 * sequential, "bucketed " + buck + " vs sequential " + sequential);
        assertTrue(buck < 1.1 * real, "bucketed " + buck + " vs real " + real);
        assertTrue(sorted <= buck);
        assertFalse(sorted < real);
    }
}
