#!/usr/bin/env bash
# GPU-machine check: builds the Qt-free project (-DLATENT_BUILD_UI=OFF) against
# pip's CUDA LibTorch with the carried .devkit (tools/device/prepare-kit.sh),
# runs the cpu-labelled ctest suite, then CUDA checks: `devices --json` shows a
# real cuda:0, and one TorchScript generator renders on cuda:0 and on cpu with
# the same seed (pixels compared with each other and with PyTorch's reference).
#
# Every phase is timed; a failed phase does not stop the later ones; the script
# exits non-zero if any phase failed. Results land in $OUT (at most 6 files):
#   log (everything, set -x trace included), build.log (gtest, configure, build),
#   ctest.log, devices.json, cuda.png, cpu.png
#
# Optional environment (defaults suit the device machine):
#   OUT               results folder (the device tool sets it; else build-cuda-out/)
#   LATENT_PY         python with torch (default: python3 on PATH)
#   LATENT_TORCH_DIR  folder holding TorchConfig.cmake (default: LATENT_PY's torch)
#   BUILD_DIR (build-cuda)  JOBS (nproc)  CTEST_JOBS (8)
#   CHECK_DEADLINE_S  whole-run budget in seconds (default 450); phases shrink to fit
#   NO_PHASE_CAPS=1   only the whole-run budget limits phases (slow machines)
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
ROOT="$PWD"
OUT="${OUT:-$ROOT/build-cuda-out}"
mkdir -p "$OUT"
BUILD_DIR="${BUILD_DIR:-build-cuda}"
JOBS="${JOBS:-$(nproc)}"
CTEST_JOBS="${CTEST_JOBS:-8}"
DEADLINE="${CHECK_DEADLINE_S:-450}"
KIT="$ROOT/.devkit"

# Output: console and $OUT/log; the set -x trace goes to $OUT/log only, so the
# console (the device tool's output_tail) stays readable.
exec > >(tee -a "$OUT/log") 2>&1
tee_pid=$!
exec {xtrace_fd}>>"$OUT/log"
BASH_XTRACEFD=$xtrace_fd
PS4='+ [${SECONDS}s] '
set -x

summary=()
failed=0

# cap WANTED KEEP: seconds this step may take: at most WANTED, leaving KEEP
# seconds of the budget for later phases (never below 5).
cap() {
  local left=$((DEADLINE - SECONDS - $2))
  [ -z "${NO_PHASE_CAPS:-}" ] && ((left > $1)) && left=$1
  ((left < 5)) && left=5
  echo "$left"
}

phase() {  # name, function: runs it timed, records ok/FAIL, never aborts
  local name="$1" t0=$SECONDS rc res
  shift
  echo
  echo "=== $name: start at +${SECONDS}s ($(date +%T))"
  "$@"
  rc=$?
  case "$rc" in
    0) res=ok ;;
    124 | 137) res="TIMEOUT"; failed=1 ;;
    *) res="FAIL(rc=$rc)"; failed=1 ;;
  esac
  summary+=("$(printf '%-10s %-12s %4ss' "$name" "$res" "$((SECONDS - t0))")")
  echo "=== $name: $res after $((SECONDS - t0))s (total +${SECONDS}s)"
  return "$rc"
}

# ---------------------------------------------------------------- phases
PY="" TORCH_DIR="" NVCC="" CUDA_ROOT="" GEN="" CUDNN_H="" CUDNN_SO="" TORCH_VERSION=""

