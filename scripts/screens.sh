#!/usr/bin/env bash
# Re-render every screen into docs/screens/ (portrait, hi and en; landscape for a chosen few),
# each in its own offscreen process (`kiosk screenshot`), so one broken screen cannot hide others.
set -euo pipefail
cd "$(dirname "$0")/.."
KIOSK=.venv/bin/kiosk
OUT=docs/screens
LANDSCAPE="attract home groups priority idle token token_print_failed tech_pin diagnostics diagnostics_journal apply_service apply_form_applicant apply_form_keyboard_latin apply_form_keyboard_chips apply_form_errors apply_form_address apply_form_service apply_documents apply_review apply_payment apply_payment_upi apply_ack status_found status_found_easy home_easy apply_form_address_easy apply_form_service_easy apply_documents_easy apply_review_easy apply_payment_easy status_masked verify_valid verify_revoked"
screens=${*:-$($KIOSK screenshot --list)}
for s in $screens; do
  if [[ $s == board_* ]]; then  # a board shows both languages at once: one picture
    QT_QPA_PLATFORM=offscreen timeout 120 "$KIOSK" screenshot "$s" --out "$OUT/$s.png"
    continue
  fi
  for lang in hi en; do
    QT_QPA_PLATFORM=offscreen timeout 120 "$KIOSK" screenshot "$s" --lang "$lang" --out "$OUT/$s-$lang.png"
    if [[ " $LANDSCAPE " == *" $s "* ]]; then
      QT_QPA_PLATFORM=offscreen timeout 120 "$KIOSK" screenshot "$s" --lang "$lang" --size 1920x1080 \
        --out "$OUT/$s-$lang-landscape.png"
    fi
  done
done
# Demo mode (`--demo` / [demo] enabled): the badge on the kiosk's first screens and the board.
if [[ -z "${*:-}" ]]; then
  for s in attract home; do
    KIOSK_DEMO__ENABLED=true QT_QPA_PLATFORM=offscreen timeout 120 "$KIOSK" screenshot "$s" \
      --lang hi --out "$OUT/${s}_demo-hi.png"
  done
  KIOSK_DEMO__ENABLED=true QT_QPA_PLATFORM=offscreen timeout 120 "$KIOSK" screenshot board_calls \
    --out "$OUT/board_demo.png"
fi
