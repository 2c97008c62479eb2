package dev.balora.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Greedy takes the first maximum; top-k and top-p restrict draws to the hand-computed candidate sets. */
class TokenSamplerFollowsItsLimits {
    // Softmax of these at T=1: about 0.64, 0.24, 0.09, 0.03 for tokens 1, 3, 0, 2.
    static final float[] LOGITS = {1f, 3f, -0.1f, 2f};

    static Set<Integer> draws(GenerationOptions o) {
        TokenSampler s = new TokenSampler(o);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            seen.add(s.next(LOGITS, 0, 4));
        }
        return seen;
    }

    @Test
    void greedyIsArgMaxWithFirstIndexOnTies() {
        assertEquals(1, new TokenSampler(GenerationOptions.greedy(1)).next(LOGITS, 0, 4));
        assertEquals(0, TokenSampler.argMax(new float[] {5f, 5f, 1f}, 0, 3));
    }

    @Test
    void limitsRestrictTheCandidates() {
        GenerationOptions.Builder b = GenerationOptions.builder().setMaxNewTokens(1).optTemperature(1).optSeed(3);
        assertEquals(Set.of(0, 1, 2, 3), draws(b.build()));
        assertEquals(Set.of(1, 3), draws(b.optTopK(2).build()));
        // Cumulative 0.64 < 0.8 <= 0.64 + 0.24: the nucleus is {1, 3}.
        assertEquals(Set.of(1, 3), draws(b.optTopK(0).optTopP(0.8).build()));
        assertEquals(Set.of(1), draws(b.optTopP(0.5).build()));
    }

    @Test
    void badOptionsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> GenerationOptions.builder().build());
        assertThrows(IllegalArgumentException.class,
                () -> GenerationOptions.builder().setMaxNewTokens(1).optTopP(0).build());
        assertThrows(IllegalArgumentException.class,
                () -> GenerationOptions.builder().setMaxNewTokens(1).optTemperature(-1).build());
        IllegalStateException nan = assertThrows(IllegalStateException.class,
                () -> new TokenSampler(GenerationOptions.greedy(1)).next(new float[] {0f, Float.NaN}, 0, 2));
        assertTrue(nan.getMessage().contains("NaN"));
    }
}