setup() {
  local ok=0
  echo "host: $(uname -srm), $(nproc) cores, $(free -g 2>/dev/null | awk '/Mem:/{print $2 " GiB"}')"
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
  for t in c++ g++ cmake ninja nvcc; do
    printf '  %-6s %s\n' "$t" "$(command -v "$t" || echo '(none)')"
  done
  c++ --version | head -n1
  cmake --version | head -n1
  [ -d "$KIT/include/spdlog" ] && [ -d "$KIT/lib/cmake" ] && [ -d "$KIT/src/googletest" ] ||
    { echo "ERROR: $KIT is missing or incomplete: run tools/device/prepare-kit.sh and carry .devkit"; ok=1; }
  [ -f "$KIT/VERSIONS" ] && sed 's/^/  kit: /' "$KIT/VERSIONS"

  PY="$(command -v "${LATENT_PY:-python3}")"
  if [ -z "${LATENT_PY:-}" ] && ! "$PY" -c 'import torch' 2>/dev/null && [ -x /opt/torch/.venv/bin/python3 ]; then
    PY=/opt/torch/.venv/bin/python3
  fi
  TORCH_VERSION="$("$PY" -c 'import torch; print(torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available())' 2>&1 | tail -n1)"
  echo "python: $PY: torch $TORCH_VERSION"
  TORCH_DIR="${LATENT_TORCH_DIR:-$("$PY" -c 'import torch, os; print(os.path.join(torch.utils.cmake_prefix_path, "Torch"))' 2>/dev/null)}"
  echo "Torch_DIR: $TORCH_DIR"
  [ -f "$TORCH_DIR/TorchConfig.cmake" ] || { echo "ERROR: no TorchConfig.cmake in '$TORCH_DIR'"; ok=1; }

  # CUDA toolkit: nvcc on PATH, else the usual install folder.
  NVCC="$(command -v nvcc || true)"
  [ -z "$NVCC" ] && [ -x /usr/local/cuda/bin/nvcc ] && NVCC=/usr/local/cuda/bin/nvcc
  if [ -n "$NVCC" ]; then
    CUDA_ROOT="$(dirname "$(dirname "$(readlink -f "$NVCC")")")"
    PATH="$(dirname "$NVCC"):$PATH"
    export PATH CUDACXX="$NVCC" CUDA_HOME="$CUDA_ROOT" CUDA_PATH="$CUDA_ROOT"
    "$NVCC" --version | tail -n2
    echo "CUDA root: $CUDA_ROOT"
    local h
    for h in cuda_runtime_api.h cublas_v2.h cublasLt.h cusparse.h cusolverDn.h; do
      [ -f "$CUDA_ROOT/include/$h" ] || [ -f "$CUDA_ROOT/targets/x86_64-linux/include/$h" ] ||
        echo "  note: $h not in $CUDA_ROOT (device names may stay generic)"
    done
  else
    echo "no nvcc: configuring without CUDA toolkit hints (a CUDA LibTorch will then fail to configure)"
  fi
  # cuDNN: pip's torch config insists on finding it (it was built with it).
  local nv_dirs
  nv_dirs="$("$PY" -c 'import nvidia; print(" ".join(nvidia.__path__))' 2>/dev/null || true)"
  # shellcheck disable=SC2086
  CUDNN_H="$(find $nv_dirs "$CUDA_ROOT" /usr/include /usr/local/cuda/include -maxdepth 4 -name cudnn.h 2>/dev/null | head -n1)"
  # The library from the same install as the header (pip's nvidia/cudnn first:
  # that is the one libtorch_cuda loads at run time).
  if [ -n "$CUDNN_H" ]; then
    CUDNN_SO="$(find "$(dirname "$(dirname "$CUDNN_H")")" -maxdepth 3 -name 'libcudnn.so*' 2>/dev/null | sort | head -n1)"
  fi
  [ -z "$CUDNN_SO" ] && CUDNN_SO="$(find /usr/lib/x86_64-linux-gnu -maxdepth 1 -name 'libcudnn.so*' 2>/dev/null | sort | head -n1)"
  echo "cuDNN: header '${CUDNN_H:-none}', library '${CUDNN_SO:-none}'"
  if [ -f /usr/include/zlib.h ]; then echo "zlib.h: present (compressed PNGs)"; else echo "zlib.h: absent (PNGs stored uncompressed)"; fi

  if command -v ninja >/dev/null; then GEN=Ninja; else GEN="Unix Makefiles"; fi
  return $ok
}

build_gtest() {
  local src="$KIT/src/googletest" bld="$KIT/gtest-build" inst="$KIT/gtest-install"
  if ls "$inst"/lib*/cmake/GTest/GTestConfig.cmake >/dev/null 2>&1; then
    echo "googletest already installed in $inst"
    return 0
  fi
  {
    timeout -k 5 "$(cap 120 330)" cmake -S "$src" -B "$bld" -G "$GEN" -DCMAKE_BUILD_TYPE=Release \
      -DBUILD_GMOCK=OFF -DINSTALL_GTEST=ON -DCMAKE_INSTALL_PREFIX="$inst" \
      -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DCMAKE_POLICY_VERSION_MINIMUM=3.5 &&
      timeout -k 5 "$(cap 120 330)" cmake --build "$bld" -j "$JOBS" &&
      cmake --install "$bld"
  } >>"$OUT/build.log" 2>&1
  local rc=$?
  [ $rc -eq 0 ] || tail -n 30 "$OUT/build.log"
  return $rc
}

