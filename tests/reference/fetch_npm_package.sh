#!/usr/bin/env bash
# Fetches one published npm package tarball from the registry, checks its
# sha1 (the registry's dist.shasum) and unpacks it: tests compare against
# reference code and files that only npm carries (../shared/DATA.md).
# Usage: fetch_npm_package.sh NAME VERSION SHA1 DEST_DIR  -> DEST_DIR/package/
set -euo pipefail
name="$1" version="$2" sha1="$3" dest="$4"
[ -f "$dest/package/.fetched-$version" ] && exit 0
mkdir -p "$dest"
base="${name##*/}"
tarball="$dest/$base-$version.tgz"
url="https://registry.npmjs.org/$name/-/$base-$version.tgz"
if ! curl -fsSL --retry 3 -o "$tarball" "$url" 2>/dev/null; then
  if command -v npm >/dev/null; then
    (cd "$dest" && npm pack --silent "$name@$version" >/dev/null)
  else
    echo "cannot fetch $url (no network?) and npm is not installed" >&2
    exit 1
  fi
fi
echo "$sha1  $tarball" | sha1sum --check --quiet
rm -rf "$dest/package"
tar -xzf "$tarball" -C "$dest"
touch "$dest/package/.fetched-$version"
