package dev.balora.adapter.peft;

import dev.balora.adapter.LoraAdapter;
import dev.balora.adapter.LoraModel;
import dev.balora.checkpoint.TensorSource;
import dev.balora.nn.Layers;
import dev.balora.nn.Linear;

/** An adapted model's adapter state under PEFT's key names: the current (trained) or the initial one. */
final class AdapterTensors {
    /** PEFT's prefix of every key of a LoRA adapter file. */
    static final String PREFIX = "base_model.model.";

    private AdapterTensors() {}

    /** {@code base_model.model.<path>.<local>}. */
    static String key(String path, String local) {
        return PREFIX + Layers.key(path, local);
    }

    /** Current A, B of every adapter and the current weights of every trained head. */
    static TensorSource current(LoraModel lora) {
        ArrayTensors t = new ArrayTensors("adapter '" + lora.adapterName() + "'");
        for (LoraAdapter a : lora.adapters().values()) {
            t.put(key(a.path(), LoraAdapter.A_NAME), a.a().array());
            t.put(key(a.path(), LoraAdapter.B_NAME), a.b().array());
        }
        for (Linear head : lora.heads().values()) {
            t.put(key(head.path(), "weight"), head.weight().array());
            if (head.bias() != null) {
                t.put(key(head.path(), "bias"), head.bias().array());
            }
        }
        return t;
    }

    /** Initial A0, B0 of every adapter and the initial (reference) weights of every trained head. */
    static TensorSource initial(LoraModel lora) {
        ArrayTensors t = new ArrayTensors("initial state of adapter '" + lora.adapterName() + "'");
        for (LoraAdapter a : lora.adapters().values()) {
            t.put(key(a.path(), LoraAdapter.A_NAME), a.a0());
            t.put(key(a.path(), LoraAdapter.B_NAME), a.b0());
        }
        for (Linear head : lora.heads().values()) {
            t.put(key(head.path(), "weight"), head.hasReferenceCopy() ? head.referenceWeight() : head.weight().array());
            if (head.bias() != null) {
                t.put(key(head.path(), "bias"), head.hasReferenceCopy() ? head.referenceBias() : head.bias().array());
            }
        }
        return t;
    }
}
