"""The service catalogue as typed, immutable objects parsed from a JSON document.

Why a strict parser: the catalogue is data the state's backend can replace at any time (a sync
reference pull). A malformed push must be rejected whole — with a message naming the bad path —
and the previous catalogue stays in force, because a kiosk that computes a fee or renders a form
from half a definition is worse than one with yesterday's list. Adding a service therefore needs
no code: a service is its names, office, time limit, fees, documents and form fields.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

FieldKind = Literal["text", "number", "decimal", "money", "date", "choice", "mobile", "aadhaar",
                    "pin"]
Script = Literal["any", "deva", "latin", "digits"]
FIELD_KINDS: tuple[str, ...] = get_args(FieldKind)
SCRIPTS: tuple[str, ...] = get_args(Script)
FEE_KINDS = ("fixed", "per_unit", "late_band", "band")
_CODE = re.compile(r"^[A-Z]{2,6}$")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class CatalogueFormatError(ValueError):
    """The document does not describe a usable catalogue; ``path`` says where."""


@dataclass(frozen=True)
class Bilingual:
    """A text in Hindi and English; ``get`` picks the citizen's language."""

    hi: str
    en: str

    def get(self, lang: str) -> str:
        return self.hi if lang == "hi" else self.en


@dataclass(frozen=True)
class Option:
    value: str
    label: Bilingual


@dataclass(frozen=True)
class FieldDef:
    """One form field. ``script`` decides the on-screen keyboard and which letters are allowed."""

    key: str
    kind: FieldKind
    label: Bilingual
    required: bool = True
    help: Bilingual | None = None
    script: Script = "any"
    max_length: int = 80
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    options: tuple[Option, ...] = ()
    prefixes: tuple[str, ...] = ()
    past_only: bool = False
    is_name: bool = False
    #: ``district`` / ``tehsil`` / ``village``: the answer can be chosen from the state's place
    #: lists (kiosk/catalogue/places.py); it stays a text answer, so the contract is unchanged.
    places: str = ""
    #: The label follows another field's answer: ``label_from`` names a choice field of the
    #: same form and ``labels`` maps its values to a label ("पति का नाम" once पति is chosen,
    #: instead of "पिता / पति / माता का नाम"); ``label`` stays for no answer yet.
    label_from: str = ""
    labels: tuple[tuple[str, Bilingual], ...] = ()

    def label_for(self, answers: Mapping[str, str]) -> Bilingual:
        """The label as the citizen's answers so far make it."""
        chosen = str(answers.get(self.label_from, "")) if self.label_from else ""
        return next((text for value, text in self.labels if value == chosen), self.label)

    @property
    def keyboard(self) -> str:
        """Which on-screen keyboard suits the field: "hi", "en" or "digits"."""
        if self.kind in ("number", "decimal", "money", "mobile", "aadhaar", "pin", "date"):
            return "digits"
        if self.script == "digits":
            return "digits"
        return "hi" if self.script == "deva" else "en"

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Step:
    key: str
    title: Bilingual
    fields: tuple[FieldDef, ...]


@dataclass(frozen=True)
class DocumentDef:
    key: str
    name: Bilingual
    required: bool = True


@dataclass(frozen=True)
class FeeBand:
    amount_paise: int
    max_days: int | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class FeeRule:
    """A statutory or extra fee on top of the centre fee (see ``kiosk.fees``)."""

    kind: str
    item: str
    label: Bilingual
    amount_paise: int = 0
    field: str | None = None
    free_units: int = 0
    bands: tuple[FeeBand, ...] = ()


@dataclass(frozen=True)
class DeliveryOption:
    value: str
    label: Bilingual
    amount_paise: int


