#!/usr/bin/env bash
# Bad-input corpus run end to end through the CLI (tests/data/bad/README.md).
# Every case must end with exit 2 or 3 (or the code it states) and a message
# on stderr naming the problem; never a signal, never a hang past its timeout,
# never more than a bounded peak RSS; and the user's files must be exactly as
# they were (content, modes, links and listing). One bad file must disable
# only itself: the good models are still listed and still run.
#
#   bad_inputs.sh BINARY SOURCE_DIR PYTHON
#
# The stderr patterns (grep -iE) name the file or field a good message
# mentions, not its wording; the lead may adjust them to the final messages.
set -u
bin="$1"; src="$2"; py="$3"
data="$src/tests/data/bad"
mk() { "$py" "$data/make_case.py" "$@"; }
work="$(mktemp -d)"; trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export LATENT_STUDIO_HOME="$work/home" LATENT_MODEL_PATH="$work/models" LATENT_PLUGIN_PATH=""
mkdir -p "$work/home" "$work/models" "$work/imports"
fails=0
timer=/usr/bin/time  # GNU time (Debian package `time`) measures the peak RSS
[ -x "$timer" ] || { echo "note: $timer missing, peak memory not checked"; timer=""; }
# A safety net under the RSS check: an 8 GiB address-space cap, unless this
# build cannot start under one (CUDA reserves far more virtual memory).
cap=$((8 << 20))  # KiB
(ulimit -v "$cap" && "$bin" devices --json) >/dev/null 2>&1 || { echo "note: no address-space cap (the CLI needs more)"; cap=unlimited; }

ok() { echo "ok: $1"; }
fail() { echo "FAIL: $1"; fails=$((fails + 1)); }

# case_ [-t SECONDS] [-m MiB] [-A] NAME WANT PATTERN COMMAND...
#   WANT: exit codes separated by '|' ("2|3", "0"); PATTERN must match stderr
#   unless WANT is 0. Defaults: 60 s, 2048 MiB peak RSS; -A lifts the
#   address-space cap (for mapping a big sparse file, as a user's run would).
case_() {
  local t=60 mb=2048 as="$cap"
  while :; do
    case "$1" in -t) t="$2"; shift 2 ;; -m) mb="$2"; shift 2 ;; -A) as=unlimited; shift ;; *) break ;; esac
  done
  local name="$1" want="$2" pattern="$3"; shift 3
  local rc rss=0 why="" start=$SECONDS
  if [ -n "$timer" ]; then
    (ulimit -v "$as"; exec "$timer" -o "$work/rss" -f %M timeout -k 5 "$t" "$@") >"$work/out" 2>"$work/err"; rc=$?
    rss=$(tail -n 1 "$work/rss" 2>/dev/null); [[ "$rss" =~ ^[0-9]+$ ]] || rss=0; rss=$((rss / 1024))
  else
    (ulimit -v "$as"; exec timeout -k 5 "$t" "$@") >"$work/out" 2>"$work/err"; rc=$?
  fi
  local secs=$((SECONDS - start)) errBytes; errBytes=$(stat -c %s "$work/err")
  if [ "$rc" = 124 ] || { [ "$rc" = 137 ] && [ "$secs" -ge "$t" ]; }; then why="hang: killed after ${t} s"
  elif [ "$rc" -gt 128 ]; then why="killed by signal $((rc - 128)) (SIG$(kill -l $((rc - 128)) 2>/dev/null))"
  elif [[ "|$want|" != *"|$rc|"* ]]; then why="exit $rc, expected $want"
  elif [ "$want" != 0 ] && ! grep -aqiE -- "$pattern" "$work/err"; then why="exit $rc, but stderr does not match '$pattern'"
  elif [ "$rss" -gt "$mb" ]; then why="exit $rc, but peak RSS ${rss} MiB > ${mb} MiB"
  elif [ "$errBytes" -gt 65536 ]; then why="exit $rc, but stderr is $errBytes bytes (a message, not a dump)"
  fi
  local first; first=$(grep -a -m1 -v '^\s*$' "$work/err" | cut -c1-200)
  if [ -z "$why" ]; then
    echo "ok: $name (exit $rc, ${secs} s, ${rss} MiB${first:+: $first})"
  else
    fail "$name: $why (${secs} s, ${rss} MiB)"
    grep -a -v '^\s*$' "$work/err" | head -n 4 | cut -c1-300 | sed 's/^/  stderr: /'
  fi
  [ -z "$why" ]
}

