#!/usr/bin/env python3
"""The optbench model in PyTorch, written from SPEC.md, for cross-checks and throughput comparison.

  torch_reference.py grads WEIGHTS.safetensors TOKENS.npy K GRADS.safetensors [Z_LOSS]
      loss and every gradient of batch K, compared with the gradients `optbench forward
      --grads-out` wrote (max abs difference per tensor).
  torch_reference.py trajectory WEIGHTS.safetensors TOKENS.npy STEPS OPTIMIZER [KEY=VALUE ...]
      trains from WEIGHTS in float64 on TOKENS' batches in order (batch k at step k+1), at a constant
      LR with no warm-up and no clipping, and prints each step's loss (before its update) as a JSON
      line: the independent twin of `optbench train --init-weights W --tokens X --batch-order
      sequential --schedule constant --warmup 0 --clip 0`. OPTIMIZER is adamw, adalayer, adafactor
      or sophia, written here from SPEC.md and the study authors' code; KEY is lr, wd, beta1, beta2,
      eps, bias_correction, t_freeze, lr_last (with t_freeze: the LM head's and LayerNorms' lr), vector_mode,
      rho, hessian_interval, seed (Sophia's sampling), train_norms or z_loss.
  torch_reference.py bench P0|P1|P2|S0 [THREADS] [STEPS]
      tokens/s of forward + backward + AdamW at a benchmark shape or the study shape S0, the same
      measurement as `optbench bench` (median [min..max] over STEPS timed steps after 2 warm-up
      steps).
  torch_reference.py sgemm [THREADS] [REPEATS]
      GFLOP/s of torch.mm at 1024^3 (OpenBLAS on Debian), median [min..max] of REPEATS (20).
  torch_reference.py study [TRIALS] [STEPS] [THREADS] [PROCESSES]
      the study `optbench bench --study` times, as a PyTorch script trains it: TRIALS (12) AdamW
      trials of STEPS (300) steps at S0 on synthetic tokens, learning rates a quarter decade apart
      from 1e-4, warm-up then cosine decay, the loss read every step, one final evaluation of
      8,192 tokens; the trials in a loop in PROCESSES (1) processes of THREADS (2) threads each
      (two 1-thread processes is the faster arrangement on 2 cores). Prints the wall time and the
      trials per hour.

Needs PyTorch (Debian: apt-get install python3-torch) and NumPy.

OpenBLAS picks its kernels from the CPU it recognises; an OpenBLAS older than the CPU (Debian 12's
0.3.21 on Sapphire Rapids) falls back to its generic SSE3 kernels ("Prescott"), about 6x slower.
When `bench` finds those generic kernels on a CPU with AVX-512 and OPENBLAS_CORETYPE is not set,
it runs itself again with OPENBLAS_CORETYPE=SkylakeX (OpenBLAS reads it only when it loads), so
that PyTorch is measured at its best; it reports the kernels it used. OPENBLAS_CORETYPE, when set,
is obeyed, even when it names older kernels than the CPU's (Haswell's AVX2 sgemm on an AVX-512 CPU
is about half as fast); scripts/bench-goals.sh sets it to SkylakeX on every CPU with AVX-512.
"""
import json
import math
import os
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_forward  # noqa: E402  (the safetensors reader shared with the NumPy reference)

SHAPES = {"P0": (8192, 128, 4, 4, 128, 16), "P1": (8192, 256, 4, 4, 256, 16), "P2": (32128, 512, 8, 8, 512, 8),
          "S0": (512, 64, 2, 2, 64, 16)}


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
    logits = logits_fn(p, idx, n_layers, n_heads)
    lse = logits.logsumexp(-1)
    ce = F.cross_entropy(logits.view(-1, logits.shape[-1]), tgt.reshape(-1))
    z = z_coef * (lse ** 2).mean()
    return ce + z, ce, z


def logits_fn(p, idx, n_layers, n_heads):
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
    return F.layer_norm(x, (c,), p["ln_f.weight"], None, 1e-5) @ p["lm_head.weight"].t()


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


MASK64 = (1 << 64) - 1


def _mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


def sampling_uniform(seed, step, row):
    """The uniform optbench's Sophia draws row ROW's label with after step STEP (SampledLabels.uniform)."""
    z = _mix((seed ^ 0x536F70686961) & MASK64)
    z = _mix((z + step) & MASK64)
    z = _mix((z + row) & MASK64)
    return (z >> 11) * 2.0 ** -53