@dataclass(frozen=True)
class Service:
    code: str
    name: Bilingual
    department: Bilingual
    officer: Bilingual
    days: int
    same_day: bool
    centre_fee_paise: int
    documents: tuple[DocumentDef, ...]
    fields: tuple[FieldDef, ...]
    fees: tuple[FeeRule, ...] = ()
    keywords: tuple[str, ...] = ()
    queue_group: str = "C"
    days_note: Bilingual | None = None
    min_age: int | None = None
    issues_certificate: bool = False
    #: The desk may take a cash amount other than the computed fee (``"cash_amount_editable":
    #: true``): a fee settled at the counter, e.g. copies whose pages are counted there.
    cash_amount_editable: bool = False


@dataclass(frozen=True)
class Catalogue:
    version: str
    helpline: str
    common_steps: tuple[Step, ...]
    delivery: tuple[DeliveryOption, ...]
    services: tuple[Service, ...]
    source: str = "packaged"
    _by_code: dict[str, Service] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_code.update({s.code: s for s in self.services})

    def get(self, code: str) -> Service | None:
        return self._by_code.get(code)

    def steps(self, service: Service) -> tuple[Step, ...]:
        """The whole form: the common applicant/address steps, then the service's own fields."""
        own = Step("service", service.name, service.fields)
        return (*self.common_steps, own) if service.fields else self.common_steps

    def all_fields(self, service: Service) -> tuple[FieldDef, ...]:
        return tuple(f for step in self.steps(service) for f in step.fields)

    def delivery_option(self, value: str) -> DeliveryOption | None:
        return next((d for d in self.delivery if d.value == value), None)

    def search(self, query: str) -> list[Service]:
        """Services whose code, names or keywords contain ``query`` (any script, any case)."""
        q = fold(query)
        if not q:
            return list(self.services)
        hits = []
        for s in self.services:
            hay = [s.code, s.name.hi, s.name.en, *s.keywords]
            if any(q in fold(h) for h in hay):
                hits.append(s)
        return hits


