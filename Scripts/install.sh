#!/usr/bin/env bash
# Installs Earshot from this checkout on Debian/Ubuntu: the system libraries (apt), a release
# build, `earshot` on the PATH (a symlink to the checkout's .build/release/earshot, which finds
# DeviceProfiles/, Examples/ and Reports/ in this checkout, so keep the checkout where it is),
# shell completions for bash, zsh and fish, and the man page. Run it again after `git pull`: it
# installs only missing packages and rebuilds only what changed. Run as root, or as a user who
# may sudo (the build then stays yours; only the installing steps use sudo).
#
#   DESTDIR=/tmp/stage Scripts/install.sh   stages the installed files under /tmp/stage
#   EARSHOT_SKIP_APT=1 Scripts/install.sh   leaves the packages alone (another distribution)
set -euo pipefail
cd "$(dirname "$0")/.."
checkout=$(pwd -P)
destdir=${DESTDIR:-}
prefix=${PREFIX:-/usr/local}

as_root() {
  if [[ $(id -u) == 0 || -n $destdir ]]; then "$@"; else sudo "$@"; fi
}

# 1. System libraries (headers for the build, PulseAudio for audition and measure, Chromium
#    for the report tests, ffmpeg for the convolution benchmark).
packages=(libsndfile1-dev libfftw3-dev libebur128-dev libpulse-dev libsoxr-dev pkg-config pulseaudio chromium ffmpeg)
if [[ -z ${EARSHOT_SKIP_APT:-} ]]; then
  missing=()
  for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if ((${#missing[@]})); then
    echo "install.sh: installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  fi
fi

# 2. The release build (stamped with the checkout's git commit: `earshot --version`).
swift build -c release --product earshot
binary="$checkout/.build/release/earshot"

# 3. The man page, from the command's own help (swift-argument-parser's generate-manual).
swift package plugin generate-manual >/dev/null
manual="$checkout/.build/plugins/GenerateManual/outputs/earshot/earshot.1"
[[ -f $manual ]] || { echo "install.sh: generate-manual wrote no $manual" >&2; exit 1; }

# 4. Install: the symlink, the completions, the man page (each replaced if already there).
install_file() { # MODE SOURCE TARGET
  as_root install -D -m "$1" "$2" "$destdir$3"
}
as_root mkdir -p "$destdir$prefix/bin"
as_root ln -sfn "$binary" "$destdir$prefix/bin/earshot"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$binary" --generate-completion-script bash >"$scratch/earshot.bash"
"$binary" --generate-completion-script zsh >"$scratch/_earshot"
"$binary" --generate-completion-script fish >"$scratch/earshot.fish"
install_file 644 "$scratch/earshot.bash" /usr/share/bash-completion/completions/earshot
install_file 644 "$scratch/_earshot" "$prefix/share/zsh/site-functions/_earshot"
install_file 644 "$scratch/earshot.fish" /usr/share/fish/vendor_completions.d/earshot.fish
install_file 644 "$manual" "$prefix/share/man/man1/earshot.1"
if [[ -z $destdir ]] && command -v mandb >/dev/null; then as_root mandb -q "$prefix/share/man" >/dev/null 2>&1 || true; fi

echo "install.sh: $destdir$prefix/bin/earshot -> $binary ($("$binary" --version))"