# Folder listing with types, modes, sizes, link targets, and file hashes.
snapshot() {
  (cd "$1" && find . -printf '%p %y %m %s %l\n' | LC_ALL=C sort && find . -type f -exec sha256sum {} + | LC_ALL=C sort)
}
intact() {  # description, folder, snapshot file taken before
  if [ "$(snapshot "$2")" == "$(cat "$3")" ]; then ok "$1"
  else fail "$1"; diff "$3" <(snapshot "$2") | head -n 12 | cut -c1-200 | sed 's/^/  /'; fi
}
absent() {  # description, path that must not exist
  if [ -e "$2" ] || [ -L "$2" ]; then fail "$1 ($2 exists)"; else ok "$1"; fi
}
same() {  # description, file, file
  if cmp -s "$2" "$3"; then ok "$1"; else fail "$1"; echo "  $(head -c 200 "$2" | tr '\n' ' ')"; echo "  $(head -c 200 "$3" | tr '\n' ' ')"; fi
}
has_plugin() { grep -q "\"id\": \"$1\"" "$work/plugins.json"; }
variant() {  # NAME BASE: a fresh copy of a reference folder to break
  rm -rf "$work/cases/$1"; mkdir -p "$work/cases"; cp -r "$2" "$work/cases/$1"; echo "$work/cases/$1"
}
package() {  # NAME BUNDLED [CONFIG_PATCH]: a copy of a bundled package with id NAME in $work/models
  rm -rf "$work/models/$1"; cp -r "$src/resources/models/$2" "$work/models/$1"
  mk refresh-manifest "$work/models/$1" "$1" ${3:+"$3"}
}

"$bin" plugins --json >"$work/plugins.json" 2>/dev/null || { echo "FAIL: plugins --json"; exit 1; }
image=0; text=0
has_plugin image-gan && has_plugin image-vae && has_plugin image-torchscript && image=1
has_plugin text-gpt && text=1  # absent only with LATENT_BUILD_TEXT=OFF
if [ "$image" = 0 ] && [ "$text" = 0 ]; then echo "no model-family plugins (LATENT_BUILD_PLUGINS=OFF): nothing to run"; exit 0; fi
[ "$image" = 1 ] || { echo "FAIL: the image plugins are not ready"; grep -E '"(id|error)"' "$work/plugins.json"; exit 1; }
[ "$text" = 1 ] || echo "note: text-gpt absent, text cases skipped"
"$py" "$src/tests/reference/make_torchscript_generator.py" "$work/ref" >/dev/null || { echo "FAIL: reference generators"; exit 1; }
if [ "$text" = 1 ]; then
  "$py" "$src/tests/reference/text_gpt.py" "$work/textref" >/dev/null || { echo "FAIL: reference text models"; exit 1; }
  gpt2="$work/textref/gpt2"; llama="$work/textref/llama"
fi
printf 'The quick painter draws the lazy river at dawn, and the river draws him back.\n%.0s' $(seq 60) >"$work/corpus.txt"

# Imports that must fail leave nothing in the destination.
import_case() {  # case_ options and NAME WANT PATTERN, then import arguments
  local opts=()
  while [ "${1:0:1}" = "-" ]; do
    if [ "$1" = -A ]; then opts+=("$1"); shift; else opts+=("$1" "$2"); shift 2; fi
  done
  local name="$1" want="$2" pattern="$3"; shift 3
  local before; before=$(ls -A "$work/imports")
  case_ "${opts[@]}" "$name" "$want" "$pattern" "$bin" import "$@" --out "$work/imports"
  if [ "$want" != 0 ] && [ "$(ls -A "$work/imports")" != "$before" ]; then
    fail "$name: the failed import left files in $work/imports"; rm -rf "$work/imports"; mkdir -p "$work/imports"
  fi
}

