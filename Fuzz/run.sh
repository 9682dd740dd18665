#!/usr/bin/env bash
# Fuzzes one target for a while:  Fuzz/run.sh TARGET SECONDS [--merge]
# TARGET: srt-webvtt, textgrid, timing-json or profile-manifest.
# The fuzzer starts from the committed corpus (Fuzz/corpus/TARGET) and seeds (Fuzz/seeds/TARGET)
# and writes what it finds to a scratch folder, so the checkout stays clean. With --merge the
# committed corpus is then replaced by a small set of inputs (old, seeds and new) that keeps
# every covered edge (libFuzzer -merge=1). A crash, a timeout (10 s on one input) or more
# than 2 GB of memory fails the run; the input is saved under .build/fuzz/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: Fuzz/run.sh TARGET SECONDS [--merge]}"
seconds="${2:?usage: Fuzz/run.sh TARGET SECONDS [--merge]}"
merge="${3:-}"
out="${FUZZ_BUILD:-.build/fuzz}"
[[ -f "Fuzz/targets/$target.swift" ]] || { echo "fuzz: no target '$target' (Fuzz/targets/*.swift)" >&2; exit 2; }
Fuzz/build.sh "$target"
corpus="Fuzz/corpus/$target"
seeds="Fuzz/seeds/$target"
mkdir -p "$corpus" "$out/artifacts/$target"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/earshot-fuzz-$target.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
options=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=16384
         -artifact_prefix="$out/artifacts/$target/" -print_final_stats=1)
[[ -f "Fuzz/dicts/$target.dict" ]] && options+=(-dict="Fuzz/dicts/$target.dict")
"$out/fuzz-$target" "${options[@]}" "$scratch" "$corpus" "$seeds"
if [[ "$merge" == "--merge" ]]; then
  merged="$(mktemp -d "${TMPDIR:-/tmp}/earshot-fuzz-merge.XXXXXX")"
  # -use_counters=0: keep one input per covered edge, not per hit-count bucket, so the
  # committed corpus stays a few hundred small files.
  "$out/fuzz-$target" -merge=1 -use_counters=0 -rss_limit_mb=2048 -timeout=10 -max_len=16384 "$merged" "$corpus" "$seeds" "$scratch"
  rm -rf "$corpus" && mkdir -p "$corpus" && cp "$merged"/* "$corpus"/ && rm -rf "$merged"
  echo "fuzz: $corpus now holds $(ls "$corpus" | wc -l) inputs ($(du -sh "$corpus" | cut -f1))" >&2
fi
