#!/usr/bin/env bash
# Validates optbench on a machine's OpenCL devices (a GPU) with one command, without a JDK there.
#
#   scripts/device-check.sh build   here, with JDK 17, Maven and python3: builds dist/device-check/,
#                                   holding a jlink'd Java runtime (at most 64 MiB), the optbench jar
#                                   (Linux x86-64 natives only), the OpenCL tests and the JUnit console
#                                   launcher, packed as dist/device-check.tar.xz (about 50 MiB)
#   scripts/device-check.sh [run]   on the GPU machine, from a checkout that holds dist/device-check or
#                                   only dist/device-check.tar.xz (unpacked on first use):
#                                   1. lists the devices; 2. runs the OpenCL parity tests (every
#                                   kernel against its CPU twin, every optimizer's training steps on
#                                   both); 3. bench --device cpu,opencl; 4. a small portability study
#                                   (examples/portability.yaml: CPU and OpenCL, throughput and the
#                                   agreement of final losses). It prints PASS or FAIL per step and
#                                   exits non-zero when a step fails.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dist="$root/dist/device-check"
archive="$root/dist/device-check.tar.xz"
# The modules the optbench jar needs (jdeps --print-module-deps) plus TLS's elliptic curves.
modules=java.base,java.compiler,java.desktop,java.logging,java.naming,java.security.jgss,java.sql,jdk.crypto.ec,jdk.incubator.vector,jdk.management,jdk.unsupported
max_runtime_mib=64
console=org.junit.platform:junit-platform-console-standalone:1.14.4

build() {
  command -v jlink >/dev/null || { echo "device-check build: jlink not found; install a JDK 17 (openjdk-17-jdk-headless)" >&2; exit 2; }
  command -v python3 >/dev/null || { echo "device-check build: python3 not found (it repacks the jar)" >&2; exit 2; }
  (cd "$root" && mvn -q -B -DskipTests install)
  rm -rf "$dist" "$archive"
  mkdir -p "$dist/lib"
  jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 --output "$dist/runtime" 2>&1 \
    | grep -v "incubator modules" || true
  local mib
  mib=$(du -sm "$dist/runtime" | cut -f1)
  if [ "$mib" -gt "$max_runtime_mib" ]; then
    echo "device-check build: the runtime is $mib MiB, more than $max_runtime_mib MiB" >&2
    exit 1
  fi
  # The jar keeps only the Linux x86-64 native libraries and is stored uncompressed, so that the
  # archive's xz compresses the classes across files.
  python3 - "$root/client-cli/target/optbench.jar" "$dist/lib/optbench.jar" <<'EOF'
import re, sys, zipfile
native = re.compile(r"\.(so|dll|dylib|jnilib|a)$")
linux_x64 = re.compile(r"linux[-_/]?(x86[-_]64|amd64)", re.IGNORECASE)
with zipfile.ZipFile(sys.argv[1]) as src, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_STORED) as out:
    for entry in src.infolist():
        if native.search(entry.filename) and not linux_x64.search(entry.filename):
            continue
        out.writestr(entry.filename, src.read(entry.filename), zipfile.ZIP_STORED)
EOF
  local staging="$dist/test-classes"
  mkdir -p "$staging"
  for m in kernels model optim train; do
    cp -r "$root/$m/target/test-classes/." "$staging/"
  done
  rm -rf "$staging/META-INF"
  jar --create --no-compress --file "$dist/lib/optbench-tests.jar" -C "$staging" .
  rm -rf "$staging"
  (cd "$root" && mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy -Dartifact="$console" \
    -DoutputDirectory="$dist/lib" -Dmdep.stripVersion=true)
  cp "$root/examples/portability.yaml" "$dist/portability.yaml"
  git -C "$root" rev-parse --short HEAD > "$dist/COMMIT" 2>/dev/null || true
  tar -C "$(dirname "$dist")" -cJf "$archive" "$(basename "$dist")"
  echo "device-check build: $archive ($(du -m "$archive" | cut -f1) MiB; the runtime is $mib MiB unpacked)"
}

run() {
  if [ -f "$archive" ] && { [ ! -x "$dist/runtime/bin/java" ] || [ "$archive" -nt "$dist/COMMIT" ]; }; then
    local unpack
    unpack="$(mktemp -d "$(dirname "$dist")/unpack.XXXXXX")"
    tar -C "$unpack" -xJf "$archive"
    rm -rf "$dist"
    mv "$unpack/$(basename "$dist")" "$dist"
    rm -rf "$unpack"
  fi
  [ -x "$dist/runtime/bin/java" ] || { echo "device-check: neither $dist nor $archive; run 'scripts/device-check.sh build' on a machine with a JDK first" >&2; exit 2; }
  local java="$dist/runtime/bin/java"
  export LD_PRELOAD="$dist/runtime/lib/server/libjsig.so${LD_PRELOAD:+:$LD_PRELOAD}"
  export OPTBENCH_REQUIRE_OPENCL=1
  local work failed=0
  work="$(mktemp -d)"
  local optbench=("$java" --add-modules jdk.incubator.vector -jar "$dist/lib/optbench.jar")
  step() {
    local name="$1"; shift
    echo "== $name"
    if "$@"; then echo "PASS $name"; else echo "FAIL $name"; failed=1; fi
  }
  echo "optbench device check, commit $(cat "$dist/COMMIT" 2>/dev/null || echo unknown), $(date -u +%FT%TZ)"
  step "devices" "${optbench[@]}" devices
  step "OpenCL parity tests" "$java" --add-modules jdk.incubator.vector -jar "$dist/lib/junit-platform-console-standalone.jar" \
    execute --disable-banner --details=summary \
    --class-path "$dist/lib/optbench-tests.jar:$dist/lib/optbench.jar" \
    --select-class org.optbench.kernels.opencl.OpenClKernelTest --select-class org.optbench.train.OpenClTrainingTest
  step "bench --device cpu,opencl" "${optbench[@]}" bench --device cpu,opencl --shape P0 --steps 3
  step "portability study" "${optbench[@]}" study "$dist/portability.yaml" --runs-dir "$work/runs"
  if [ -f "$work/runs/portability/report/summary.json" ]; then
    echo "== device agreement and throughput (summary.json)"
    grep -A30 '"devices"' "$work/runs/portability/report/summary.json" | head -40 || true
  fi
  rm -rf "$work"
  [ "$failed" = 0 ] && echo "device check: every step passed" || echo "device check: some steps failed"
  return "$failed"
}

case "${1:-run}" in
  build) build ;;
  run) run ;;
  *) echo "usage: scripts/device-check.sh [build|run]" >&2; exit 2 ;;
esac