configure() {
  local args=(
    -S "$ROOT" -B "$ROOT/$BUILD_DIR" -G "$GEN"
    -DCMAKE_BUILD_TYPE=Release -DLATENT_BUILD_UI=OFF -DLATENT_BUILD_BENCH=OFF
    -DLATENT_BUILD_TESTS=ON -DLATENT_BUILD_PLUGINS=ON -DCMAKE_DISABLE_FIND_PACKAGE_Qt6=ON
    -DLATENT_BUILD_TEXT=OFF  # the kit does not carry PCRE2/SentencePiece yet
    -DLATENT_TORCH_OPENMP=OFF  # pip's torch bundles its own libgomp; no kernel here needs ours
    -DTorch_DIR="$TORCH_DIR"
    "-DCMAKE_PREFIX_PATH=$KIT;$KIT/gtest-install"
    -DLATENT_REFERENCE_PYTHON="$PY" -DPython_EXECUTABLE="$PY" -DPYTHON_EXECUTABLE="$PY"
    # Installed binaries (install_smoke) must find a LibTorch outside the system paths.
    -DCMAKE_INSTALL_RPATH_USE_LINK_PATH=ON
    -DCMAKE_POLICY_VERSION_MINIMUM=3.5
  )
  if [ -n "$NVCC" ]; then
    args+=(-DCMAKE_CUDA_COMPILER="$NVCC" -DCUDAToolkit_ROOT="$CUDA_ROOT" -DCUDA_TOOLKIT_ROOT_DIR="$CUDA_ROOT"
           -DCMAKE_CUDA_ARCHITECTURES=90 -DTORCH_CUDA_ARCH_LIST=9.0)
  fi
  if [ -n "$CUDNN_H" ] && [ -n "$CUDNN_SO" ]; then
    args+=(-DCUDNN_INCLUDE_PATH="$(dirname "$CUDNN_H")" -DCUDNN_LIBRARY_PATH="$CUDNN_SO"
           -DCUDNN_INCLUDE_DIR="$(dirname "$CUDNN_H")" -DCUDNN_LIBRARY="$CUDNN_SO")
  fi
  echo "cmake ${args[*]}"
  echo "### configure" >>"$OUT/build.log"
  # Some FindCUDNN versions try_run a program linked to cuDNN.
  local ld="${LD_LIBRARY_PATH:-}"
  [ -n "$CUDNN_SO" ] && ld="$(dirname "$CUDNN_SO")${ld:+:$ld}"
  LD_LIBRARY_PATH="$ld" timeout -k 5 "$(cap 180 300)" cmake "${args[@]}" >>"$OUT/build.log" 2>&1
  local rc=$?
  grep -E "LibTorch|CUDA|cuDNN|Found (GTest|ZLIB)|CMake (Error|Warning)" "$OUT/build.log" | grep -v "^--   " | tail -n 25
  grep -E "^(spdlog|nlohmann_json|CLI11|GTest|fmt|Torch)_DIR" "$ROOT/$BUILD_DIR/CMakeCache.txt" 2>/dev/null
  if [ $rc -ne 0 ]; then
    echo "--- configure failed; errors:"
    grep -A 12 "CMake Error" "$OUT/build.log" | head -n 60
  fi
  return $rc
}

build() {
  local keep_going=(-k 0)
  [ "$GEN" = Ninja ] || keep_going=(-k)
  echo "### build" >>"$OUT/build.log"
  timeout -k 10 "$(cap 300 130)" cmake --build "$ROOT/$BUILD_DIR" -j "$JOBS" -- "${keep_going[@]}" >>"$OUT/build.log" 2>&1
  local rc=$?
  grep -E "pragma message|warning: .*LATENT" "$OUT/build.log" | head -n 5
  if [ $rc -ne 0 ]; then
    echo "--- build failed (rc=$rc); first errors:"
    grep -E -B 2 -A 6 "error:|FAILED:|undefined reference|Error [0-9]" "$OUT/build.log" | head -n 80
  fi
  return $rc
}

