package dev.balora.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The "nearest paths" of an unmatched target: textbook edit distances, names compared with the last segment. */
class NearestPathsRankByEditDistance {

    @Test
    void editDistancesMatchHandValues() {
        assertEquals(3, NearestPaths.distance("kitten", "sitting"));
        assertEquals(1, NearestPaths.distance("qproj", "q_proj"));
        assertEquals(0, NearestPaths.distance("", ""));
        assertEquals(4, NearestPaths.distance("", "abcd"));
    }

    @Test
    void aNameIsComparedWithEachPathsLastSegment() {
        List<String> paths = List.of("model.layers.0.mlp.up_proj", "model.layers.0.self_attn.v_proj",
                "model.layers.0.self_attn.q_proj", "model.layers.1.self_attn.q_proj");
        assertEquals(List.of("model.layers.0.self_attn.q_proj", "model.layers.1.self_attn.q_proj",
                "model.layers.0.self_attn.v_proj"), NearestPaths.to("qproj", paths));
        assertEquals("model.layers.0.mlp.up_proj", NearestPaths.to(".*mlp\\.upproj", paths).get(0));
    }
}
