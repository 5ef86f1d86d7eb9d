#!/usr/bin/env bash
# Trains the bundled image models (one per family) from Debian's Fashion-MNIST
# with the app's own trainer, into resources/models/. One command, resumable:
# training happens in .training/ (ignored by git; checkpoints and progress
# grids), and rerunning continues each model from its checkpoint. Finished
# packages are copied into resources/models/. Usage: tools/train-image-models.sh [BUILD_DIR] [vae|gan|flow ...]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build}"
shift || true
families=("${@:-vae flow gan}")
studio="$build/bin/latent-studio"
[ -x "$studio" ] || { echo "build the app first: $studio is missing" >&2; exit 2; }
work="$here/.training/image"
mkdir -p "$work"

train() {  # family steps extra-args...
  local family="$1" steps="$2"
  shift 2
  "$studio" train image --family "$family" --data fashion-mnist --out "$work/fashion-$family" \
    --steps "$steps" --seed 20261128 --set sample_every=500 --set checkpoint_every=250 "$@"
  rm -rf "$here/resources/models/fashion-$family"
  cp -r "$work/fashion-$family" "$here/resources/models/fashion-$family"
}

for f in ${families[@]}; do
  case "$f" in
    vae)  train vae 4000 --set latent_dim=32 --set width=32 ;;
    flow) train flow 3000 --set levels=2 --set steps_per_level=8 --set hidden=96 ;;
    gan)  train gan 4000 --set width=64 --set conditional=true ;;
    *) echo "unknown family $f (vae, gan, flow)" >&2; exit 2 ;;
  esac
done
