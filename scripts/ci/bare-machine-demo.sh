#!/usr/bin/env bash
# Runs `npm run demo` as on a machine that has Node.js and nothing else: the system's ffmpeg,
# ffprobe and espeak-ng are taken off PATH (not merely overridden), so the service has to use the
# npm-shipped builds, and the data folder starts empty, so the starter catalog is built from scratch
# as on a fresh clone. Fails unless the demo wrote two playable 1080x1920 H.264/AAC MP4s, each as
# long as the speech the event log records for it (scripts/ci/check-demo-videos.ts).
set -euo pipefail
cd "$(dirname "$0")/../.."

work="$(mktemp -d "${TMPDIR:-/tmp}/bare-machine-demo.XXXXXX")"
trap 'rm -rf "$work"' EXIT
bare_path="$(scripts/ci/bare-path.sh "$work/bin")"

# Overrides would point back at the system builds; a .env file could too.
unset FFMPEG_PATH FFPROBE_PATH ESPEAK_NG_PATH ENV_FILE
export DATA_DIR="$work/data"
export DEMO_HTTP_PORT="${DEMO_HTTP_PORT:-18191}"

echo "bare-machine-demo: PATH without media tools: $(PATH="$bare_path" command -v node) $(PATH="$bare_path" node --version); data in $DATA_DIR"
if PATH="$bare_path" command -v ffmpeg >/dev/null || PATH="$bare_path" command -v espeak-ng >/dev/null; then
  echo "bare-machine-demo: media tools still on PATH" >&2
  exit 1
fi

started=$(date +%s)
PATH="$bare_path" timeout "${BARE_DEMO_TIMEOUT_S:-600}" npm run demo
echo "bare-machine-demo: the demo took $(( $(date +%s) - started )) s"

shopt -s nullglob
results=("$DATA_DIR"/demo/*/demo-result.json)
if [ "${#results[@]}" -ne 1 ]; then
  echo "bare-machine-demo: expected one demo-result.json under $DATA_DIR/demo, found ${#results[@]}" >&2
  exit 1
fi
# Under the same PATH, so the check itself also proves that the npm ffprobe and ffmpeg are the ones found.
PATH="$bare_path" npx --no-install tsx scripts/ci/check-demo-videos.ts --expect-npm "${results[0]}"
