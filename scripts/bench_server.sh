#!/usr/bin/env bash
# Server benchmark: starts `optbench server` on loopback with a throwaway token and store, starts a
# sweep that trains for the whole run (one trial at a time, one kernel thread), then measures from
# a second process: GetSweep/ListSweeps latency at a fixed rate while WATCHERS watch streams are
# open (optbench bench-server). Stops everything at the end.
# Usage: scripts/bench_server.sh [RATE] [SECONDS] [WATCHERS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rate="${1:-1000}"
seconds="${2:-60}"
watchers="${3:-1000}"
work="$(mktemp -d)"
port="${OPTBENCH_BENCH_PORT:-7543}"
token="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
echo "bench $token admin" > "$work/tokens"
cat > "$work/train.yaml" <<YAML
name: bench-train
model: {preset: nano}
data: synthetic
steps: 100000
parallel: 1
train: {eval_points: 0}
parameters:
  optimizer:
    adamw: {lr: {value: 1.0e-3}}
YAML
"$root/optbench" server --port "$port" --bind 127.0.0.1 --tokens "$work/tokens" --runs-dir "$work/runs" \
    --threads-per-trial 1 > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  grep -q "listening" "$work/server.log" && break
  sleep 0.2
done
"$root/optbench" sweep submit "$work/train.yaml" --server "127.0.0.1:$port" --token "$token"
sleep 5
"$root/optbench" bench-server --server "127.0.0.1:$port" --token "$token" --sweep bench-train \
    --rate "$rate" --seconds "$seconds" --watchers "$watchers" ${OPTBENCH_BENCH_ARGS:-}
"$root/optbench" sweep status bench-train --server "127.0.0.1:$port" --token "$token"
"$root/optbench" sweep cancel bench-train --server "127.0.0.1:$port" --token "$token" > /dev/null
