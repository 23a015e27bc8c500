#!/usr/bin/env bash
# Translation catalogue chores, scripted so nobody has to remember pybabel's flags.
#   scripts/i18n.sh extract   # refresh kiosk/i18n/kiosk.pot from Python (_/N_) and QML (qsTr)
#   scripts/i18n.sh update    # extract, then merge new msgids into the Hindi .po
#   scripts/i18n.sh compile   # .po -> .mo (the set-up script runs this)
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL="${PYBABEL:-.venv/bin/pybabel}"
[ -x "$PYBABEL" ] || PYBABEL=pybabel
LOCALE=kiosk/i18n/locale
POT=kiosk/i18n/kiosk.pot
case "${1:-}" in
  extract)
    "$PYBABEL" extract -F babel.cfg -k N_ -k translate -k qsTr -k ngettext:1,2 \
      --no-location --sort-output --project "Seva Kiosk" -o "$POT" . >/dev/null ;;
  update)
    "$0" extract
    "$PYBABEL" update -i "$POT" -d "$LOCALE" -D kiosk -l hi --no-fuzzy-matching --ignore-obsolete ;;
  compile)
    "$PYBABEL" compile -d "$LOCALE" -D kiosk --statistics 2>&1 | grep -v '^$' || true ;;
  *) echo "usage: $0 extract|update|compile" >&2; exit 2 ;;
esac
