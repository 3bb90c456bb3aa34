#!/usr/bin/env python3
"""The optbench model in PyTorch, written from SPEC.md, for cross-checks and throughput comparison.

  torch_reference.py grads WEIGHTS.safetensors TOKENS.npy K GRADS.safetensors [Z_LOSS]
      loss and every gradient of batch K, compared with the gradients `optbench forward
      --grads-out` wrote (max abs difference per tensor).
  torch_reference.py bench P0|P1|P2 [THREADS] [STEPS]
      tokens/s of forward + backward + AdamW at a benchmark shape, the same measurement as
      `optbench bench` (median [min..max] over STEPS timed steps after 2 warm-up steps).

Needs PyTorch (Debian: apt-get install python3-torch) and NumPy.

OpenBLAS picks its kernels from the CPU it recognises; an OpenBLAS older than the CPU (Debian 12's
0.3.21 on Sapphire Rapids) falls back to its generic SSE3 kernels ("Prescott"), about 6x slower.
When `bench` finds those generic kernels on a CPU with AVX-512 and OPENBLAS_CORETYPE is not set,
it runs itself again with OPENBLAS_CORETYPE=SkylakeX (OpenBLAS reads it only when it loads), so
that PyTorch is measured at its best; it reports the kernels it used.
"""
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_forward  # noqa: E402  (the safetensors reader shared with the NumPy reference)

SHAPES = {"P0": (8192, 128, 4, 4, 128, 16), "P1": (8192, 256, 4, 4, 256, 16), "P2": (32128, 512, 8, 8, 512, 8)}


def read_safetensors(path):
    meta, arrays = reference_forward.read_safetensors(path)
    return meta, {name: torch.from_numpy(a.astype(np.float32)) for name, a in arrays.items()}


def rope(x, n_heads, theta=10000.0):
    b, t, c = x.shape
    hs = c // n_heads
    half = hs // 2
    x = x.view(b, t, n_heads, hs)
    inv = theta ** (-torch.arange(half, dtype=torch.float64) * 2.0 / hs)
    ang = (torch.arange(t, dtype=torch.float64)[:, None] * inv[None, :]).float()
    cos, sin = ang.cos()[None, :, None, :], ang.sin()[None, :, None, :]
    x1, x2 = x[..., :half], x[..., half:]
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1).view(b, t, c)


def loss_fn(p, idx, tgt, n_layers, n_heads, z_coef):
    b, t = idx.shape
    x = p["wte.weight"][idx]
    c = x.shape[-1]
    hs = c // n_heads
    mask = torch.ones(t, t, dtype=torch.bool).triu(1)
    for i in range(n_layers):
        pre = f"blocks.{i}."
        h = F.layer_norm(x, (c,), p[pre + "ln1.weight"], None, 1e-5)
        q, k, v = (h @ p[pre + "attn.qkv.weight"].t()).split(c, dim=-1)
        if pre + "attn.q_norm.weight" in p:
            q = F.layer_norm(q, (c,), p[pre + "attn.q_norm.weight"], None, 1e-5)
            k = F.layer_norm(k, (c,), p[pre + "attn.k_norm.weight"], None, 1e-5)
        q, k = rope(q, n_heads), rope(k, n_heads)
        q, k, v = (z.view(b, t, n_heads, hs).transpose(1, 2) for z in (q, k, v))
        s = (q @ k.transpose(-1, -2)) / math.sqrt(hs)
        y = s.masked_fill(mask, float("-inf")).softmax(-1) @ v
        x = x + y.transpose(1, 2).reshape(b, t, c) @ p[pre + "attn.proj.weight"].t()
        h = F.layer_norm(x, (c,), p[pre + "ln2.weight"], None, 1e-5)
        x = x + F.gelu(h @ p[pre + "mlp.fc.weight"].t()) @ p[pre + "mlp.proj.weight"].t()
    logits = F.layer_norm(x, (c,), p["ln_f.weight"], None, 1e-5) @ p["lm_head.weight"].t()
    lse = logits.logsumexp(-1)
    ce = F.cross_entropy(logits.view(-1, logits.shape[-1]), tgt.reshape(-1))
    z = z_coef * (lse ** 2).mean()
    return ce + z, ce, z


def grads(weights, tokens, k, grads_path, z_coef=1e-4):
    meta, p = read_safetensors(weights)
    p = {n: t.double().requires_grad_() for n, t in p.items()}
    batch = torch.from_numpy(np.load(tokens)[int(k)].astype(np.int64))
    loss, ce, z = loss_fn(p, batch[:, :-1], batch[:, 1:], int(meta["n_layers"]), int(meta["n_heads"]), z_coef)
    loss.backward()
    _, theirs = read_safetensors(grads_path)
    worst = 0.0
    for name, t in p.items():
        diff = (t.grad - theirs[name].double()).abs().max().item()
        scale = t.grad.abs().max().item()
        worst = max(worst, diff / max(scale, 1e-12))
        print(f"{name:32s} max|grad| {scale:.3e}  max|diff| {diff:.3e}")
    norm = math.sqrt(sum((t.grad ** 2).sum().item() for t in p.values()))
    print(json.dumps({"loss": loss.item(), "ce": ce.item(), "z_loss": z.item(), "grad_norm": norm,
                      "worst_relative_grad_diff": worst}))


