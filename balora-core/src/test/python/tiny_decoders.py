#!/usr/bin/env python3
"""Independent reference for balora's decoder architectures (Llama/GQA, Qwen2, Gemma, GPT-2).

Writes tiny checkpoints with fixed random weights (config.json + model.safetensors, written by hand here) and
golden logits computed in float64 from the Hugging Face formulas, re-derived in plain torch (no transformers).
Run from the repository root:  /usr/bin/python3 balora-core/src/test/python/tiny_decoders.py
Outputs go to balora-core/src/test/resources/tiny/<name>/{config.json,model.safetensors,golden.json}.
"""
import json
import math
import os
import struct

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "tiny")


def write_safetensors(path, tensors):
    header = {"__metadata__": {"format": "pt"}}
    offset = 0
    blobs = []
    for name, t in tensors.items():
        data = t.detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    hb = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hb += b" " * ((8 - len(hb) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hb)))
        f.write(hb)
        for b in blobs:
            f.write(b)


def positions_from_mask(mask):
    # Padding-aware positions: the n-th real token is at position n-1, whatever the padding side.
    pos = mask.long().cumsum(-1) - 1
    return pos.clamp(min=0)


def additive_mask(mask, causal=True):
    b, s = mask.shape
    allowed = mask[:, None, None, :].bool().expand(b, 1, s, s)
    if causal:
        allowed = allowed & torch.tril(torch.ones(s, s, dtype=torch.bool))[None, None]
    return torch.where(allowed, torch.zeros((), dtype=torch.float64), torch.full((), -1e9, dtype=torch.float64))


# ---------------------------------------------------------------- Llama family

def rms_norm(x, w, eps, unit_offset):
    var = x.pow(2).mean(-1, keepdim=True)
    y = x * torch.rsqrt(var + eps)
    return y * ((1.0 + w) if unit_offset else w)


def inv_freq(cfg, head_dim):
    base = cfg.get("rope_theta", 10000.0)
    f = 1.0 / (base ** (torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim))
    rs = cfg.get("rope_scaling")
    if rs and rs.get("rope_type", rs.get("type")) == "llama3":
        factor = rs["factor"]
        lo, hi = rs["low_freq_factor"], rs["high_freq_factor"]
        old = rs["original_max_position_embeddings"]
        lo_wl, hi_wl = old / lo, old / hi
        wl = 2 * math.pi / f
        out = torch.empty_like(f)
        for i in range(len(f)):
            if wl[i] < hi_wl:
                out[i] = f[i]
            elif wl[i] > lo_wl:
                out[i] = f[i] / factor
            else:
                smooth = (old / wl[i] - lo) / (hi - lo)
                out[i] = (1 - smooth) * f[i] / factor + smooth * f[i]
        f = out
    return f


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat([-x[..., h:], x[..., :h]], dim=-1)


def tied(cfg):
    # Hugging Face's default for tie_word_embeddings is true for Gemma, false for Llama, Mistral and Qwen2.
    return cfg.get("tie_word_embeddings", cfg["model_type"] == "gemma")