echo "== data loss: the user's files stay as they were"
mkdir -p "$work/user/notes/sub"; echo "my notes" >"$work/user/notes/notes.txt"; echo "more" >"$work/user/notes/sub/b.md"
snapshot "$work/user" >"$work/user.snap"
if [ "$text" = 1 ]; then
  case_ -t 120 "train text --out an existing folder that is not a package" 2 "user/notes" \
    "$bin" train text --data "$work/corpus.txt" --out "$work/user/notes" --steps 1 --set vocab=260 --set width=16 \
    --set heads=1 --set layers=1 --set context=8 --set batch=2 --set eval_every=1 --set checkpoint_every=1 --quiet
  intact "train text left the user's folder (and its parent) untouched" "$work/user" "$work/user.snap"
fi
if [ "$image" = 1 ]; then
  case_ -t 120 "train image --out an existing folder that is not a package" 2 "user/notes" \
    "$bin" train image --family vae --data fashion-mnist --out "$work/user/notes" --steps 1 --set batch=8 \
    --set limit=64 --set eval_limit=64 --set width=8 --set latent_dim=2 --set sample_every=1 --set checkpoint_every=1 --quiet
  intact "train image left the user's folder (and its parent) untouched" "$work/user" "$work/user.snap"
fi

# Path-like ids: nothing may be written, inside the models folder or beside it.
id_case() {  # DESCRIPTION ID SOURCE [import options]
  local what="$1" id="$2"; shift 2
  rm -rf "$work/sandbox" "$work/abs-target"; mkdir -p "$work/sandbox/a/b/models"
  snapshot "$work/sandbox" >"$work/sandbox.snap"
  case_ "$what --id '$id' is refused" 2 "\bid\b" "$bin" import "$@" --id "$id" --out "$work/sandbox/a/b/models"
  intact "$what --id '$id' wrote nothing" "$work/sandbox" "$work/sandbox.snap"
  absent "$what --id '$id': nothing at $work/abs-target" "$work/abs-target"
}
for id in "../../x" "a/b" ".." "." "" "$work/abs-target"; do
  id_case "import" "$id" "$work/ref/rgb.pt" --latent-dim 16
done
if [ "$text" = 1 ]; then
  for id in "../../x" "a/b"; do id_case "folder import" "$id" "$gpt2"; done
fi

# --out: a read-only file, a symlink to a file, a folder that does not exist, a folder.
out_cases() {  # MODEL EXT
  local m="$1" x="$2" d="$work/out-$1" extra=()
  [ "$x" = txt ] && extra=(--set max_new_tokens=4)
  rm -rf "$d" "$work/keep"; mkdir -p "$d/isdir.$x" "$work/keep"
  echo "precious" >"$d/ro.$x"; chmod 0444 "$d/ro.$x"
  echo "precious" >"$work/keep/target.$x"; ln -s "$work/keep/target.$x" "$d/link.$x"
  snapshot "$d" >"$work/out.snap"; snapshot "$work/keep" >"$work/keep.snap"
  case_ "generate $m --out a read-only file" "2|3" "read-only|read only|permission" \
    "$bin" generate --model "$m" --seed 1 "${extra[@]}" --out "$d/ro.$x"
  case_ "generate $m --out a symlink to a file" "2|3" "link" \
    "$bin" generate --model "$m" --seed 1 "${extra[@]}" --out "$d/link.$x"
  case_ "generate $m --out into a folder that does not exist" "2|3" "exist|no such" \
    "$bin" generate --model "$m" --seed 1 "${extra[@]}" --out "$d/missing/sub/x.$x"
  case_ "generate $m --out an existing folder" "2|3" "folder|directory" \
    "$bin" generate --model "$m" --seed 1 "${extra[@]}" --out "$d/isdir.$x"
  intact "generate $m: the read-only file, the link and the folders are as they were" "$d" "$work/out.snap"
  intact "generate $m: the symlink's target is as it was" "$work/keep" "$work/keep.snap"
}
[ "$image" = 1 ] && out_cases fashion-gan png
[ "$text" = 1 ] && out_cases prose-gpt txt

