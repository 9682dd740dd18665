#!/usr/bin/env bash
# Writes the reports of the demo scene and of the bench episode with this checkout's release
# build into one folder, and compares them byte for byte with a folder written the same way
# before a change: a refactoring that leaves results alone leaves every report file identical.
#
#   Scripts/report_bytes.sh /tmp/before                  # at the commit before the change
#   Scripts/report_bytes.sh /tmp/after /tmp/before       # after it: writes, then compares
#
# Writes OUT/demo (earshot check --demo), OUT/bench (earshot bench --only check --keep: the
# generated episode and its report), OUT/bench-check (dialogue + M&E + mix + words) and
# OUT/bench-check-stems (dialogue + music + effects + mix + words) on the episode. With a second
# folder, the episode checked is that folder's, so both runs read the same audio, and the printed
# summaries are compared too. Exits with 1 when a report file differs or is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: Scripts/report_bytes.sh OUT [BEFORE]}
before=${2:-}
swift build -c release 2>&1 | grep -E "error|warning|Compiling|Build" | tail -3
earshot=$PWD/.build/release/earshot
rm -rf "$out"
mkdir -p "$out"
"$earshot" check --demo --out "$out/demo" >"$out/demo.stdout"
"$earshot" bench --only check --keep "$out/bench" >"$out/bench.stdout"
episode=${before:-$out}/bench/episode
(cd "$episode" && "$earshot" check --mix mix.wav --dialogue dialogue.wav --me me.wav --words words.json \
  --out "$out/bench-check" >"$out/bench-check.stdout")
(cd "$episode" && "$earshot" check --mix mix.wav --dialogue dialogue.wav --music music.wav --effects effects.wav \
  --words words.json --out "$out/bench-check-stems" >"$out/bench-check-stems.stdout")
[[ -z $before ]] && exit 0
status=0
for folder in demo bench/check-out bench-check bench-check-stems; do
  for file in "$before/$folder"/*; do
    name=$(basename "$file")
    if cmp -s "$file" "$out/$folder/$name"; then echo "same     $folder/$name"
    else echo "DIFFERS  $folder/$name"; status=1; fi
  done
done
# The printed summaries, but for the folder they name.
for run in demo bench-check bench-check-stems; do
  if cmp -s <(sed "s#$before/#OUT/#g" "$before/$run.stdout") <(sed "s#$out/#OUT/#g" "$out/$run.stdout"); then
    echo "same     $run.stdout"
  else echo "DIFFERS  $run.stdout"; status=1; fi
done
for file in "$before"/bench/episode/*; do
  name=$(basename "$file")
  if cmp -s "$file" "$out/bench/episode/$name"; then echo "same     bench/episode/$name"
  else echo "DIFFERS  bench/episode/$name"; status=1; fi
done
exit $status
