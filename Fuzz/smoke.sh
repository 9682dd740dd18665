#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60), one after another, from the committed
# corpus: a regression check that no committed input crashes and that a short run finds nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
Fuzz/build.sh
for f in Fuzz/targets/*.swift; do
  target="$(basename "$f" .swift)"
  echo "fuzz: $target for $seconds s" >&2
  Fuzz/run.sh "$target" "$seconds"
done