def is_layer_norm(name):
    return name == "ln_f.weight" or name.endswith(("ln1.weight", "ln2.weight", "q_norm.weight", "k_norm.weight"))


def adalayer_blocks(name, t):
    """T viewed as (blocks, elements): QKV's row thirds, the LM head's rows, else one block."""
    if name.endswith("attn.qkv.weight"):
        return t.reshape(3, -1)
    if name == "lm_head.weight":
        return t.reshape(t.shape[0], -1)
    return t.reshape(1, -1)


def _correction(beta, t, on):
    return 1.0 / (1.0 - beta ** t) if on else 1.0


def adamw_rule(name, p, g, s, t, lr, hp):
    b1, b2, eps = hp.get("beta1", 0.9), hp.get("beta2", 0.95), hp.get("eps", 1e-15)
    s["m"] = b1 * s.get("m", torch.zeros_like(p)) + (1 - b1) * g
    s["v"] = b2 * s.get("v", torch.zeros_like(p)) + (1 - b2) * g * g
    return p - lr * (s["m"] * _correction(b1, t, True)) / ((s["v"] * _correction(b2, t, True)).sqrt() + eps)


def block_adam(p, g, s, t, lr, b1, d, eps, c1, c2, view):
    """Adam with one second moment per block; d is this step's coefficient of v."""
    s["m"] = b1 * s.get("m", torch.zeros_like(p)) + (1 - b1) * g
    gb = view(g * g).mean(dim=1, keepdim=True)
    s["v"] = d * s.get("v", torch.zeros_like(gb)) + (1 - d) * gb
    denom = (s["v"] * c2).sqrt() + eps
    return p - lr * (view(s["m"] * c1) / denom).reshape(p.shape)


def adalayer_rule(name, p, g, s, t, lr, hp):
    b1, b2, eps = hp.get("beta1", 0.9), hp.get("beta2", 0.95), hp.get("eps", 1e-15)
    mode = hp.get("bias_correction", "both")
    freeze = int(hp.get("t_freeze", 0))
    if freeze == 0:
        d = b2
    elif t <= freeze:
        d = t / (t + 1)
    else:
        d = b2 if (name == "lm_head.weight" or is_layer_norm(name)) else 1.0
    c1 = _correction(b1, t, mode in ("both", "first"))
    c2 = _correction(b2, t, freeze == 0 and mode in ("both", "second"))
    return block_adam(p, g, s, t, lr, b1, d, eps, c1, c2, lambda x: adalayer_blocks(name, x))


def adafactor_rule(name, p, g, s, t, lr, hp):
    b1, b2, eps = hp.get("beta1", 0.9), hp.get("beta2", 0.95), hp.get("eps", 1e-15)
    c1, c2 = _correction(b1, t, True), _correction(b2, t, True)
    if p.dim() == 1:
        if hp.get("vector_mode", "scalar") == "full":
            return adamw_rule(name, p, g, s, t, lr, hp)
        return block_adam(p, g, s, t, lr, b1, b2, eps, c1, c2, lambda x: x.reshape(1, -1))
    s["m"] = b1 * s.get("m", torch.zeros_like(p)) + (1 - b1) * g
    s["r"] = b2 * s.get("r", torch.zeros(p.shape[0], dtype=p.dtype)) + (1 - b2) * (g * g).mean(dim=1)
    s["c"] = b2 * s.get("c", torch.zeros(p.shape[1], dtype=p.dtype)) + (1 - b2) * (g * g).mean(dim=0)
    v = torch.outer(s["r"], s["c"]) / s["r"].mean() * c2
    return p - lr * (s["m"] * c1) / (v.sqrt() + eps)


def sophia_rule(name, p, g, s, t, lr, hp):
    """SophiaG's step as the study's authors' code has it: ratio = |m| / (rho * bs * hessian + eps), at most 1."""
    b1, rho, eps = hp.get("beta1", 0.965), hp.get("rho", 0.04), hp.get("eps", 1e-15)
    s["m"] = b1 * s.get("m", torch.zeros_like(p)) + (1 - b1) * g
    hess = s.get("hessian", torch.zeros_like(p))
    ratio = (s["m"].abs() / (rho * hp["bs"] * hess + eps)).clamp(max=1.0)
    return p - lr * s["m"].sign() * ratio


RULES = {"adamw": adamw_rule, "adalayer": adalayer_rule, "adafactor": adafactor_rule, "sophia": sophia_rule}