run_ctest() {
  [ -f "$ROOT/$BUILD_DIR/CTestTestfile.cmake" ] || { echo "no build tree"; return 1; }
  # Python's torch (reference pixels) and the tests use the same thread count,
  # as on the 2-core CI machine; also avoids 8 x 16 threads oversubscribing.
  (cd "$ROOT/$BUILD_DIR" && OMP_NUM_THREADS=2 timeout -k 10 "$(cap 240 60)" \
     ctest -L cpu --output-on-failure -j "$CTEST_JOBS" --timeout 240) >"$OUT/ctest.log" 2>&1
  local rc=$?
  grep -E "tests passed|tests failed|\*\*\*Failed|\*\*\*Timeout|Not Run|Exception|Total Test time" "$OUT/ctest.log" | tail -n 30
  [ $rc -eq 0 ] || echo "(full output: ctest.log)"
  return $rc
}

cuda_checks() {
  local bin="$ROOT/$BUILD_DIR/bin/latent-studio" work fails=0
  [ -x "$bin" ] || { echo "no $bin"; return 1; }
  work="$(mktemp -d)"
  export LATENT_STUDIO_HOME="$work/home" LATENT_MODEL_PATH="$work/models"
  unset LATENT_PLUGIN_PATH
  timeout -k 3 "$(cap 30 5)" "$bin" --version
  if [ "$(grep -c 'LibTorch with CUDA: ON' "$OUT/build.log")" -eq 0 ]; then
    echo "FAIL: LibTorch was not detected as CUDA-enabled (LATENT_WITH_CUDA unset)"; fails=$((fails + 1))
  fi

  echo "--- devices"
  timeout -k 3 "$(cap 30 5)" "$bin" devices --json >"$OUT/devices.json" || { echo "FAIL: devices --json"; fails=$((fails + 1)); }
  cat "$OUT/devices.json"
  "$PY" - "$OUT/devices.json" <<'PYEOF' || fails=$((fails + 1))
import json, sys
devs = json.load(open(sys.argv[1]))
cuda = [d for d in devs if d.get("id") == "cuda:0"]
if not cuda:
    print("FAIL: no cuda:0 device listed"); sys.exit(1)
d = cuda[0]
gib = d.get("memory_bytes", 0) / 2**30
print(f"cuda:0 = {d['name']!r}, {gib:.1f} GiB")
bad = []
if d["name"].startswith("CUDA device"): bad.append("generic name")
if d.get("memory_bytes", 0) <= 0: bad.append("no memory size")
if bad:
    print("FAIL: " + ", ".join(bad)); sys.exit(1)
PYEOF

  echo "--- TorchScript end to end: cuda:0 vs cpu"
  timeout -k 3 "$(cap 90 5)" "$PY" "$ROOT/tests/reference/make_torchscript_generator.py" "$work/ref" >/dev/null ||
    { echo "FAIL: reference generators"; return 1; }
  timeout -k 3 "$(cap 30 5)" "$bin" import "$work/ref/rgb.pt" --latent-dim 16 --name "Tiny RGB" --out "$work/models" ||
    { echo "FAIL: import rgb"; return 1; }
  timeout -k 3 "$(cap 30 5)" "$bin" import "$work/ref/cond.pt" --latent-dim 12 --classes 5 --name "Tiny Cond" --out "$work/models" ||
    { echo "FAIL: import cond"; fails=$((fails + 1)); }
  local dev t0
  for dev in cuda:0 cpu; do
    local tag="${dev%%:*}"
    t0=$(date +%s%N)
    timeout -k 3 "$(cap 30 5)" "$bin" generate --model tiny-rgb --device "$dev" --seed 7 --out "$OUT/$tag.png" ||
      { echo "FAIL: generate on $dev"; fails=$((fails + 1)); }
    echo "  tiny-rgb on $dev: $(( ($(date +%s%N) - t0) / 1000000 )) ms (process start included)"
    timeout -k 3 "$(cap 30 5)" "$bin" generate --model tiny-cond --device "$dev" --seed 99 --set class=2 --set batch=3 \
      --out "$work/cond-$tag.png" >/dev/null || { echo "FAIL: generate tiny-cond on $dev"; fails=$((fails + 1)); }
  done
  "$PY" "$ROOT/tests/reference/check_png.py" "$OUT/cuda.png" | cut -c1-400 || fails=$((fails + 1))

  # Pixels: CUDA vs CPU (may differ by a rounding step: TF32/cuDNN kernels),
  # CPU vs PyTorch's reference (must be exact), CUDA vs reference.
  "$PY" - "$OUT" "$work" <<'PYEOF' || fails=$((fails + 1))
import struct, sys, zlib
out, work = sys.argv[1], sys.argv[2]

def rgb(path):
    data = open(path, "rb").read()
    pos, idat = 8, b""
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4]); kind = data[pos + 4:pos + 8]
        if kind == b"IHDR": w, h = struct.unpack(">II", data[pos + 8:pos + 16])
        elif kind == b"IDAT": idat += data[pos + 8:pos + 8 + n]
        pos += 12 + n
    raw, stride, px = zlib.decompress(idat), w * 4, bytearray()
    for y in range(h):
        row = raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)]
        for x in range(w): px += row[x * 4:x * 4 + 3]
    return bytes(px)

