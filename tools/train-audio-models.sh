#!/usr/bin/env bash
# Trains the bundled sound model (audio-ddsp, VQ-VAE + prior) from the notes
# FluidSynth renders with fluid-soundfont-gm, the Hydrogen drum kits and Sonic
# Pi's samples (scripts/studio installs them), with the app's own trainer, into
# resources/models/. One command, resumable: training happens in .training/
# (ignored by git; checkpoints), and rerunning continues from the checkpoint
# (Ctrl+C saves one). About an hour on a 2-core machine.
# Usage: tools/train-audio-models.sh [BUILD_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build}"
studio="$build/bin/latent-studio"
[ -x "$studio" ] || { echo "build the app first: $studio is missing" >&2; exit 2; }
work="$here/.training"
mkdir -p "$work"
"$studio" train audio --family ddsp --data fluidsynth,hydrogen,sonic-pi --out "$work/oneshots-vq" \
  --steps 4000 --seed 20261202 --set bottleneck=vq --set prior_steps=2500 --set checkpoint_every=250 \
  --set name="One-shots VQ (drums and notes)"
rm -rf "$here/resources/models/oneshots-vq"
cp -r "$work/oneshots-vq" "$here/resources/models/oneshots-vq"