def sophia_hessian(p, trained, state, inputs, n_layers, n_heads, seed, step, beta2):
    """The authors' update_hessian: labels sampled from the model's output, their mean CE's gradient squared into an EMA."""
    q = {n: t.clone().requires_grad_() for n, t in p.items()}
    logits = logits_fn(q, inputs, n_layers, n_heads)
    flat = logits.detach().reshape(-1, logits.shape[-1])
    labels = []
    for row in range(flat.shape[0]):
        e = (flat[row] - flat[row].max()).exp()
        acc = torch.cumsum(e, 0)
        target = sampling_uniform(seed, step, row) * acc[-1].item()
        labels.append(min(int(torch.searchsorted(acc, torch.tensor([target], dtype=acc.dtype), right=True)),
                          flat.shape[1] - 1))
    F.cross_entropy(logits.reshape(-1, logits.shape[-1]), torch.tensor(labels)).backward()
    for n in trained:
        s = state[n]
        s["hessian"] = beta2 * s.get("hessian", torch.zeros_like(p[n])) + (1 - beta2) * q[n].grad * q[n].grad


def group_lr(name, lr, hp, freeze):
    """The authors' frozen Adalayer with lr_last set trains the LM head and the LayerNorms at lr_last."""
    if freeze and "lr_last" in hp and (name == "lm_head.weight" or is_layer_norm(name)):
        return hp["lr_last"]
    return lr


def trajectory(weights, tokens, steps, optimizer, *settings):
    """Trains in float64 from WEIGHTS on TOKENS' batches in order and prints each step's loss (before its update)."""
    hp = {}
    for setting in settings:
        key, value = setting.split("=", 1)
        hp[key] = value if key in ("bias_correction", "vector_mode", "train_norms") else float(value)
    meta, p = read_safetensors(weights)
    n_layers, n_heads = int(meta["n_layers"]), int(meta["n_heads"])
    p = {n: t.double() for n, t in p.items()}
    batches = np.load(tokens)
    z_coef, seed, lr, wd = hp.get("z_loss", 1e-4), int(hp.get("seed", 0)), hp["lr"], hp.get("wd", 0.0)
    freeze = int(hp.get("t_freeze", 0))
    trained = [n for n in p if hp.get("train_norms", "true") == "true" or not is_layer_norm(n)]
    state = {n: {} for n in trained}
    hp["bs"] = batches.shape[1] * (batches.shape[2] - 1)
    rule = RULES[optimizer]
    for step in range(1, int(steps) + freeze + 1):
        batch = torch.from_numpy(batches[step - 1].astype(np.int64))
        q = {n: t.clone().requires_grad_() for n, t in p.items()}
        loss, _, _ = loss_fn(q, batch[:, :-1], batch[:, 1:], n_layers, n_heads, z_coef)
        loss.backward()
        print(json.dumps({"step": step, "loss": loss.item()}))
        with torch.no_grad():
            for n in trained:
                lr_t = 0.0 if step <= freeze else group_lr(n, lr, hp, freeze)
                p[n] = rule(n, p[n] * (1 - lr_t * wd), q[n].grad, state[n], step, lr_t, hp)
        if optimizer == "sophia" and step % int(hp.get("hessian_interval", 10)) == 0:
            sophia_hessian(p, trained, state, batch[:, :-1], n_layers, n_heads, seed, step, hp.get("beta2", 0.99))


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


def init_params(v, c, n_layers):
    """The model's parameters by name: LayerNorm gains 1, matrices N(0, 1/fan_in)."""
    names = {"wte.weight": (v, c), "ln_f.weight": (c,), "lm_head.weight": (v, c)}
    for i in range(n_layers):
        pre = f"blocks.{i}."
        names.update({pre + "ln1.weight": (c,), pre + "attn.qkv.weight": (3 * c, c), pre + "attn.q_norm.weight": (c,),
                      pre + "attn.k_norm.weight": (c,), pre + "attn.proj.weight": (c, c), pre + "ln2.weight": (c,),
                      pre + "mlp.fc.weight": (4 * c, c), pre + "mlp.proj.weight": (c, 4 * c)})
    return {n: (torch.ones(s) if len(s) == 1 else torch.randn(s) / math.sqrt(s[1])).requires_grad_()
            for n, s in names.items()}


