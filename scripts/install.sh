#!/usr/bin/env bash
# Turn a fresh Debian machine into a Seva Kiosk kiosk, counter, board or centre service.
# Safe to run again: every step checks first and changes only what differs (docs/deploy.md).
#
#   sudo scripts/install.sh --role kiosk|counter|board|centre [--counter N] [--wheel FILE]
#                           [--root DIR] [--dry-run]
#
#   --role     what this machine is (counter needs --counter N: the desk's number)
#   --wheel    install this built wheel instead of building one from this checkout
#   --root     install the files under DIR instead of / (images, tests)
#   --dry-run  change nothing on the system: print each command instead of running it; files
#              are still written under --root when one is given (that is how tests look at
#              them), and only listed when installing to /
#
# What it does: system packages (Qt's run-time libraries, cage for the screen roles); the
# `seva` system user in dialout and lp; a wheel built from this checkout (`pip wheel`, not an
# editable install) installed into /opt/seva-kiosk/venv; the systemd unit of the role; the
# udev rules (/dev/seva-printer, -fingerprint, -card, -scanner); /etc/seva-kiosk/00-paths.toml
# and 10-site.toml from the example if there is none (never overwritten); /usr/local/bin/kiosk
# (runs as seva); then enable the unit and check it with systemd-analyze verify.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
ROLE="" COUNTER="" WHEEL="" ROOT="/" DRY=0
PY="${PYTHON:-python3}"

die() { echo "install: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --role) ROLE="${2:-}"; shift 2 ;;
    --role=*) ROLE="${1#*=}"; shift ;;
    --counter) COUNTER="${2:-}"; shift 2 ;;
    --counter=*) COUNTER="${1#*=}"; shift ;;
    --wheel) WHEEL="${2:-}"; shift 2 ;;
    --root) ROOT="${2:-}"; shift 2 ;;
    --root=*) ROOT="${1#*=}"; shift ;;
    --dry-run) DRY=1; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done
case "$ROLE" in
  kiosk) UNIT=seva-kiosk.service; UNIT_FILE=seva-kiosk.service ;;
  board) UNIT=seva-board.service; UNIT_FILE=seva-board.service ;;
  centre) UNIT=seva-centre.service; UNIT_FILE=seva-centre.service ;;
  counter)
    [[ "$COUNTER" =~ ^[0-9]{1,2}$ ]] && [ "$COUNTER" -ge 1 ] \
      || die "--role counter needs --counter N (1-99), the desk's number"
    UNIT="seva-counter@$((10#$COUNTER)).service"; UNIT_FILE=seva-counter@.service ;;
  "") die "--role kiosk|counter|board|centre is required" ;;
  *) die "unknown role '$ROLE': kiosk, counter, board or centre" ;;
esac
[ -d "$ROOT" ] || die "--root $ROOT is not a directory"
ROOT="$(cd "$ROOT" && pwd)"
R="${ROOT%/}"                       # prefix for every installed path ("" for /)
PREFIX=/opt/seva-kiosk
VENV="$PREFIX/venv"
LIVE=0                              # 1: this is the running system (systemctl, udevadm work)
[ "$ROOT" = "/" ] && [ "$DRY" -eq 0 ] && LIVE=1

step() { echo "== $*"; }
# run CMD...: run it, or with --dry-run print it.
run() {
  if [ "$DRY" -eq 1 ]; then echo "would run: $(printf '%q ' "$@")"; else "$@"; fi
}
# place SRC DEST MODE: install a file when it differs ("unchanged" otherwise).
place() {
  local src="$1" dest="$R$2" mode="$3"
  if [ -f "$dest" ] && cmp -s "$src" "$dest"; then echo "unchanged: $2"; return; fi
  if [ "$DRY" -eq 1 ] && [ -z "$R" ]; then echo "would install: $2"; return; fi
  install -D -m "$mode" "$src" "$dest"
  echo "installed: $2"
}
# place_once SRC DEST MODE: a file the technician edits; written only if absent.
place_once() {
  local dest="$R$2"
  if [ -e "$dest" ]; then echo "kept (already there): $2"; return; fi
  place "$1" "$2" "$3"
}

GUI=1; [ "$ROLE" = centre ] && GUI=0

step "system packages"
APT=(python3 python3-venv python3-pip tzdata ca-certificates)
if [ "$GUI" -eq 1 ]; then
  APT+=(cage libegl1 libgl1 libopengl0 libgbm1 libfontconfig1 libfreetype6 libxkbcommon0
        libglib2.0-0 libdbus-1-3 libpulse0 libwayland-client0 libwayland-cursor0
        libwayland-egl1 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
        libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xinerama0
        libxcb-xkb1 libxkbcommon-x11-0 fonts-noto-core)
fi
[ "$ROLE" = board ] && APT+=(espeak-ng festival festival-hi festvox-hi-nsk festvox-kallpc16k)
missing=()
for p in "${APT[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  run apt-get update -qq
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "unchanged: every package is installed"
fi

step "the seva user"
GROUPS_WANTED="dialout,lp"
[ "$GUI" -eq 1 ] && GROUPS_WANTED="dialout,lp,video,input,render,audio"
if id seva >/dev/null 2>&1; then
  echo "unchanged: user seva exists"