echo "== crashes: deep JSON, wrong JSON types, bad token ids, empty prompts"
deep='nested|deep|depth'
if [ "$image" = 1 ]; then
  package gan-x1 fashion-gan
  mk deep-safetensors "$work/models/gan-x1/weights.safetensors" 1000000
  mk refresh-manifest "$work/models/gan-x1"
  case_ "generate with weights whose tensor shape nests 1M deep" "2|3" "$deep" \
    "$bin" generate --model gan-x1 --seed 1 --out "$work/g1.png"
  mk png "$work/p1.png" fashion-vae 32 1000000
  case_ "--latent-from a PNG whose provenance params nest 1M deep" "2|3" "$deep|provenance" \
    "$bin" generate --model fashion-vae --latent-from "$work/p1.png" --out "$work/x.png"
  mk png "$work/short-latent.png" fashion-vae 5
  case_ "--latent-from a PNG whose latent has 5 values for a 32-d model" "2|3" "latent" \
    "$bin" generate --model fashion-vae --latent-from "$work/short-latent.png" --out "$work/x.png"
  head -c 40 "$work/short-latent.png" >"$work/truncated.png"
  case_ "--latent-from a truncated PNG" "2|3" "truncated.png|latent|PNG" \
    "$bin" generate --model fashion-vae --latent-from "$work/truncated.png" --out "$work/x.png"
  for f in "$work/x.png" "$work/g1.png"; do absent "no image written by a failed run ($(basename "$f"))" "$f"; done
fi
if [ "$text" = 1 ]; then
  d=$(variant d-shape "$gpt2"); mk deep-safetensors "$d/model.safetensors" 1000000
  import_case "import a GPT-2 folder whose safetensors shape nests 1M deep" "2|3" "$deep" "$d"
  d=$(variant d-unused "$gpt2"); mk deep-key "$d/config.json" unused_setting 100000
  import_case "import a config.json with a 100k-deep unused key" "2|3" "$deep" "$d"
  d=$(variant d-rope "$llama"); mk deep-key "$d/config.json" rope_scaling 100000
  import_case "import a llama config.json with rope_scaling nested 100k deep" "2|3" "rope_scaling|$deep" "$d"
  d=$(variant d-10k "$gpt2"); mk deep-key "$d/config.json" unused_setting 10000
  import_case "import a config.json with a 10k-deep key" "2|3" "$deep" "$d"
  big=$(find "$work/imports" -name model.json -size +1M | head -n 1)
  [ -z "$big" ] && ok "no model.json over 1 MB written" || fail "a model.json of $(stat -c %s "$big") bytes was written ($big)"
  d=$(variant d-tok "$llama"); mk deep-json "$d/tokenizer.json" 1000000
  import_case "import a tokenizer.json nested 1M deep" "2|3" "tokenizer\.json|$deep" "$d"
  d=$(variant cut-weights "$gpt2"); head -c 1000 "$gpt2/model.safetensors" >"$d/model.safetensors"
  import_case "import a truncated model.safetensors" "2|3" "model.safetensors" "$d"

  d=$(variant t-model-type "$gpt2"); mk merge-patch "$d/config.json" "$data/config/model-type-number.json"
  import_case "import config.json \"model_type\": 5" "2|3" "model_type" "$d"
  d=$(variant t-activation "$gpt2"); mk merge-patch "$d/config.json" "$data/config/activation-list.json"
  import_case "import config.json \"activation_function\": [\"gelu\"]" "2|3" "activation_function" "$d"
  d=$(variant t-tok-model "$llama"); mk merge-patch "$d/tokenizer.json" "$data/tokenizer/model-number.json"
  import_case "import tokenizer.json \"model\": 5" "2|3" "tokenizer\.json" "$d"
  for t in minus-1 minus-1e8 int32-max; do
    d=$(variant "tok-$t" "$llama"); mk add-tokens "$d/tokenizer.json" "$data/tokenizer/added-id-$t.json"
    import_case "import tokenizer.json added_tokens id $t" "2|3" "added_tokens|\bid\b" "$d"
  done

  # No BOS/EOS anywhere, then an empty prompt: refused with a message.
  d=$(variant no-specials-gpt2 "$gpt2"); mk drop-token "$d/vocab.json" "<|endoftext|>"
  mk merge-patch "$d/config.json" "$data/config/no-special-ids.json"
  if case_ "setup: import a GPT-2 folder without BOS/EOS" 0 "" "$bin" import "$d" --id no-specials-gpt2 --out "$work/models"; then
    case_ "generate --prompt '' with a tokenizer without BOS/EOS (GPT-2)" "2|3" "prompt" \
      "$bin" generate --model no-specials-gpt2 --prompt "" --seed 1 --set max_new_tokens=4 --out "$work/empty.txt"
  fi
  d=$(variant no-specials-llama "$llama"); mk merge-patch "$d/tokenizer.json" "$data/tokenizer/no-special-tokens.json"
  mk merge-patch "$d/config.json" "$data/config/no-special-ids.json"
  if case_ "setup: import a Llama folder without BOS/EOS" 0 "" "$bin" import "$d" --id no-specials-llama --out "$work/models"; then
    case_ "generate --prompt '' with a tokenizer without BOS/EOS (Llama)" "2|3" "prompt" \
      "$bin" generate --model no-specials-llama --prompt "" --seed 1 --set max_new_tokens=4 --out "$work/empty.txt"
  fi
