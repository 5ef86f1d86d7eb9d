#!/usr/bin/env bash
# CLI smoke test: every subcommand, exit codes 0/2/3, messages on stderr,
# an imported TorchScript generator written as a PNG other tools can read,
# an imported Hugging Face text model writing reproducible text.
set -u
bin="$1"; fixture_plugins="$2"; src="$3"; py="$4"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
export LATENT_STUDIO_HOME="$work/home" LATENT_PLUGIN_PATH="$fixture_plugins" LATENT_MODEL_PATH="$work/models"
fails=0
check() {  # description, expected exit code, command...
  local what="$1" want="$2"; shift 2
  "$@" >"$work/out" 2>"$work/err"; local got=$?
  if [ "$got" != "$want" ]; then
    echo "FAIL: $what: exit $got, expected $want"; sed 's/^/  stderr: /' "$work/err"; fails=$((fails + 1))
  else
    echo "ok: $what"
  fi
}
expect_in() {  # description, file, pattern
  if grep -q -- "$3" "$2"; then echo "ok: $1"; else echo "FAIL: $1 (no '$3' in $2)"; cat "$2"; fails=$((fails + 1)); fi
}

check "version" 0 "$bin" --version
expect_in "version text" "$work/out" "latent-studio"
check "devices" 0 "$bin" devices --json
expect_in "cpu device listed" "$work/out" '"id": "cpu"'
check "plugins" 0 "$bin" plugins --json
expect_in "torchscript plugin ready" "$work/out" '"state": "ready"'
expect_in "torchscript plugin listed" "$work/out" '"id": "image-torchscript"'
check "no models yet" 0 "$bin" models
check "unknown subcommand" 2 "$bin" frobnicate
expect_in "unknown subcommand is named" "$work/err" "unknown command 'frobnicate'"
check "generate without --model" 2 "$bin" generate --out "$work/x.png"
check "unknown model" 3 "$bin" generate --model nope --out "$work/x.png"
expect_in "unknown model message" "$work/err" "unknown model id 'nope'"

"$py" "$src/tests/reference/make_torchscript_generator.py" "$work/ref" >/dev/null || { echo "FAIL: reference generators"; exit 1; }
echo "not torchscript" >"$work/bogus.pt"
check "import of a non-TorchScript file" 3 "$bin" import "$work/bogus.pt" --latent-dim 8
expect_in "import explains" "$work/err" "torch.jit.save"
check "import with bad range" 2 "$bin" import "$work/ref/rgb.pt" --latent-dim 16 --range 1
# --out names a folder the user made: a missing one is refused, never created.
check "import into a missing --out folder" 2 "$bin" import "$work/ref/rgb.pt" --latent-dim 16 --out "$work/models"
expect_in "missing --out folder named" "$work/err" "$work/models does not exist"
mkdir -p "$work/models"
check "import of a generator that does not run" 3 "$bin" import "$work/ref/wrong_shape.pt" --latent-dim 4 --out "$work/models"
[ -z "$(ls -A "$work/models" 2>/dev/null)" ] && echo "ok: failed import left nothing" || { echo "FAIL: failed import left files"; fails=$((fails + 1)); }
check "import" 0 "$bin" import "$work/ref/rgb.pt" --latent-dim 16 --name "Tiny RGB" --out "$work/models"
expect_in "import prints the id" "$work/out" "tiny-rgb"
check "models lists it" 0 "$bin" models --json
expect_in "imported model listed" "$work/out" '"id": "tiny-rgb"'

check "absurd parameter" 2 "$bin" generate --model tiny-rgb --set batch=1000 --out "$work/x.png"
expect_in "absurd parameter message" "$work/err" "'batch' = 1000 is out of range"
check "unknown parameter" 2 "$bin" generate --model tiny-rgb --set nope=1 --out "$work/x.png"
check "wrong extension" 2 "$bin" generate --model tiny-rgb --out "$work/x.jpg"
check "generate" 0 "$bin" generate --model tiny-rgb --seed 7 --prompt "a test" --progress --out "$work/one.png"
check "png readable" 0 "$py" "$src/tests/reference/check_png.py" "$work/one.png"
expect_in "png size" "$work/out" '"width": 16, "height": 16'
expect_in "provenance chunk" "$work/out" 'latent-studio'
expect_in "A1111 parameters" "$work/out" 'Seed: 7, Size: 16x16'
cp "$work/one.png" "$work/first.png"
check "same seed again" 0 "$bin" generate --model tiny-rgb --seed 7 --prompt "a test" --out "$work/one.png"
cmp -s "$work/one.png" "$work/first.png" && echo "ok: byte-identical output" || { echo "FAIL: same seed gave different bytes"; fails=$((fails + 1)); }
check "batch" 0 "$bin" generate --model tiny-rgb --seed 1 --set batch=3 --out "$work/b.png"
for i in 0 1 2; do [ -s "$work/b-$i.png" ] || { echo "FAIL: missing b-$i.png"; fails=$((fails + 1)); }; done

