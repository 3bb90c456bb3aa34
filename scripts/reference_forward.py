#!/usr/bin/env python3
"""Independent NumPy reference of the optbench model's loss, written from SPEC.md alone.

Usage: reference_forward.py WEIGHTS.safetensors TOKENS.npy [BATCH_INDEX] [Z_LOSS]
Prints {"loss":..., "ce":..., "z_loss":...} for the batch, in float64, to compare with
`optbench forward`. Needs only NumPy.
"""
import json
import math
import struct
import sys

import numpy as np


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        b, e = info["data_offsets"]
        tensors[name] = np.frombuffer(data[b:e], dtype="<f4").reshape(info["shape"]).astype(np.float64)
    return meta, tensors


def layer_norm(x, w, eps=1e-5):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w


def rope(x, n_heads, theta=10000.0):
    b, t, c = x.shape
    hs = c // n_heads
    half = hs // 2
    x = x.reshape(b, t, n_heads, hs)
    inv = theta ** (-np.arange(half) * 2.0 / hs)
    ang = np.arange(t)[:, None] * inv[None, :]
    cos, sin = np.cos(ang)[None, :, None, :], np.sin(ang)[None, :, None, :]
    x1, x2 = x[..., :half], x[..., half:]
    out = np.concatenate([x1 * cos - x2 * sin, x2 * cos + x1 * sin], axis=-1)
    return out.reshape(b, t, c)


def gelu(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def main():
    weights, tokens = sys.argv[1], sys.argv[2]
    k = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    z_coef = float(sys.argv[4]) if len(sys.argv) > 4 else 1e-4
    meta, p = read_safetensors(weights)
    n_layers, n_heads = int(meta["n_layers"]), int(meta["n_heads"])
    batch = np.load(tokens)[k].astype(np.int64)
    idx, tgt = batch[:, :-1], batch[:, 1:]
    b, t = idx.shape
    x = p["wte.weight"][idx]
    mask = np.triu(np.ones((t, t), dtype=bool), 1)
    for i in range(n_layers):
        pre = f"blocks.{i}."
        h = layer_norm(x, p[pre + "ln1.weight"])
        qkv = h @ p[pre + "attn.qkv.weight"].T
        c = x.shape[-1]
        q, kk, v = qkv[..., :c], qkv[..., c:2 * c], qkv[..., 2 * c:]
        if pre + "attn.q_norm.weight" in p:
            q = layer_norm(q, p[pre + "attn.q_norm.weight"])
            kk = layer_norm(kk, p[pre + "attn.k_norm.weight"])
        q, kk = rope(q, n_heads), rope(kk, n_heads)
        hs = c // n_heads
        qh = q.reshape(b, t, n_heads, hs).transpose(0, 2, 1, 3)
        kh = kk.reshape(b, t, n_heads, hs).transpose(0, 2, 1, 3)
        vh = v.reshape(b, t, n_heads, hs).transpose(0, 2, 1, 3)
        s = qh @ kh.transpose(0, 1, 3, 2) / math.sqrt(hs)
        s = np.where(mask, -np.inf, s)
        s = np.exp(s - s.max(-1, keepdims=True))
        s = s / s.sum(-1, keepdims=True)
        y = (s @ vh).transpose(0, 2, 1, 3).reshape(b, t, c)
        x = x + y @ p[pre + "attn.proj.weight"].T
        h = layer_norm(x, p[pre + "ln2.weight"])
        x = x + gelu(h @ p[pre + "mlp.fc.weight"].T) @ p[pre + "mlp.proj.weight"].T
    logits = layer_norm(x, p["ln_f.weight"]) @ p["lm_head.weight"].T
    m = logits.max(-1, keepdims=True)
    lse = (m + np.log(np.exp(logits - m).sum(-1, keepdims=True)))[..., 0]
    ce = (lse - np.take_along_axis(logits, tgt[..., None], -1)[..., 0]).mean()
    z = z_coef * (lse ** 2).mean()
    print(json.dumps({"loss": ce + z, "ce": ce, "z_loss": z}))


if __name__ == "__main__":
    main()
