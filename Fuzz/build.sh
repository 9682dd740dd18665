#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/targets/ into .build/fuzz/ (or $FUZZ_BUILD):
# EarshotKit is compiled once, with coverage instrumentation and AddressSanitizer, into a
# static library; each target is one Swift file linked against it.
#   Fuzz/build.sh            all targets
#   Fuzz/build.sh textgrid   one target
set -euo pipefail
cd "$(dirname "$0")/.."
out="${FUZZ_BUILD:-.build/fuzz}"
mkdir -p "$out"
flags=(-O -g -parse-as-library -sanitize=fuzzer,address)
# lld: gold warns about every AddressSanitizer helper symbol.
linkflags=(-use-ld=lld)
includes=()
for m in Sources/C*/; do includes+=(-I "${m%/}"); done
libs=(-lsndfile -lfftw3f -lebur128 -lpulse -lsoxr)

# The library, rebuilt only when a source file is newer than it.
sources=()
while IFS= read -r f; do sources+=("$f"); done < <(find Sources/EarshotKit -name '*.swift' | sort)
if [[ ! -f "$out/libEarshotKit.a" ]] || [[ -n "$(find Sources/EarshotKit -name '*.swift' -newer "$out/libEarshotKit.a" | head -1)" ]]; then
  echo "fuzz: building EarshotKit (instrumented)" >&2
  swiftc "${flags[@]}" "${includes[@]}" -module-name EarshotKit -whole-module-optimization \
    -emit-library -static -emit-module -emit-module-path "$out/EarshotKit.swiftmodule" \
    "${sources[@]}" -o "$out/libEarshotKit.a"
fi

targets=("$@")
if ((${#targets[@]} == 0)); then
  for f in Fuzz/targets/*.swift; do targets+=("$(basename "$f" .swift)"); done
fi
for t in "${targets[@]}"; do
  binary="$out/fuzz-$t"
  if [[ -f "$binary" && "$binary" -nt "$out/libEarshotKit.a" ]] \
     && [[ -z "$(find "Fuzz/targets/$t.swift" Fuzz/targets/Support -newer "$binary" | head -1)" ]]; then
    continue
  fi
  echo "fuzz: building $t" >&2
  swiftc "${flags[@]}" "${includes[@]}" -I "$out" Fuzz/targets/"$t".swift Fuzz/targets/Support/*.swift \
    -L "$out" -lEarshotKit "${libs[@]}" "${linkflags[@]}" -o "$out/fuzz-$t"
done