fi
if [ "$text" = 1 ] || [ "$image" = 1 ]; then
  mk deep-json "$work/cfg1.json" 100000
  fam=(text); [ "$text" = 1 ] || fam=(image --family vae)
  case_ "train --config nested 100k deep" 2 "cfg1\.json|$deep" \
    "$bin" train "${fam[@]}" --data "$work/corpus.txt" --config "$work/cfg1.json" --out "$work/never" --steps 1
  absent "train --config refused: no package folder" "$work/never"
fi

echo "== one bad file disables only itself"
# isolation NAME SETUP...: SETUP runs with $root (a fresh model folder) and
# $home (a fresh data dir); then the listing still works, the bundled models
# are valid, every package under $root is listed invalid with a reason, and a
# good model still generates.
isolation() {
  local name="$1"; shift
  root="$work/iso/$name/models"; home="$work/iso/$name/home"
  rm -rf "$work/iso/$name"; mkdir -p "$root" "$home"
  "$@"
  case_ -t 20 "$name: models --json" 0 "" env LATENT_STUDIO_HOME="$home" LATENT_MODEL_PATH="$root" "$bin" models --json
  cp "$work/out" "$work/models.json"; cp "$work/err" "$work/models.err"
  local verdict
  verdict=$("$py" - "$work/models.json" "$root" <<'PY' 2>&1
import json, sys
try:
    entries = json.load(open(sys.argv[1], encoding="utf-8", errors="strict"))
except Exception as e:
    print("stdout is not valid JSON (%s)" % str(e)[:100]); sys.exit()
good = {e["id"]: e for e in entries if not e["dir"].startswith(sys.argv[2])}
bad = [e for e in entries if e["dir"].startswith(sys.argv[2])]
problems = [m + " not listed valid" for m in ("fashion-gan", "prose-gpt") if m in good and not good[m]["valid"]]
if "fashion-gan" not in good and "prose-gpt" not in good:
    problems.append("no bundled model listed")
problems += ["%s listed valid" % e["dir"] for e in bad if e["valid"]]
problems += ["%s listed invalid without a reason" % e["dir"] for e in bad if not e["valid"] and not e["error"]]
print("; ".join(problems) if problems else "ok %d bad entr%s listed invalid" % (len(bad), "y" if len(bad) == 1 else "ies"))
PY
)
  [[ "$verdict" == ok* ]] && ok "$name: listing: $verdict" || fail "$name: listing: $verdict"
  if [ "$image" = 1 ]; then good=fashion-gan; goodout="$work/good.png"; else good=prose-gpt; goodout="$work/good.txt"; fi
  case_ -t 20 "$name: a good model still generates" 0 "" \
    env LATENT_STUDIO_HOME="$home" LATENT_MODEL_PATH="$root" "$bin" generate --model "$good" --seed 1 --out "$goodout"
}
bad_package() {  # the bundled fashion-gan (or prose-gpt) under a new id, in $root/$1
  local b=fashion-gan; [ "$image" = 1 ] || b=prose-gpt
  cp -r "$src/resources/models/$b" "$root/$1"; mk refresh-manifest "$root/$1" "iso-$b"
}
iso_manifest_dir() { mkdir -p "$root/pkg/model.json"; }
iso_non_utf8() { bad_package $'\xff\xfe-name'; }
iso_manifest_empty() { mkdir -p "$root/pkg"; cp "$data/manifest/empty.json" "$root/pkg/model.json"; }
iso_manifest_types() { mkdir -p "$root/pkg"; cp "$data/manifest/wrong-types.json" "$root/pkg/model.json"; }
iso_manifest_deep() { mkdir -p "$root/pkg"; mk deep-json "$root/pkg/model.json" 1000000; }
isolation "model.json is a folder" iso_manifest_dir
isolation "package folder with a non-UTF-8 name" iso_non_utf8
isolation "model.json is empty" iso_manifest_empty
isolation "model.json with wrong field types" iso_manifest_types
isolation "model.json nested 1M deep" iso_manifest_deep
iso_manifest_fifo() { mkdir -p "$root/pkg"; mkfifo "$root/pkg/model.json"; }
iso_manifest_zero() { mkdir -p "$root/pkg"; ln -s /dev/zero "$root/pkg/model.json"; }
isolation "model.json is a FIFO" iso_manifest_fifo
isolation "model.json is a link to /dev/zero" iso_manifest_zero

