#!/usr/bin/env bash
# The three throughput goals of the benchmarks guide (docs/performance.md), measured in one run with
# optbench and PyTorch interleaved, so that every ratio compares numbers from the same minutes:
#   1. a study of short trials: optbench bench --study against the same 12 trials in PyTorch, as two
#      1-thread processes and as one 2-thread process;
#   2. the S0 training step on one thread against PyTorch's on one thread;
#   3. sgemm 1024^3 against PyTorch's OpenBLAS (its best kernels for the CPU), and the P1/P2 full step
#      against optbench's own sgemm.
# Needs PyTorch (Debian: python3-torch libopenblas0-pthread python3-threadpoolctl) and jq. Writes every
# JSON line to $OUT (default bench-goals.jsonl) and prints the ratios.
#
#   scripts/bench-goals.sh [--skip-torch-2-threads]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${OUT:-bench-goals.jsonl}"
python="${PYTHON:-/usr/bin/python3}"
skip2=false
# PyTorch at its best: on a CPU with AVX-512, OpenBLAS's AVX-512 kernels (SkylakeX), even where the
# environment pins older ones (a machine may set OPENBLAS_CORETYPE=Haswell, whose AVX2 sgemm is about
# half as fast).
if grep -qw avx512f /proc/cpuinfo 2>/dev/null && grep -qw avx512bw /proc/cpuinfo && grep -qw avx512dq /proc/cpuinfo \
  && grep -qw avx512vl /proc/cpuinfo; then
  export OPENBLAS_CORETYPE=SkylakeX
fi
[ "${1:-}" = "--skip-torch-2-threads" ] && skip2=true
: > "$out"
optbench() { "$root/optbench" "$@" --json 2>/dev/null | tee -a "$out" >/dev/null; }
torch() { "$python" "$root/scripts/torch_reference.py" "$@" | jq -c 'del(.blas) + {blas_kernels: ([.blas[]? | objects | .kernels] | first)}' \
  | tee -a "$out" >/dev/null; }
echo "1/3 study of short trials" >&2
optbench bench --study
torch study 12 300 1 2
$skip2 || torch study 12 300 2 1
echo "2/3 S0 step, one thread" >&2
optbench bench --shape S0 --threads 1 --steps 30
torch bench S0 1 30
optbench bench --shape S0 --threads 1 --steps 30
torch bench S0 1 30
echo "3/3 sgemm and the P1/P2 step" >&2
optbench bench --shape P1 --threads 2 --steps 5
torch sgemm 2
optbench bench --shape P2 --threads 2 --steps 5
torch sgemm 2
jq -rs '
  def med(f): [.[] | f] | sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor]
    else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  (map(select(.bench == "study")) | .[0].wall_s) as $ob |
  (map(select(.bench == "torch_study")) | map(.wall_s) | min) as $tb |
  (med(select(.bench == "train_step" and .shape == "S0" and .phase == "full_step") | .tokens_per_s.median)) as $os0 |
  (med(select(.bench == "torch_train_step" and .shape == "S0") | .tokens_per_s.median)) as $ts0 |
  (med(select(.bench == "sgemm" and (.device | test("2 threads"))) | .gflops.median)) as $og |
  (med(select(.bench == "torch_sgemm") | .gflops.median)) as $tg |
  "goal 1  study of short trials: optbench \($ob) s, fastest PyTorch arrangement \($tb) s: \($tb / $ob * 100 | round / 100)x (goal 1.5x)",
  "goal 2  S0 step, one thread: optbench \($os0 | round) tokens/s, PyTorch \($ts0 | round): \($os0 / $ts0 * 100 | round / 100)x (goal 2.5x)",
  "goal 3  sgemm 1024^3, 2 threads: optbench \($og * 10 | round / 10) GFLOP/s, OpenBLAS \($tg * 10 | round / 10): \($og / $tg * 100 | round / 100) (goal 0.9)",
  (.[] | select(.bench == "train_step" and .phase == "full_step" and (.shape == "P1" or .shape == "P2"))
    | "goal 3  \(.shape) full step: \(.of_sgemm_1024) of optbench'"'"'s sgemm (goal 0.85)")
' "$out"