def llama_logits(cfg, w, ids, mask):
    gemma = cfg["model_type"] == "gemma"
    H = cfg["hidden_size"]
    nh, nkv = cfg["num_attention_heads"], cfg.get("num_key_value_heads", cfg["num_attention_heads"])
    hd = cfg.get("head_dim", H // nh)
    eps = cfg["rms_norm_eps"]
    b, s = ids.shape
    x = w["model.embed_tokens.weight"][ids]
    if gemma:
        x = x * math.sqrt(H)
    pos = positions_from_mask(mask).double()
    ang = pos[..., None] * inv_freq(cfg, hd)[None, None, :]
    emb = torch.cat([ang, ang], dim=-1)
    cos, sin = emb.cos()[:, None], emb.sin()[:, None]
    am = additive_mask(mask)

    def lin(name, v):
        y = v @ w[name + ".weight"].T
        if name + ".bias" in w:
            y = y + w[name + ".bias"]
        return y

    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        h = rms_norm(x, w[p + "input_layernorm.weight"], eps, gemma)
        q = lin(p + "self_attn.q_proj", h).view(b, s, nh, hd).transpose(1, 2)
        k = lin(p + "self_attn.k_proj", h).view(b, s, nkv, hd).transpose(1, 2)
        v = lin(p + "self_attn.v_proj", h).view(b, s, nkv, hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(nh // nkv, dim=1)
        v = v.repeat_interleave(nh // nkv, dim=1)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(hd) + am
        o = (att.softmax(-1) @ v).transpose(1, 2).reshape(b, s, nh * hd)
        x = x + lin(p + "self_attn.o_proj", o)
        h = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps, gemma)
        g = lin(p + "mlp.gate_proj", h)
        if gemma:
            act = 0.5 * g * (1 + torch.tanh(math.sqrt(2 / math.pi) * (g + 0.044715 * g ** 3)))
        else:
            act = g * torch.sigmoid(g)
        x = x + lin(p + "mlp.down_proj", act * lin(p + "mlp.up_proj", h))
    x = rms_norm(x, w["model.norm.weight"], eps, gemma)
    head = w["model.embed_tokens.weight"] if tied(cfg) else w["lm_head.weight"]
    return x @ head.T


def llama_weights(cfg, g):
    gemma = cfg["model_type"] == "gemma"
    H, I, V = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]
    nh, nkv = cfg["num_attention_heads"], cfg.get("num_key_value_heads", cfg["num_attention_heads"])
    hd = cfg.get("head_dim", H // nh)
    bias = cfg["model_type"] == "qwen2"

    def rnd(*shape, scale=0.2):
        return torch.randn(*shape, generator=g, dtype=torch.float64) * scale

    def norm_w():
        return rnd(H, scale=0.1) if gemma else 1.0 + rnd(H, scale=0.1)

    w = {"model.embed_tokens.weight": rnd(V, H, scale=0.5)}
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        w[p + "input_layernorm.weight"] = norm_w()
        w[p + "self_attn.q_proj.weight"] = rnd(nh * hd, H)
        w[p + "self_attn.k_proj.weight"] = rnd(nkv * hd, H)
        w[p + "self_attn.v_proj.weight"] = rnd(nkv * hd, H)
        if bias:
            w[p + "self_attn.q_proj.bias"] = rnd(nh * hd)
            w[p + "self_attn.k_proj.bias"] = rnd(nkv * hd)
            w[p + "self_attn.v_proj.bias"] = rnd(nkv * hd)
        w[p + "self_attn.o_proj.weight"] = rnd(H, nh * hd)
        w[p + "post_attention_layernorm.weight"] = norm_w()
        w[p + "mlp.gate_proj.weight"] = rnd(I, H)
        w[p + "mlp.up_proj.weight"] = rnd(I, H)
        w[p + "mlp.down_proj.weight"] = rnd(H, I)
    w["model.norm.weight"] = norm_w()
    if not tied(cfg):
        w["lm_head.weight"] = rnd(V, H, scale=0.5)
    return w


# ---------------------------------------------------------------- GPT-2

def layer_norm(x, w, b, eps):
    mu = x.mean(-1, keepdim=True)
    var = ((x - mu) ** 2).mean(-1, keepdim=True)
    return (x - mu) / torch.sqrt(var + eps) * w + b


def gpt2_hidden(cfg, w, pre, ids, mask):
    H, nh = cfg["n_embd"], cfg["n_head"]
    hd = H // nh
    eps = cfg["layer_norm_epsilon"]
    b, s = ids.shape
    x = w[pre + "wte.weight"][ids] + w[pre + "wpe.weight"][positions_from_mask(mask)]
    am = additive_mask(mask)
    for i in range(cfg["n_layer"]):
        p = f"{pre}h.{i}."
        h = layer_norm(x, w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
        qkv = h @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]  # Conv1D: x @ W[in, out] + b
        q, k, v = qkv.split(H, dim=-1)
        q, k, v = (t.view(b, s, nh, hd).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-1, -2)) / math.sqrt(hd) + am
        o = (att.softmax(-1) @ v).transpose(1, 2).reshape(b, s, H)
        x = x + o @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]
        h = layer_norm(x, w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
        f = h @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"]
        f = 0.5 * f * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (f + 0.044715 * torch.pow(f, 3.0))))
        x = x + f @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]
    return layer_norm(x, w[pre + "ln_f.weight"], w[pre + "ln_f.bias"], eps)


def gpt2_weights(cfg, g, pre):
    H, V, P = cfg["n_embd"], cfg["vocab_size"], cfg["n_positions"]

    def rnd(*shape, scale=0.2):
        return torch.randn(*shape, generator=g, dtype=torch.float64) * scale

    w = {pre + "wte.weight": rnd(V, H, scale=0.5), pre + "wpe.weight": rnd(P, H, scale=0.3)}
    for i in range(cfg["n_layer"]):
        p = f"{pre}h.{i}."
        for ln in ("ln_1", "ln_2"):
            w[p + ln + ".weight"] = 1.0 + rnd(H, scale=0.1)
            w[p + ln + ".bias"] = rnd(H, scale=0.1)
        w[p + "attn.c_attn.weight"] = rnd(H, 3 * H)
        w[p + "attn.c_attn.bias"] = rnd(3 * H)
        w[p + "attn.c_proj.weight"] = rnd(H, H)
        w[p + "attn.c_proj.bias"] = rnd(H)
        w[p + "mlp.c_fc.weight"] = rnd(H, 4 * H)
        w[p + "mlp.c_fc.bias"] = rnd(4 * H)
        w[p + "mlp.c_proj.weight"] = rnd(4 * H, H)
        w[p + "mlp.c_proj.bias"] = rnd(H)
    w[pre + "ln_f.weight"] = 1.0 + rnd(H, scale=0.1)
    w[pre + "ln_f.bias"] = rnd(H, scale=0.1)
    return w


# ---------------------------------------------------------------- cases