# The results library: every generate above was kept; search, show, JSON,
# a result without --out, --no-record, and a library that cannot be opened.
check "results" 0 "$bin" results
expect_in "results list the prompt" "$work/out" "a test"
check "results search" 0 "$bin" results --search "test" --json
expect_in "search finds the prompt" "$work/out" '"prompt": "a test"'
check "results search with no match" 0 "$bin" results --search "zebra"
expect_in "no match said" "$work/out" "no results match"
check "generate without --out" 0 "$bin" generate --model tiny-rgb --seed 9 --prompt "kept only in the library"
expect_in "the library's file is printed" "$work/out" "results/files/"
expect_in "the result id is printed" "$work/err" "result [0-9]"
rid="$(sed -n 's/^result \([0-9]*\).*/\1/p' "$work/err" | head -1)"
check "results show" 0 "$bin" results show "$rid" --json
expect_in "show has the seed" "$work/out" '"seed": 9'
expect_in "show has the provenance" "$work/out" '"provenance"'
expect_in "show says intact" "$work/out" '"intact": true'
check "results show of a missing id" 2 "$bin" results show 999999
check "--no-record without --out" 2 "$bin" generate --model tiny-rgb --no-record
expect_in "--no-record message" "$work/err" "give --out FILE"
before="$("$bin" results --json --limit 1000 | grep -c '"id"')"
check "--no-record with --out" 0 "$bin" generate --model tiny-rgb --no-record --out "$work/nr.png"
after="$("$bin" results --json --limit 1000 | grep -c '"id"')"
[ "$before" = "$after" ] && echo "ok: --no-record kept nothing" || { echo "FAIL: --no-record recorded ($before -> $after)"; fails=$((fails + 1)); }
mv "$LATENT_STUDIO_HOME/results/results.sqlite" "$work/saved.sqlite"
rm -f "$LATENT_STUDIO_HOME/results/results.sqlite-wal" "$LATENT_STUDIO_HOME/results/results.sqlite-shm"
head -c 4096 /dev/urandom >"$LATENT_STUDIO_HOME/results/results.sqlite"
check "generate with a damaged library" 0 "$bin" generate --model tiny-rgb --seed 2 --out "$work/d.png"
expect_in "damaged library warned" "$work/err" "results are not recorded"
check "results with a damaged library" 3 "$bin" results
expect_in "damaged library named" "$work/err" "results.sqlite"
mv "$work/saved.sqlite" "$LATENT_STUDIO_HOME/results/results.sqlite"

# Text: a Hugging Face folder made by the PyTorch reference imports (with a
# test generation), writes the same text for the same seed, and a folder of
# an unsupported architecture is refused with the supported ones named.
if "$bin" plugins --json | grep -q '"id": "text-gpt"'; then  # absent only with LATENT_BUILD_TEXT=OFF
"$py" "$src/tests/reference/text_gpt.py" "$work/textref" >/dev/null || { echo "FAIL: reference text models"; exit 1; }
check "import a GPT-2 folder" 0 "$bin" import "$work/textref/gpt2" --id ref-gpt2 --out "$work/models"
expect_in "import ran a test generation" "$work/err" "test generation OK"
check "generate text" 0 "$bin" generate --model ref-gpt2 --prompt "The quick painter" --seed 3 \
  --set max_new_tokens=12 --out "$work/t1.txt"
check "generate text again" 0 "$bin" generate --model ref-gpt2 --prompt "The quick painter" --seed 3 \
  --set max_new_tokens=12 --out "$work/t2.txt"
[ -s "$work/t1.txt" ] && cmp -s "$work/t1.txt" "$work/t2.txt" && echo "ok: same seed, same text" ||
  { echo "FAIL: text differs for the same seed (or is empty)"; fails=$((fails + 1)); }
check "text as .png refused" 2 "$bin" generate --model ref-gpt2 --out "$work/t.png"
check "import with 8-bit weights" 0 "$bin" import "$work/textref/llama" --id ref-llama-q8 --dtype int8 --out "$work/models"
expect_in "8-bit package records its dtype" "$work/models/ref-llama-q8/model.json" '"dtype": "int8"'
check "generate with 8-bit weights" 0 "$bin" generate --model ref-llama-q8 --prompt "The quick painter" --seed 3 \
  --set max_new_tokens=12 --out "$work/t8.txt"
[ -s "$work/t8.txt" ] && echo "ok: 8-bit text written" || { echo "FAIL: no 8-bit text"; fails=$((fails + 1)); }
check "unknown dtype refused at import" 3 "$bin" import "$work/textref/gpt2" --id ref-bad --dtype int3 --out "$work/models"
expect_in "dtype choices named" "$work/err" "int8"
cp -r "$work/textref/gpt2" "$work/bert"
sed -i 's/"model_type": "gpt2"/"model_type": "bert"/' "$work/bert/config.json"
check "unsupported architecture" 3 "$bin" import "$work/bert" --out "$work/models"
expect_in "supported architectures named" "$work/err" "Supported architectures: gpt2"
fi

if [ "$fails" -ne 0 ]; then echo "$fails check(s) failed"; exit 1; fi
echo "all CLI checks passed"
