#!/usr/bin/env bash
# Runs every harness of a fuzz build (docs/fuzzing.md) until 10^6 executions
# or ten minutes, in a work folder seeded from the committed corpus, and
# prints one line per harness: executions, coverage, findings.
#   tests/fuzz/campaign.sh [BUILD_DIR] [WORK_DIR] [PARALLEL] [HARNESS...]
# With HARNESS names only those run.
set -u
src="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$src/build-fuzz}"; work="${2:-/tmp/latent-fuzz}"; parallel="${3:-2}"
build="$(cd "$build" && pwd)"
shift $(($# < 3 ? $# : 3)); only=" $* "
export ASAN_SYMBOLIZER_PATH="${ASAN_SYMBOLIZER_PATH:-/usr/bin/llvm-symbolizer-14}"
# harness max_len dict (the table in docs/fuzzing.md)
specs=("safetensors 16384 json.dict" "gguf 16384 -" "model_json 16384 json.dict" "model_registry 16384 json.dict"
       "plugin_json 4096 json.dict" "hf_config 4096 json.dict" "tokenizer_json 32768 json.dict"
       "gpt2_bpe 32768 json.dict" "sentencepiece 16384 -" "bpe_encode 4096 -"
       "png_provenance 16384 png.dict" "provenance_json 8192 json.dict" "train_config 4096 json.dict")
run() {
  local h="$1" len="$2" dict="$3" w="$work/$1"
  mkdir -p "$w/corpus" "$w/artifacts"; cp -n "$src/tests/fuzz/corpus/$h/"* "$w/corpus/" 2>/dev/null
  local args=(-runs=1000000 -max_total_time=600 -max_len="$len" -rss_limit_mb=2048 -timeout=10
              -print_final_stats=1 -artifact_prefix="$w/artifacts/")
  [ "$dict" != - ] && args+=(-dict="$src/tests/fuzz/dict/$dict")
  (cd "$w" && "$build/tests/fuzz/fuzz_$h" "${args[@]}" "$w/corpus" >"$w/log.txt" 2>&1)
  local rc=$? runs cov
  runs=$(grep -oE "stat::number_of_executed_units: [0-9]+" "$w/log.txt" | grep -oE "[0-9]+$")
  cov=$(grep -oE "cov: [0-9]+" "$w/log.txt" | tail -1 | grep -oE "[0-9]+")
  printf '%-16s exit %s  executions %s  cov %s  findings %s\n' "$h" "$rc" "${runs:-?}" "${cov:-?}" \
    "$(ls "$w/artifacts" | wc -l)"
}
i=0
for spec in "${specs[@]}"; do
  [ "$only" != "  " ] && [[ "$only" != *" ${spec%% *} "* ]] && continue
  run $spec &
  i=$((i + 1)); [ $((i % parallel)) = 0 ] && wait
done
wait