# The data dir's checksum cache and model-folder list: a damaged one is
# ignored (with a warning for the settings file), never fatal.
goodweights() {  # the path the registry keys the bundled fashion-gan (or prose-gpt) weights by
  "$bin" models --json 2>/dev/null | "$py" -c '
import json, sys
e = {m["id"]: m for m in json.load(sys.stdin)}
m = e.get("fashion-gan") or e.get("prose-gpt")
print(m["dir"] + ("/weights.safetensors" if m["id"] == "fashion-gan" else "/model.safetensors"))'
}
key=$(goodweights)
for f in garbage.bin list.json number.json unknown-key.json entry-number.json.in entry-wrong-fields.json.in; do
  iso_checksums() { sed "s|@FILE@|$key|" "$data/checksums/$f" >"$home/checksums.json"; }
  isolation "checksums.json $f" iso_checksums
done
iso_checksums_zero() { ln -s /dev/zero "$home/checksums.json"; }
isolation "checksums.json is a link to /dev/zero" iso_checksums_zero
iso_folders_fifo() { mkfifo "$home/model-folders.json"; }
isolation "model-folders.json is a FIFO" iso_folders_fifo
for f in garbage.bin list.json number.json folders-number.json folders-wrong-items.json; do
  iso_folders() { cp "$data/model-folders/$f" "$home/model-folders.json"; }
  isolation "model-folders.json $f" iso_folders
  grep -q "model-folders.json" "$work/models.err" && ok "model-folders.json $f: the warning names the file" ||
    fail "model-folders.json $f: no warning naming model-folders.json on stderr"
done

