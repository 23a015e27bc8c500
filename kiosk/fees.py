"""Fees from catalogue rules: the centre fee, statutory/late fees, and delivery extras.

Amounts are integer paise end to end (never floats), because a fee printed on a receipt must
equal the one reconciled at day end to the paisa. The rules are catalogue data; the four rule
kinds here are the only code, so a new service or a changed fee needs no release.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kiosk.catalogue.model import Bilingual, Catalogue, FeeRule, Service

CENTRE_FEE_LABEL = Bilingual("लोक सेवा केंद्र शुल्क", "Centre processing fee")


@dataclass(frozen=True)
class FeeLine:
    item: str
    label: Bilingual
    amount_paise: int


@dataclass(frozen=True)
class FeeBreakdown:
    lines: tuple[FeeLine, ...]

    @property
    def total_paise(self) -> int:
        return sum(line.amount_paise for line in self.lines)

    def to_json(self) -> list[dict[str, Any]]:
        return [{"item": ln.item, "hi": ln.label.hi, "en": ln.label.en,
                 "amount_paise": ln.amount_paise} for ln in self.lines]

    @classmethod
    def from_json(cls, rows: list[dict[str, Any]]) -> FeeBreakdown:
        return cls(tuple(FeeLine(r["item"], Bilingual(r["hi"], r["en"]), int(r["amount_paise"]))
                         for r in rows))


def _rule_amount(rule: FeeRule, answers: Mapping[str, Any], today: date) -> int:
    value = answers.get(rule.field) if rule.field else None
    if rule.kind == "fixed":
        return rule.amount_paise
    if rule.kind == "per_unit":
        units = int(value) if isinstance(value, int) else 0
        return max(0, units - rule.free_units) * rule.amount_paise
    if rule.kind == "late_band":
        if not isinstance(value, str):
            return 0
        days = (today - date.fromisoformat(value)).days
        for band in rule.bands:
            if band.max_days is None or days <= band.max_days:
                return band.amount_paise
        return rule.bands[-1].amount_paise
    number = float(value) if isinstance(value, int | float | str) and value != "" else 0.0
    for band in rule.bands:
        if band.maximum is None or number <= band.maximum:
            return band.amount_paise
    return rule.bands[-1].amount_paise


def compute_fees(catalogue: Catalogue, service: Service, answers: Mapping[str, Any],
                 delivery: str, today: date) -> FeeBreakdown:
    """Every fee line that applies (zero lines dropped, except a free centre fee is shown)."""
    lines = [FeeLine("centre", CENTRE_FEE_LABEL, service.centre_fee_paise)]
    for rule in service.fees:
        amount = _rule_amount(rule, answers, today)
        if amount:
            lines.append(FeeLine(rule.item, rule.label, amount))
    option = catalogue.delivery_option(delivery)
    if option is not None and option.amount_paise:
        lines.append(FeeLine("delivery", option.label, option.amount_paise))
    return FeeBreakdown(tuple(lines))
