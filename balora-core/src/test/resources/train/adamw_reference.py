"""Independent reference for AdamWMatchesTorch: torch.optim.AdamW on one small tensor for three steps.

Run: python3 adamw_reference.py > adamw_reference.json
"""
import json
import torch

p = torch.nn.Parameter(torch.tensor([[1.0, -2.0, 0.5], [0.25, 3.0, -0.75]], dtype=torch.float32))
grads = [
    [[0.1, -0.2, 0.3], [1.5, -0.05, 0.0]],
    [[-0.4, 0.2, 0.1], [0.5, 0.05, -2.0]],
    [[0.3, 0.3, -0.3], [-1.0, 0.0, 0.7]],
]
lrs = [0.1, 0.05, 0.02]
opt = torch.optim.AdamW([p], lr=lrs[0], betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)
after = []
for g, lr in zip(grads, lrs):
    for group in opt.param_groups:
        group["lr"] = lr
    p.grad = torch.tensor(g, dtype=torch.float32)
    opt.step()
    after.append(p.detach().flatten().tolist())
state = opt.state[p]
print(json.dumps({
    "initial": [1.0, -2.0, 0.5, 0.25, 3.0, -0.75],
    "shape": [2, 3],
    "grads": [sum(g, []) for g in grads],
    "lrs": lrs,
    "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01,
    "after": after,
    "exp_avg": state["exp_avg"].flatten().tolist(),
    "exp_avg_sq": state["exp_avg_sq"].flatten().tolist(),
}))