def train_trial(trial, steps, shape="S0", eval_tokens=8192, warmup_fraction=0.1):
    """One study trial from fresh state (seed = trial): AdamW, warm-up then cosine, final evaluation."""
    v, c, n_layers, n_heads, t, b = SHAPES[shape]
    torch.manual_seed(trial)
    p = init_params(v, c, n_layers)
    lr = 10 ** (-4 + 0.25 * trial)
    opt = torch.optim.AdamW(p.values(), lr=lr, betas=(0.9, 0.95), eps=1e-15, weight_decay=0.0)
    warmup = max(1, int(warmup_fraction * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: (s + 1) / warmup if s < warmup else
                                                 0.5 * (1 + math.cos(math.pi * (s - warmup) / max(1, steps - warmup))))
    losses = []
    for _ in range(steps):
        idx = torch.randint(0, v, (b, t))
        tgt = torch.randint(0, v, (b, t))
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(p, idx, tgt, n_layers, n_heads, 1e-4)[0]
        loss.backward()
        torch.nn.utils.clip_grad_norm_(p.values(), 1.0)
        opt.step()
        schedule.step()
        losses.append(loss.item())
    with torch.no_grad():
        evals = [loss_fn(p, torch.randint(0, v, (b, t)), torch.randint(0, v, (b, t)), n_layers, n_heads, 0.0)[0].item()
                 for _ in range(max(1, eval_tokens // (b * t)))]
    return losses[-1], sum(evals) / len(evals)


def set_threads(threads):
    """PyTorch's threads and its BLAS's: OpenBLAS keeps its own pool, which set_num_threads leaves
    at the core count, so that 1-thread processes would otherwise oversubscribe the cores."""
    torch.set_num_threads(int(threads))
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(int(threads), user_api="blas")
    except ImportError:
        print("threadpoolctl is missing: OpenBLAS keeps its own thread count (Debian: python3-threadpoolctl)",
              file=sys.stderr)


def study_part(part, processes, trials, steps, threads):
    set_threads(threads)
    for trial in range(int(part), int(trials), int(processes)):
        train_trial(trial, int(steps))


def study(trials=12, steps=300, threads=2, processes=1):
    """The trials of `optbench bench --study` in a loop, in PROCESSES processes of THREADS threads."""
    use_avx512_kernels_if_generic()
    start = time.perf_counter()
    children = [subprocess.Popen([sys.executable, os.path.abspath(__file__), "study-part", str(part), str(processes),
                                  str(trials), str(steps), str(threads)],
                                 env=dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads)))
                for part in range(int(processes))]
    codes = [child.wait() for child in children]
    if any(codes):
        sys.exit(f"a study process failed: exit codes {codes}")
    wall = time.perf_counter() - start
    print(json.dumps({"bench": "torch_study", "torch": torch.__version__, "trials": int(trials),
                      "steps_per_trial": int(steps), "processes": int(processes), "threads": int(threads),
                      "blas": blas(), "wall_s": round(wall, 2), "trials_per_hour": round(int(trials) * 3600 / wall, 2)}))


def sgemm(threads=2, repeats=20):
    use_avx512_kernels_if_generic()
    set_threads(threads)
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    for _ in range(3):
        torch.mm(a, b)
    rates = []
    for _ in range(int(repeats)):
        t0 = time.perf_counter()
        torch.mm(a, b)
        rates.append(2 * 1024 ** 3 / (time.perf_counter() - t0) / 1e9)
    rates.sort()
    print(json.dumps({"bench": "torch_sgemm", "torch": torch.__version__, "threads": int(threads), "blas": blas(),
                      "m": 1024, "n": 1024, "k": 1024,
                      "gflops": {"median": round(rates[len(rates) // 2], 2), "min": round(rates[0], 2),
                                 "max": round(rates[-1], 2)}}))


def bench(shape, threads=2, steps=5):
    use_avx512_kernels_if_generic()
    steps = int(steps)
    set_threads(threads)
    v, c, n_layers, n_heads, t, b = SHAPES[shape]
    torch.manual_seed(0)
    p = init_params(v, c, n_layers)
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
    elif sys.argv[1] == "trajectory":
        trajectory(*sys.argv[2:])
    elif sys.argv[1] == "bench":
        bench(*sys.argv[2:])
    elif sys.argv[1] == "sgemm":
        sgemm(*sys.argv[2:])
    elif sys.argv[1] == "study":
        study(*sys.argv[2:])
    elif sys.argv[1] == "study-part":
        study_part(*sys.argv[2:])
    else:
        sys.exit(__doc__)
