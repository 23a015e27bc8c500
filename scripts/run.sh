#!/usr/bin/env bash
# Set up (if needed) and run the kiosk with simulated devices and no configuration.
# It runs in demo mode (`--demo`): the embedded backend confirms UPI payments by itself, every
# screen shows a DEMO badge and every slip prints "DEMO — NOT VALID".
# Extra arguments go to `kiosk run`, e.g.  scripts/run.sh --windowed --lang en
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "run: no display here; starting the kiosk on a virtual screen (Xvfb)." >&2
  echo "run: see its screens with: .venv/bin/kiosk screenshot --list" >&2
  exec xvfb-run -a -s "-screen 0 1080x1920x24" .venv/bin/kiosk run --demo "$@"
fi
exec .venv/bin/kiosk run --demo "$@"
