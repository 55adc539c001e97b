#!/usr/bin/env bash
# Installs the Debian packages framescope needs (only the missing ones) and copies the report
# fonts into fonts/. Safe to run again: it does nothing when everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."

build_pkgs=(build-essential pkg-config libhpdf-dev libcjson-dev libpcre2-dev libgsl-dev
            libutf8proc-dev libssl-dev libcmocka-dev fonts-liberation2)
check_pkgs=(poppler-utils qpdf valgrind python3 clang libclang-rt-14-dev cppcheck)
pkgs=("${build_pkgs[@]}" "${check_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  if [[ $(id -u) -ne 0 ]]; then
    sudo=sudo
    command -v sudo >/dev/null || { echo "install-deps: run as root: apt-get install ${missing[*]}" >&2; exit 1; }
  else
    sudo=
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Liberation 2 (SIL OFL 1.1): metric-compatible serif/sans, TrueType outlines that libharu 2.3.0
# subsets without losing glyphs (see docs/libharu-notes).
src=/usr/share/fonts/truetype/liberation2
for f in LiberationSerif-Regular LiberationSerif-Bold LiberationSerif-Italic \
         LiberationSans-Regular LiberationSans-Bold LiberationMono-Regular; do
  [[ -f fonts/$f.ttf ]] || cp "$src/$f.ttf" "fonts/$f.ttf"
done