echo "== integrity"
anymodel=fashion-gan; anyout="$work/s.png"; [ "$image" = 1 ] || { anymodel=prose-gpt; anyout="$work/s.txt"; }
seed_case() {  # DESCRIPTION ARGUMENTS...: refused, and no file written
  local what="$1"; shift
  rm -f "$anyout"
  case_ "$what is refused" 2 "seed" "$@"
  absent "$what wrote no output" "$anyout"
}
seed_case "generate --seed -5" "$bin" generate --model "$anymodel" --seed -5 --out "$anyout"
seed_case "generate --seed=-5" "$bin" generate --model "$anymodel" --seed=-5 --out "$anyout"
seed_case "generate --seed 2^64" "$bin" generate --model "$anymodel" --seed 18446744073709551616 --out "$anyout"
[ "$text" = 1 ] && seed_case "train --seed -5" "$bin" train text --data "$work/corpus.txt" --seed -5 --out "$work/never" \
  --steps 1 --set vocab=260 --set width=16 --set heads=1 --set layers=1 --set context=8 --set batch=2 --quiet
absent "train --seed refused: no package folder" "$work/never"
if [ "$text" = 1 ]; then
  for v in nan inf 1e400; do
    case_ "generate --set temperature=$v is refused" 2 "temperature" \
      "$bin" generate --model prose-gpt --seed 1 --set temperature=$v --out "$work/s.txt"
  done
  case_ "generate --set max_new_tokens=2^64 is refused" 2 "max_new_tokens" \
    "$bin" generate --model prose-gpt --seed 1 --set max_new_tokens=18446744073709551616 --out "$work/s.txt"
  absent "no text from the refused parameters" "$work/s.txt"
fi
if [ "$text" = 1 ]; then
  # An unlisted *.safetensors in a package must not replace its weights
  # (python-gpt's weights have prose-gpt's shapes, so they would load).
  package prose-copy prose-gpt
  greedy=(--prompt "Call me" --seed 1 --set temperature=0 --set max_new_tokens=16)
  if case_ "setup: generate with a copy of prose-gpt" 0 "" "$bin" generate --model prose-copy "${greedy[@]}" --out "$work/plain.txt"; then
    cp "$src/resources/models/python-gpt/model.safetensors" "$work/models/prose-copy/zz-extra.safetensors"
    case_ "generate with an unlisted extra .safetensors in the package" 0 "" \
      "$bin" generate --model prose-copy "${greedy[@]}" --out "$work/extra.txt"
    same "the unlisted .safetensors did not change the text" "$work/plain.txt" "$work/extra.txt"
  fi
  d=$(variant bad-values "$gpt2"); mk nan-weights "$d/model.safetensors" transformer.ln_f.weight
  import_case "import a GPT-2 folder whose weights hold NaN" 3 "\bnan\b|finite|not a number" "$d"
fi

echo "== resource bounds"
if [ "$text" = 1 ]; then
  d=$(variant sparse-100g "$gpt2"); rm "$d/model.safetensors"; truncate -s 100G "$d/model.safetensors"
  import_case -A -t 10 -m 1024 "import a 100 GB sparse model.safetensors fails fast" "2|3" "model.safetensors|header" "$d"
  rm -rf "$d"
  d=$(variant big-dims "$gpt2"); mk merge-patch "$d/config.json" "$data/config/absurd-sizes.json"
  import_case -m 1024 "import config.json with absurd sizes and small weights" "2|3" "config\.json|shape|size|n_embd|vocab" "$d"
fi
if [ "$text" = 1 ]; then
  # Files that never end or never open: a FIFO, /dev/zero.
  for f in config.json vocab.json; do
    d=$(variant "fifo-${f%%.*}" "$gpt2"); rm "$d/$f"; mkfifo "$d/$f"
    import_case -t 20 -m 1024 "import a folder whose $f is a FIFO" "2|3" "${f/./\\.}" "$d"
  done
  for f in config.json tokenizer.json; do
    d=$(variant "zero-${f%%.*}" "$llama"); rm "$d/$f"; ln -s /dev/zero "$d/$f"
    import_case -t 20 -m 1024 "import a folder whose $f is a link to /dev/zero" "2|3" "${f/./\\.}" "$d"
  done
