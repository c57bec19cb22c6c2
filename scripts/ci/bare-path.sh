#!/usr/bin/env bash
# Usage: bare-path.sh <empty-dir>
# Fills <empty-dir> with symlinks to every executable on the current PATH except the media tools
# (ffmpeg, ffprobe, ffplay, espeak-ng, espeak, speak-ng, speak), first entry winning as PATH would,
# and prints the directory. With PATH set to it, the system media tools are gone as on a machine
# that has only Node.js; `*_PATH` overrides alone would not prove that, since code that spawns a
# bare `ffmpeg` would still find the system one.
set -euo pipefail
target="${1:?usage: bare-path.sh <empty-dir>}"
mkdir -p "$target"
hidden=" ffmpeg ffprobe ffplay espeak-ng espeak speak-ng speak "
IFS=':' read -r -a dirs <<< "${PATH:-}"
for dir in "${dirs[@]}"; do
  [ -n "$dir" ] && [ -d "$dir" ] || continue
  for entry in "$dir"/*; do
    name="${entry##*/}"
    case "$hidden" in *" $name "*) continue ;; esac
    [ -f "$entry" ] && [ -x "$entry" ] || continue
    [ -e "$target/$name" ] || [ -L "$target/$name" ] || ln -s "$entry" "$target/$name"
  done
done
for tool in $hidden; do
  if PATH="$target" command -v "$tool" >/dev/null 2>&1; then
    echo "bare-path: $tool is still reachable in $target" >&2
    exit 1
  fi
done
PATH="$target" command -v node >/dev/null || { echo "bare-path: node is not on PATH" >&2; exit 1; }
echo "$target"
