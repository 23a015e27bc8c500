#!/usr/bin/env bash
# Set up everything Seva Kiosk needs on a fresh Debian machine; safe to run again (fast no-op).
#  1. system libraries Qt loads at run time (offscreen and on a real X display) + Xvfb
#  2. a virtual environment in .venv with the kiosk and its test tools
#  3. the compiled Hindi catalogue
#  4. the spoken-call clip cache (<data dir>/speech/cache; a no-op once built)
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"

# Offline speech for the board's calls (docs/speech.md): espeak-ng (default), festival with the
# Hindi NSK voice (+ festival-hi, its lexicon) and kal for English (fallback); sox: tests compare
# our audio measurements with its own.
# Qt 6 wheels bring Qt itself but not these system libraries. libpulse0: Qt Multimedia, which the
# Qt Virtual Keyboard plugin links; the xcb set: the real-window platform plugin; xvfb: a virtual
# screen for machines without one. cage (+ Xwayland, which Debian's cage needs), grim and the
# Wayland client libraries: the kiosk session test (tests/deploy/test_cage_session.py); openbox
# and xdotool: Alt+F4 under a real window manager (tests/deploy/test_window_manager_close.py).
# libusb-1.0-0: pyusb's backend for usb:// printers and HID scanners (the libusb-package wheel
# brings its own copy; the system one is what Debian keeps patched).
# postgresql: the reference backend's district store; scripts/test.sh starts a throw-away
# cluster of it (scripts/pg_cluster.sh) so the backend suite runs against PostgreSQL too.
APT_PACKAGES=(libegl1 libgl1 libopengl0 libfontconfig1 libfreetype6 libxkbcommon0 libglib2.0-0
  libdbus-1-3 libpulse0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
  libxkbcommon-x11-0 xvfb xauth tzdata libusb-1.0-0
  espeak-ng festival festival-hi festvox-hi-nsk festvox-kallpc16k sox
  cage xwayland grim libwayland-cursor0 libwayland-egl1 openbox xdotool x11-utils
  postgresql)
missing=()
if command -v dpkg-query >/dev/null; then
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Re-install only when pyproject.toml changed since the last successful install.
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  [ -x .venv/bin/python ] || "$PY" -m venv .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
  rm -f .venv/.installed-*; touch "$stamp"
fi

scripts/i18n.sh compile >/dev/null

# Spoken calls: render every clip once (about a minute the first time, then instant). A missing
# engine is not fatal here: `kiosk doctor` says what is wrong, and the board still shows calls.
.venv/bin/python -m kiosk.cli announce --build-cache >/dev/null \
  || echo "setup: the speech clip cache was not built; see 'kiosk doctor'" >&2