def fold(text: str) -> str:
    """Text as search compares it: case and extra spaces ignored, and the nukta (U+093C, also
    inside precomposed letters such as क़) and the virama (U+094D, नक्शा vs नकशा), which people
    typing Hindi loosely often leave out (the service search and the place lists)."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return " ".join(decomposed.replace("\u093c", "").replace("\u094d", "").split())


# -- parsing ---------------------------------------------------------------------------------

def _obj(v: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(v, Mapping):
        raise CatalogueFormatError(f"{path}: expected an object")
    return v


def _list(v: Any, path: str, *, allow_empty: bool = True) -> list[Any]:
    if not isinstance(v, list) or (not allow_empty and not v):
        raise CatalogueFormatError(f"{path}: expected a {'non-empty ' * (not allow_empty)}list")
    return v


def _str(v: Any, path: str, *, max_len: int = 200) -> str:
    if not isinstance(v, str) or not v.strip() or len(v) > max_len:
        raise CatalogueFormatError(f"{path}: expected a non-empty string of at most {max_len}")
    return v


def _int(v: Any, path: str, lo: int = 0, hi: int = 10**9) -> int:
    if not isinstance(v, int) or isinstance(v, bool) or not lo <= v <= hi:
        raise CatalogueFormatError(f"{path}: expected an integer {lo}..{hi}")
    return v


def _num(v: Any, path: str) -> float | None:
    if v is None:
        return None
    if not isinstance(v, int | float) or isinstance(v, bool):
        raise CatalogueFormatError(f"{path}: expected a number")
    return float(v)


def _text(v: Any, path: str) -> Bilingual:
    o = _obj(v, path)
    return Bilingual(_str(o.get("hi"), f"{path}.hi"), _str(o.get("en"), f"{path}.en"))


def _opt_text(v: Any, path: str) -> Bilingual | None:
    return None if v is None else _text(v, path)


def _field(v: Any, path: str) -> FieldDef:
    o = _obj(v, path)
    key = _str(o.get("key"), f"{path}.key")
    if not _KEY.match(key):
        raise CatalogueFormatError(f"{path}.key: {key!r} must be lower_snake_case")
    kind = o.get("kind")
    if kind not in FIELD_KINDS:
        raise CatalogueFormatError(f"{path}.kind: must be one of {FIELD_KINDS}")
    script = o.get("script", "any")
    if script not in SCRIPTS:
        raise CatalogueFormatError(f"{path}.script: must be one of {SCRIPTS}")
    pattern = o.get("pattern")
    if pattern is not None:
        try:
            re.compile(_str(pattern, f"{path}.pattern"))
        except re.error as exc:
            raise CatalogueFormatError(f"{path}.pattern: {exc}") from None
    options = tuple(Option(_str(_obj(x, f"{path}.options[{i}]").get("value"),
                                f"{path}.options[{i}].value"),
                           _text(x.get("label"), f"{path}.options[{i}].label"))
                    for i, x in enumerate(_list(o.get("options", []), f"{path}.options")))
    if kind == "choice" and not options:
        raise CatalogueFormatError(f"{path}.options: a choice needs options")
    places = o.get("places", "")
    if places not in ("", "district", "tehsil", "village"):
        raise CatalogueFormatError(f"{path}.places: must be district, tehsil or village")
    prefixes = tuple(_str(p, f"{path}.prefixes") for p in _list(o.get("prefixes", []),
                                                               f"{path}.prefixes"))
    label_from = o.get("label_from", "")
    labels_obj = _obj(o.get("labels", {}), f"{path}.labels")
    if bool(label_from) != bool(labels_obj):
        raise CatalogueFormatError(f"{path}.labels: label_from and labels go together")
    labels = tuple((str(value), _text(text, f"{path}.labels.{value}"))
                   for value, text in labels_obj.items())
    return FieldDef(key=key, kind=kind, label=_text(o.get("label"), f"{path}.label"),
                    required=bool(o.get("required", True)),
                    help=_opt_text(o.get("help"), f"{path}.help"), script=script,
                    max_length=_int(o.get("max_length", 80), f"{path}.max_length", 1, 500),
                    pattern=pattern, minimum=_num(o.get("min"), f"{path}.min"),
                    maximum=_num(o.get("max"), f"{path}.max"), options=options,
                    prefixes=prefixes, past_only=bool(o.get("past_only", False)),
                    is_name=bool(o.get("name", False)), places=places,
                    label_from=_str(label_from, f"{path}.label_from") if label_from else "",
                    labels=labels)


def _fields(v: Any, path: str) -> tuple[FieldDef, ...]:
    fields = tuple(_field(x, f"{path}[{i}]") for i, x in enumerate(_list(v, path)))
    keys = [f.key for f in fields]
    if len(set(keys)) != len(keys):
        raise CatalogueFormatError(f"{path}: duplicate field keys")
    return fields


def _fee_rule(v: Any, path: str) -> FeeRule:
    o = _obj(v, path)
    kind = o.get("kind")
    if kind not in FEE_KINDS:
        raise CatalogueFormatError(f"{path}.kind: must be one of {FEE_KINDS}")
    bands = tuple(
        FeeBand(amount_paise=_int(_obj(b, f"{path}.bands[{i}]").get("amount_paise"),
                                  f"{path}.bands[{i}].amount_paise"),
                max_days=(None if b.get("max_days") is None
                          else _int(b.get("max_days"), f"{path}.bands[{i}].max_days")),
                maximum=_num(b.get("max"), f"{path}.bands[{i}].max"))
        for i, b in enumerate(_list(o.get("bands", []), f"{path}.bands")))
    if kind in ("late_band", "band") and not bands:
        raise CatalogueFormatError(f"{path}.bands: a {kind} rule needs bands")
    fld = o.get("field")
    if kind != "fixed":
        fld = _str(fld, f"{path}.field")
    return FeeRule(kind=kind, item=_str(o.get("item"), f"{path}.item"),
                   label=_text(o.get("label"), f"{path}.label"),
                   amount_paise=_int(o.get("amount_paise", 0), f"{path}.amount_paise"),
                   field=fld, free_units=_int(o.get("free_units", 0), f"{path}.free_units"),
                   bands=bands)


def _service(v: Any, path: str, common_keys: set[str]) -> Service:
    o = _obj(v, path)
    code = _str(o.get("code"), f"{path}.code")
    if not _CODE.match(code):
        raise CatalogueFormatError(f"{path}.code: {code!r} must be 2-6 capital letters")
    fields = _fields(o.get("fields", []), f"{path}.fields")
    clash = common_keys & {f.key for f in fields}
    if clash:
        raise CatalogueFormatError(f"{path}.fields: keys {sorted(clash)} repeat common fields")
    fees = tuple(_fee_rule(x, f"{path}.fees[{i}]")
                 for i, x in enumerate(_list(o.get("fees", []), f"{path}.fees")))
    own = {f.key for f in fields} | common_keys
    for rule in fees:
        if rule.field is not None and rule.field not in own:
            raise CatalogueFormatError(f"{path}.fees: rule field {rule.field!r} is not a field")
    docs = tuple(DocumentDef(_str(_obj(d, f"{path}.documents[{i}]").get("key"),
                                  f"{path}.documents[{i}].key"),
                             _text(d.get("name"), f"{path}.documents[{i}].name"),
                             bool(d.get("required", True)))
                 for i, d in enumerate(_list(o.get("documents", []), f"{path}.documents")))
    min_age = o.get("min_age")
    return Service(
        code=code, name=Bilingual(_str(o.get("name_hi"), f"{path}.name_hi"),
                                  _str(o.get("name_en"), f"{path}.name_en")),
        department=_text(o.get("department"), f"{path}.department"),
        officer=_text(o.get("officer"), f"{path}.officer"),
        days=_int(o.get("days"), f"{path}.days", 0, 365),
        same_day=bool(o.get("same_day", False)),
        centre_fee_paise=_int(o.get("fee_paise"), f"{path}.fee_paise"),
        documents=docs, fields=fields, fees=fees,
        keywords=tuple(str(k) for k in _list(o.get("keywords", []), f"{path}.keywords")),
        queue_group=str(o.get("queue_group", "C")),
        days_note=_opt_text(o.get("days_note"), f"{path}.days_note"),
        min_age=None if min_age is None else _int(min_age, f"{path}.min_age", 0, 120),
        issues_certificate=bool(o.get("issues_certificate", False)),
        cash_amount_editable=bool(o.get("cash_amount_editable", False)))


def parse_catalogue(data: Any, source: str = "packaged") -> Catalogue:
    """Build a :class:`Catalogue` or raise :class:`CatalogueFormatError` naming the bad path."""
    o = _obj(data, "catalogue")
    steps = tuple(Step(_str(_obj(s, f"common_steps[{i}]").get("key"), f"common_steps[{i}].key"),
                       _text(s.get("title"), f"common_steps[{i}].title"),
                       _fields(s.get("fields"), f"common_steps[{i}].fields"))
                  for i, s in enumerate(_list(o.get("common_steps"), "common_steps",
                                              allow_empty=False)))
    common_keys = [f.key for s in steps for f in s.fields]
    if len(set(common_keys)) != len(common_keys):
        raise CatalogueFormatError("common_steps: duplicate field keys")
    delivery = tuple(DeliveryOption(_str(_obj(d, f"delivery[{i}]").get("value"),
                                         f"delivery[{i}].value"),
                                    _text(d.get("label"), f"delivery[{i}].label"),
                                    _int(d.get("amount_paise", 0), f"delivery[{i}].amount_paise"))
                     for i, d in enumerate(_list(o.get("delivery"), "delivery",
                                                 allow_empty=False)))
    services = tuple(_service(s, f"services[{i}]", set(common_keys))
                     for i, s in enumerate(_list(o.get("services"), "services",
                                                 allow_empty=False)))
    codes = [s.code for s in services]
    if len(set(codes)) != len(codes):
        raise CatalogueFormatError("services: duplicate service codes")
    return Catalogue(version=_str(o.get("version"), "version", max_len=40),
                     helpline=str(o.get("helpline", "181")), common_steps=steps,
                     delivery=delivery, services=services, source=source)