def blas():
    """The BLAS PyTorch calls and its threads, so that a single-threaded BLAS is seen, not assumed."""
    try:
        from threadpoolctl import threadpool_info
        pools = [{"api": i.get("internal_api"), "library": os.path.basename(i.get("filepath", "")),
                  "threading": i.get("threading_layer"), "threads": i.get("num_threads"),
                  "kernels": i.get("architecture")}
                 for i in threadpool_info() if i.get("user_api") == "blas"]
        if pools:
            return pools
    except ImportError:
        pass
    config = torch.__config__.show()
    found = [line.strip() for line in config.splitlines() if "BLAS_INFO" in line or "LAPACK_INFO" in line]
    return found or ["unknown: " + config.splitlines()[0] if config else "unknown"]


def _avx512():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            flags = next((line for line in cpuinfo if line.startswith("flags")), "").split()
    except OSError:
        return False
    return all(f in flags for f in ("avx512f", "avx512bw", "avx512dq", "avx512vl"))


GENERIC_KERNELS = {"Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom", "Katmai", "Coppermine"}


def use_avx512_kernels_if_generic():
    """Runs this script again with OpenBLAS's AVX-512 kernels when it fell back to generic ones."""
    kernels = {pool.get("kernels") for pool in blas() if isinstance(pool, dict)}
    if "OPENBLAS_CORETYPE" not in os.environ and kernels & GENERIC_KERNELS and _avx512():
        print(f"OpenBLAS chose its generic kernels {sorted(kernels & GENERIC_KERNELS)} on an AVX-512 CPU; "
              "running again with OPENBLAS_CORETYPE=SkylakeX", file=sys.stderr)
        os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, OPENBLAS_CORETYPE="SkylakeX"))


def bench(shape, threads=2, steps=5):
    use_avx512_kernels_if_generic()
    steps = int(steps)
    torch.set_num_threads(int(threads))
    v, c, n_layers, n_heads, t, b = SHAPES[shape]
    torch.manual_seed(0)
    names = {"wte.weight": (v, c), "ln_f.weight": (c,), "lm_head.weight": (v, c)}
    for i in range(n_layers):
        pre = f"blocks.{i}."
        names.update({pre + "ln1.weight": (c,), pre + "attn.qkv.weight": (3 * c, c), pre + "attn.q_norm.weight": (c,),
                      pre + "attn.k_norm.weight": (c,), pre + "attn.proj.weight": (c, c), pre + "ln2.weight": (c,),
                      pre + "mlp.fc.weight": (4 * c, c), pre + "mlp.proj.weight": (c, 4 * c)})
    p = {n: (torch.ones(s) if len(s) == 1 else torch.randn(s) / math.sqrt(s[1])).requires_grad_() for n, s in names.items()}
    opt = torch.optim.AdamW(p.values(), lr=1e-3, betas=(0.9, 0.95), eps=1e-15, weight_decay=0.0)
    idx = torch.randint(0, v, (b, t))
    tgt = torch.randint(0, v, (b, t))
    ma, mb = torch.randn(1024, 1024), torch.randn(1024, 1024)
    rates = []
    mm = []
    for s in range(steps + 2):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss_fn(p, idx, tgt, n_layers, n_heads, 1e-4)[0].backward()
        torch.nn.utils.clip_grad_norm_(p.values(), 1.0)
        opt.step()
        if s >= 2:
            rates.append(b * t / (time.perf_counter() - t0))
            # the load on a shared machine: an sgemm 1024^3 timed between steps, as optbench bench does
            t1 = time.perf_counter()
            torch.mm(ma, mb)
            mm.append(2 * 1024 ** 3 / (time.perf_counter() - t1) / 1e9)

    def stats(values, digits):
        values = sorted(values)
        return {"median": round(values[len(values) // 2], digits), "min": round(values[0], digits),
                "max": round(values[-1], digits)}

    print(json.dumps({"bench": "torch_train_step", "torch": torch.__version__, "shape": shape, "threads": int(threads),
                      "blas": blas(), "tokens_per_s": stats(rates, 1), "sgemm_1024_between_steps": stats(mm, 2)}))


if __name__ == "__main__":
    if sys.argv[1] == "grads":
        grads(*sys.argv[2:])
    elif sys.argv[1] == "bench":
        bench(*sys.argv[2:])
    else:
        sys.exit(__doc__)
