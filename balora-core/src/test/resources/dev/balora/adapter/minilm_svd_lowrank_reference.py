# Independent reference for PiSSA-fast accuracy on all-MiniLM-L6-v2: torch.svd_lowrank (PEFT's pissa_niter_N
# backend) against torch.linalg.svdvals, top-8 singular values of the 36 encoder Linear weights.
# Usage: write the imported model to /tmp/minilm-adapters (OnnxImport.fromClasspath("all-minilm-l6-v2").writeTo),
# then /usr/bin/python3 minilm_svd_lowrank_reference.py. Output (torch 1.13, seed 0), q = r + oversampling:
#   16 4  per-value 0.0363  vector-norm 0.0204  sum 0.0175
#   16 8  per-value 0.0103  vector-norm 0.0040  sum 0.0028
#   16 12 per-value 0.0032  vector-norm 0.0014  sum 0.0008
#   32 4  per-value 0.0113  vector-norm 0.0047  sum 0.0043
#   40 4  per-value 0.0053  vector-norm 0.0027  sum 0.0023
#   16 16 per-value 0.0026  vector-norm 0.0009  sum 0.0005
# MiniLM's spectra are flat around sigma_8 (sigma_17 / sigma_8 ~ 0.9), so niter=4 with oversampling 8 cannot
# reach 1 % on every top-8 value; niter=12 does.
import json, struct, numpy as np, torch
f = open('/tmp/minilm-adapters/model.safetensors','rb'); n = struct.unpack('<Q', f.read(8))[0]; h = json.loads(f.read(n)); base = 8+n
def load(name):
    e = h[name]; b, t = e['data_offsets']; f.seek(base+b); return np.frombuffer(f.read(t-b), dtype=np.float32).reshape(e['shape'])
torch.manual_seed(0)
names = sorted(k for k in h if k.endswith('.weight') and len(h[k].get('shape',[]))==2 and 'embeddings' not in k)
Ws = [torch.tensor(load(nm), dtype=torch.float64) for nm in names]
Ss = [torch.linalg.svdvals(W) for W in Ws]
r = 8
for q, niter in [(16,4),(16,8),(16,12),(32,4),(40,4),(16,16)]:
    worst=0; worstagg=0; worstsum=0
    for W,S in zip(Ws,Ss):
        U, Sa, V = torch.svd_lowrank(W.float(), q=q, niter=niter)
        e = (Sa[:r].double()-S[:r]); 
        worst=max(worst, float((e.abs()/S[:r]).max())); worstagg=max(worstagg, float(e.norm()/S[:r].norm()))
        worstsum=max(worstsum, float(e.sum().abs()/S[:r].sum()))
    print(q, niter, 'per-value %.4f  vector-norm %.4f  sum %.4f' % (worst, worstagg, worstsum))