def diff(a, b):
    if len(a) != len(b): return None, None
    d = [abs(x - y) for x, y in zip(a, b)]
    return max(d), sum(1 for v in d if v)

ok = True
cases = [("tiny-rgb", [f"{out}/cuda.png"], [f"{out}/cpu.png"], f"{work}/ref/rgb.7.rgb"),
         ("tiny-cond x3", [f"{work}/cond-cuda-{i}.png" for i in range(3)],
          [f"{work}/cond-cpu-{i}.png" for i in range(3)], f"{work}/ref/cond.99.rgb")]
for name, cuda_files, cpu_files, ref_file in cases:
    try:
        cuda = b"".join(rgb(f) for f in cuda_files); cpu = b"".join(rgb(f) for f in cpu_files)
    except Exception as e:
        print(f"FAIL: {name}: cannot read PNGs: {e}"); ok = False; continue
    ref = open(ref_file, "rb").read()
    for label, a, b, limit in [("cuda vs cpu", cuda, cpu, 2), ("cpu vs reference", cpu, ref, 0),
                               ("cuda vs reference", cuda, ref, 2)]:
        mx, n = diff(a, b)
        if mx is None:
            print(f"FAIL: {name}: {label}: sizes differ ({len(a)} vs {len(b)} bytes)"); ok = False; continue
        verdict = "ok" if mx <= limit else "FAIL"
        ok &= mx <= limit
        print(f"{verdict}: {name}: {label}: max abs pixel difference {mx} (limit {limit}), "
              f"{n} of {len(a)} values differ")
sys.exit(0 if ok else 1)
PYEOF
  rm -rf "$work"
  [ $fails -eq 0 ]
}

# ---------------------------------------------------------------- run
echo "latent-studio device check: $(date -u +%FT%TZ), budget ${DEADLINE}s, repo $ROOT"
if phase setup setup; then
  phase gtest build_gtest
  if phase configure configure; then
    phase build build
    phase ctest run_ctest
    phase cuda cuda_checks
  fi
else
  echo "setup failed: nothing can be built"
fi

set +x
echo
echo "================ summary (+${SECONDS}s) ================"
echo "torch: $TORCH_VERSION"
grep -m1 -o "LibTorch with CUDA: [A-Z]*" "$OUT/build.log" 2>/dev/null
grep -m1 -E "[0-9]+% tests passed.*" "$OUT/ctest.log" 2>/dev/null
[ -f "$OUT/devices.json" ] && "$PY" -c 'import json,sys; [print("device:", d["id"], "=", d["name"], d["memory_bytes"]) for d in json.load(open(sys.argv[1]))]' "$OUT/devices.json" 2>/dev/null
for line in "${summary[@]}"; do echo "  $line"; done
if [ "$failed" -eq 0 ]; then echo "RESULT: all phases passed"; else echo "RESULT: FAILED (see above; logs in OUT: log build.log ctest.log)"; fi
exec 1>&- 2>&-
wait "$tee_pid" 2>/dev/null
exit "$failed"
