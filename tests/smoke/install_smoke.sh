#!/usr/bin/env bash
# Installs the build into a scratch prefix, as the .deb would lay it out, and
# checks the installed binary finds its plugins, bundled models and desktop files.
set -eu
build="$1"
prefix="$(mktemp -d)"; trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
export LATENT_STUDIO_HOME="$prefix/home"
unset LATENT_PLUGIN_PATH LATENT_MODEL_PATH
"$prefix/bin/latent-studio" --version
plugins="$("$prefix/bin/latent-studio" plugins --json)"
grep -q '"id": "image-torchscript"' <<<"$plugins" || { echo "FAIL: installed app lacks its plugin"; echo "$plugins"; exit 1; }
grep -q '"state": "ready"' <<<"$plugins" || { echo "FAIL: installed plugin not ready"; echo "$plugins"; exit 1; }
grep -q "$prefix" <<<"$plugins" || { echo "FAIL: plugin not loaded from the install prefix"; exit 1; }
[ -d "$prefix/share/latent-studio/models" ] || { echo "FAIL: no bundled model dir"; exit 1; }
# Every bundled model is listed and makes an image, text or sound from the installed
# tree (weights, hashes and, for text, its tokenizer included).
models="$("$prefix/bin/latent-studio" models)"
for dir in "$prefix"/share/latent-studio/models/*/; do
  [ -f "$dir/model.json" ] || continue
  id="$(basename "$dir")"
  grep -q "^$id " <<<"$models" || { echo "FAIL: bundled model $id is not listed"; echo "$models"; exit 1; }
  if grep -q '"family": "text-gpt"' "$dir/model.json"; then
    # A build with LATENT_BUILD_TEXT=OFF has no text plugin to run them.
    grep -q '"id": "text-gpt"' <<<"$plugins" || { echo "bundled model $id skipped: built without text"; continue; }
    out="$prefix/$id.txt"
    args=(--prompt "The" --set max_new_tokens=16)
  elif grep -q '"family": "audio-' "$dir/model.json"; then
    out="$prefix/$id.flac"
    args=()
  else
    out="$prefix/$id.png"
    args=()
  fi
  "$prefix/bin/latent-studio" generate --model "$id" --seed 1 "${args[@]}" --out "$out" >/dev/null ||
    { echo "FAIL: bundled model $id cannot generate"; exit 1; }
  [ -s "$out" ] || { echo "FAIL: bundled model $id wrote nothing"; exit 1; }
  echo "bundled model $id generates"
done
if grep -q "LATENT_BUILD_UI:BOOL=ON" "$build/CMakeCache.txt"; then
  [ -f "$prefix/share/applications/latent-studio.desktop" ] || { echo "FAIL: no .desktop file"; exit 1; }
  [ -f "$prefix/share/icons/hicolor/scalable/apps/latent-studio.svg" ] || { echo "FAIL: no icon"; exit 1; }
fi
echo "installed app finds its plugins and models"