fi
if [ "$image" = 1 ]; then
  mkfifo "$work/fifo.png"; ln -s /dev/zero "$work/zero.png"
  head -c 8 "$work/short-latent.png" >"$work/huge.png"; truncate -s 1G "$work/huge.png"
  for f in "fifo.png:a FIFO" "zero.png:a link to /dev/zero" "huge.png:a 1 GB (sparse) PNG"; do
    case_ -t 20 -m 1024 "--latent-from ${f#*:}" "2|3" "${f%%:*}" \
      "$bin" generate --model fashion-vae --latent-from "$work/${f%%:*}" --out "$work/x.png"
  done
  rm -f "$work/huge.png"
  for c in vae-gigabytes vae-terabytes; do
    package "$c" fashion-vae "$data/config/$c.json"
    head -c 8 /dev/zero >"$work/models/$c/weights.safetensors"; mk refresh-manifest "$work/models/$c"
    case_ -m 1024 "generate with an image-vae package of huge config ($c) and an 8-byte weight file" "2|3" \
      "safetensors|config|latent" "$bin" generate --model "$c" --seed 1 --out "$work/vae.png"
  done
fi

echo "== valid files that must be accepted"
if [ "$text" = 1 ]; then
  d=$(variant empty-affixes "$llama"); mk merge-patch "$d/tokenizer.json" "$data/tokenizer/empty-affixes.json"
  if case_ "import tokenizer.json with \"continuing_subword_prefix\": \"\" and \"end_of_word_suffix\": \"\"" 0 "" \
    "$bin" import "$d" --id empty-affixes --out "$work/models"; then
    case_ "generate with the empty-affix tokenizer" 0 "" \
      "$bin" generate --model empty-affixes --prompt "The painter" --seed 1 --set max_new_tokens=8 --out "$work/affix.txt"
    [ -s "$work/affix.txt" ] && ok "the empty-affix model wrote text" || fail "the empty-affix model wrote no text"
  fi
  # temperature=0 is greedy: the reference's argmax continuation (24 tokens,
  # full forward passes, no EOS in its path), and the same text for any seed.
  if case_ "setup: import the reference GPT-2 folder" 0 "" "$bin" import "$gpt2" --id ref-gpt2 --out "$work/models"; then
    "$py" -c '
import json, sys
r = json.load(open(sys.argv[1]))
open(sys.argv[2], "w", encoding="utf-8").write(r["prompt_text"])
open(sys.argv[3], "wb").write(bytes.fromhex(r["greedy_bytes_hex"]))
open(sys.argv[4], "wb").write(r["greedy_text"].encode())' "$gpt2/reference.json" "$work/prompt" "$work/greedy.bin" "$work/greedy.txt"
    for s in 1 2; do
      case_ "generate --set temperature=0 (seed $s)" 0 "" "$bin" generate --model ref-gpt2 --prompt "$(cat "$work/prompt")" \
        --seed "$s" --set temperature=0 --set max_new_tokens=24 --out "$work/t0-$s.txt"
    done
    same "temperature=0: the same text for seeds 1 and 2" "$work/t0-1.txt" "$work/t0-2.txt"
    if cmp -s "$work/t0-1.txt" "$work/greedy.bin" || cmp -s "$work/t0-1.txt" "$work/greedy.txt"; then
      ok "temperature=0 writes the reference's greedy continuation"
    else
      fail "temperature=0 is not the reference's greedy continuation"
      echo "  got:      $(od -An -tx1 "$work/t0-1.txt" | tr -d ' \n' | head -c 96)"
      echo "  expected: $(od -An -tx1 "$work/greedy.bin" | tr -d ' \n' | head -c 96)"
    fi
  fi
fi

if [ "$fails" -ne 0 ]; then echo "$fails check(s) failed"; exit 1; fi
echo "all bad-input checks passed"