else
  run useradd --system --user-group --home-dir /var/lib/seva-kiosk --no-create-home \
    --shell /usr/sbin/nologin --comment "Seva Kiosk" seva
fi
for g in ${GROUPS_WANTED//,/ }; do
  if getent group "$g" >/dev/null && ! id -nG seva 2>/dev/null | tr ' ' '\n' | grep -qx "$g"; then
    run usermod -aG "$g" seva
  fi
done

step "the kiosk program (a built wheel in $VENV)"
if [ -z "$WHEEL" ]; then
  DIST="$(mktemp -d)"
  trap 'rm -rf "$DIST"' EXIT
  # A wheel, not an editable install: the machine runs exactly what was built, the checkout
  # can go, and an upgrade is one file. The Hindi catalogue is compiled into it first.
  if [ "$DRY" -eq 1 ]; then
    echo "would run: scripts/i18n.sh compile"
    echo "would run: $PY -m pip wheel --no-deps -w $DIST $REPO"
    WHEEL="$DIST/seva_kiosk-VERSION-py3-none-any.whl"
  else
    if [ -x "$REPO/.venv/bin/pybabel" ] || command -v pybabel >/dev/null; then
      (cd "$REPO" && scripts/i18n.sh compile >/dev/null) || true
    fi
    "$PY" -m pip wheel -q --disable-pip-version-check --no-deps -w "$DIST" "$REPO"
    WHEEL="$(ls "$DIST"/*.whl)"
  fi
fi
echo "wheel: $(basename "$WHEEL")"
stamp="$R$PREFIX/.installed-wheel"
sum="dry-run"
[ -f "$WHEEL" ] && sum="$(sha256sum "$WHEEL" | cut -c1-64)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
  echo "unchanged: $VENV has this wheel"
else
  [ -x "$R$VENV/bin/python" ] || run "$PY" -m venv "$R$VENV"
  run "$R$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
  run "$R$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade \
    --force-reinstall "$WHEEL"
  if [ "$DRY" -eq 0 ]; then mkdir -p "$(dirname "$stamp")"; echo "$sum" > "$stamp"; fi
fi
place "$REPO/deploy/bin/kiosk" /usr/local/bin/kiosk 0755
for doc in deploy.md devices.md centre-setup.md security.md; do
  [ -f "$REPO/docs/$doc" ] && place "$REPO/docs/$doc" "$PREFIX/docs/$doc" 0644
done

step "configuration (/etc/seva-kiosk)"
place "$REPO/deploy/config/00-paths.toml" /etc/seva-kiosk/00-paths.toml 0644
place_once "$REPO/deploy/config/10-site.toml.example" /etc/seva-kiosk/10-site.toml 0640
if [ "$ROLE" = centre ]; then
  ROLE_TOML="$(mktemp)"
  printf '# Written by install.sh --role centre: the centre service listens on the LAN.\n[centre]\nhost = "0.0.0.0"\n' > "$ROLE_TOML"
  place_once "$ROLE_TOML" /etc/seva-kiosk/20-role.toml 0640
  rm -f "$ROLE_TOML"
fi
# The files may hold secrets (enrolment code, tokens): root's, readable by the seva group only.
if [ "$LIVE" -eq 1 ]; then
  chmod 0755 /etc/seva-kiosk
  find /etc/seva-kiosk -name '*.toml' ! -name 00-paths.toml -exec chgrp seva {} + \
    -exec chmod 0640 {} +
fi

step "udev rules (stable device names)"
place "$REPO/deploy/udev/60-seva-kiosk.rules" /etc/udev/rules.d/60-seva-kiosk.rules 0644
if [ "$LIVE" -eq 1 ] && command -v udevadm >/dev/null; then
  udevadm control --reload-rules && udevadm trigger --subsystem-match=tty \
    --subsystem-match=usb --subsystem-match=usbmisc --subsystem-match=hidraw || true
elif [ "$DRY" -eq 1 ]; then
  echo "would run: udevadm control --reload-rules && udevadm trigger"
fi

step "systemd unit ($UNIT)"
place "$REPO/deploy/systemd/$UNIT_FILE" "/etc/systemd/system/$UNIT_FILE" 0644
if [ "$GUI" -eq 1 ]; then
  # The screen roles own tty1: no login prompt there, and boot to the graphical target.
  run systemctl --root="$ROOT" mask getty@tty1.service
  run systemctl --root="$ROOT" set-default graphical.target
fi
run systemctl --root="$ROOT" enable "$UNIT"
if [ "$LIVE" -eq 1 ] && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl restart "$UNIT"
fi

step "check"
if command -v systemd-analyze >/dev/null && [ "$LIVE" -eq 1 ]; then
  systemd-analyze verify "/etc/systemd/system/$UNIT_FILE" \
    && echo "ok: systemd-analyze verify $UNIT_FILE"
else
  echo "skipped: systemd-analyze verify (dry run or --root: the unit's programs are not there)"
fi
echo "done: $ROLE ($UNIT). Next: edit /etc/seva-kiosk/10-site.toml, 'kiosk config check' it,"
echo "then 'systemctl restart $UNIT' and 'kiosk doctor' (docs/deploy.md)."
