#!/usr/bin/env python3
"""Reference sgemm throughput of NumPy's BLAS (OpenBLAS in the wheels) at 1024^3, for comparison
with `optbench bench`'s sgemm figure measured on the same machine. Prints one JSON line."""
import json
import time

import numpy as np

n = 1024
a = np.random.rand(n, n).astype(np.float32)
b = np.random.rand(n, n).astype(np.float32)
for _ in range(3):
    a @ b
rates = []
for _ in range(10):
    t = time.perf_counter()
    a @ b
    rates.append(2 * n ** 3 / (time.perf_counter() - t) / 1e9)
rates.sort()
print(json.dumps({"bench": "numpy_sgemm", "m": n, "n": n, "k": n,
                  "gflops": {"median": round(rates[5], 2), "min": round(rates[0], 2), "max": round(rates[-1], 2)}}))