def cases(vocab, pad):
    g = torch.Generator().manual_seed(7)
    single = torch.randint(3, vocab, (1, 9), generator=g)
    a = torch.randint(3, vocab, (7,), generator=g).tolist()
    b = torch.randint(3, vocab, (4,), generator=g).tolist()
    left = torch.tensor([a, [pad] * 3 + b])
    left_mask = torch.tensor([[1] * 7, [0] * 3 + [1] * 4])
    right = torch.tensor([a, b + [pad] * 3])
    right_mask = torch.tensor([[1] * 7, [1] * 4 + [0] * 3])
    return {
        "single": (single, torch.ones_like(single)),
        "left_padded": (left, left_mask),
        "right_padded": (right, right_mask),
    }


def emit(name, cfg, tensors, fn, pad):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    write_safetensors(os.path.join(d, "model.safetensors"), tensors)
    # Golden values from the float32-rounded weights, exactly what the checkpoint holds.
    w = {k: v.to(torch.float32).to(torch.float64) for k, v in tensors.items()}
    golden = {"cases": {}}
    for cname, (ids, mask) in cases(cfg["vocab_size"], pad).items():
        out = fn(cfg, w, ids, mask)
        golden["cases"][cname] = {
            "input_ids": ids.tolist(),
            "attention_mask": mask.tolist(),
            "logits": [[[round(float(v), 7) for v in row] for row in seq] for seq in out],
        }
    with open(os.path.join(d, "golden.json"), "w") as f:
        json.dump(golden, f, separators=(",", ":"))


def main():
    llama = {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 16, "intermediate_size": 24,
        "num_hidden_layers": 2, "num_attention_heads": 2, "num_key_value_heads": 1, "vocab_size": 48,
        "max_position_embeddings": 64, "rms_norm_eps": 1e-6, "rope_theta": 500000.0, "hidden_act": "silu",
        "tie_word_embeddings": False, "bos_token_id": 1, "eos_token_id": 2,
        "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                         "original_max_position_embeddings": 16},
    }
    qwen2 = {
        "architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_size": 16, "intermediate_size": 24,
        "num_hidden_layers": 2, "num_attention_heads": 2, "num_key_value_heads": 1, "vocab_size": 48,
        "max_position_embeddings": 64, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0, "hidden_act": "silu",
        "tie_word_embeddings": True, "bos_token_id": 1, "eos_token_id": 2,
    }
    gemma = {
        "architectures": ["GemmaForCausalLM"], "model_type": "gemma", "hidden_size": 16, "intermediate_size": 24,
        "num_hidden_layers": 2, "num_attention_heads": 2, "num_key_value_heads": 1, "head_dim": 12,
        "vocab_size": 48, "max_position_embeddings": 64, "rms_norm_eps": 1e-6, "rope_theta": 10000.0,
        "hidden_act": "gelu", "hidden_activation": "gelu_pytorch_tanh", "bos_token_id": 2, "eos_token_id": 1,
        "pad_token_id": 0,
    }
    gpt2 = {
        "architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "n_embd": 16, "n_head": 2, "n_layer": 2,
        "vocab_size": 48, "n_positions": 16, "n_ctx": 16, "layer_norm_epsilon": 1e-5,
        "activation_function": "gelu_new", "bos_token_id": 1, "eos_token_id": 1,
    }
    gpt2_cls = dict(gpt2, architectures=["GPT2ForSequenceClassification"], pad_token_id=0,
                    id2label={"0": "A", "1": "B", "2": "C"}, label2id={"A": 0, "B": 1, "C": 2})

    for name, cfg, seed in (("llama-gqa", llama, 11), ("qwen2", qwen2, 12), ("gemma", gemma, 13)):
        g = torch.Generator().manual_seed(seed)
        emit(name, cfg, llama_weights(cfg, g), llama_logits, 0)

    # Original GPT-2 checkpoints store the trunk without the "transformer." prefix; LM logits use the tied wte.
    g = torch.Generator().manual_seed(14)
    w = gpt2_weights(gpt2, g, "")
    emit("gpt2", gpt2, w, lambda c, ww, i, m: gpt2_hidden(c, ww, "", i, m) @ ww["wte.weight"].T, 0)

    # Classification checkpoints as Hugging Face saves them: "transformer." prefix plus score.weight [labels, hidden].
    g = torch.Generator().manual_seed(15)
    w = gpt2_weights(gpt2_cls, g, "transformer.")
    w["score.weight"] = torch.randn(3, gpt2_cls["n_embd"], generator=g, dtype=torch.float64) * 0.3

    def cls_logits(c, ww, ids, mask):
        hid = gpt2_hidden(c, ww, "transformer.", ids, mask) @ ww["score.weight"].T
        # Pooled at the last real token of each row; one "position" per sequence.
        last = [int(torch.nonzero(m).max()) for m in mask]
        return torch.stack([hid[r, last[r]] for r in range(len(last))])[:, None, :]

    emit("gpt2-cls", gpt2_cls, w, cls_logits, 0)


if __name__ == "__main__":
    main()
