"""Configuration: built-in defaults, the configuration directories, an optional TOML file,
then environment overrides.

The search path, each later layer winning key by key: ``/etc/seva-kiosk/*.toml`` (sorted by
name, so ``10-centre.toml`` then ``50-devices.toml``), ``$XDG_CONFIG_HOME/seva-kiosk/*.toml``,
the ``--config FILE``, then ``KIOSK_SECTION__KEY``. ``KIOSK_CONFIG_DIRS`` (``:``-separated,
empty for none) replaces the two directories (tests, a second kiosk on one machine).
Every effective key remembers where it came from (``Config.sources``; ``kiosk config show``).

The defaults alone give a complete, working kiosk (simulated devices, embedded backend), so a
fresh machine needs no file. A bad file or value never stops the kiosk: each problem is reported
with the exact key that is wrong and that key keeps its default — a tehsil office cannot wait for
a technician because someone mistyped a number.

Environment overrides use ``KIOSK_<SECTION>__<KEY>`` with ``__`` between levels, e.g.
``KIOSK_KIOSK__IDLE_SECONDS=30`` or ``KIOSK_DEVICES__PRINTER__URL=/dev/ttyUSB0``.
"""

from __future__ import annotations

import copy
import math
import os
import tomllib
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from kiosk.i18n import N_

ENV_PREFIX = "KIOSK_"

#: The machine's configuration directory (systemd's ``ConfigurationDirectory=seva-kiosk``).
SYSTEM_CONFIG_DIR = Path("/etc/seva-kiosk")
CONFIG_DIRS_ENV = "KIOSK_CONFIG_DIRS"
DEFAULT_SOURCE = "default"

#: A configuration file is a page of settings; anything bigger is a mistake (or /dev/zero).
MAX_CONFIG_BYTES = 1024 * 1024

#: Said with a ``[kiosk] district`` / ``tehsil`` that is not in the place lists (both languages).
MSG_UNKNOWN_PLACE = N_("The kiosk's district or tehsil in the settings is not in the list of "
                       "places. Citizens choose it themselves. Please ask a technician to "
                       "check the name.")

#: Service groups a citizen picks on the token screen: letter → names and minutes per citizen.
DEFAULT_GROUPS: dict[str, dict[str, Any]] = {
    "C": {"name_hi": "प्रमाण पत्र", "name_en": "Certificates", "minutes": 6},
    "L": {"name_hi": "भू-अभिलेख", "name_en": "Land records", "minutes": 5},
    "A": {"name_hi": "आधार व आयुष्मान", "name_en": "Aadhaar & Ayushman", "minutes": 8},
    "S": {"name_hi": "समाधान एक दिन", "name_en": "Samadhan Ek Din", "minutes": 4},
    "T": {"name_hi": "आवेदन की स्थिति", "name_en": "Application status", "minutes": 2},
    "R": {"name_hi": "प्रमाण पत्र प्राप्त करें", "name_en": "Collect certificate", "minutes": 2},
}

DEFAULTS: dict[str, Any] = {
    "kiosk": {
        "centre_code": "MP-BPL-HZR",
        "centre_name_hi": "लोक सेवा केंद्र, हुज़ूर, भोपाल",
        "centre_name_en": "Lok Seva Kendra, Huzur, Bhopal",
        "default_language": "hi",
        "idle_seconds": 45,
        "idle_countdown_seconds": 15,
        "token_screen_seconds": 20,
        "fullscreen": True,
        "timezone": "Asia/Kolkata",
        "counters": 4,
        "district": "Bhopal",           # picks district holidays from the synced table
        # The kiosk's own tehsil, its English name as in kiosk/catalogue/places_mp.json
        # ("Huzur"): chosen for the citizen on the address step, like the district. "" = none.
        "tehsil": "",
        "holiday_subdivision": "MP",    # the `holidays` package's state code
        "spoken_guidance": "button",    # off | button (speaker in the top bar) | auto

        # This kiosk's numbering station (0-89): its application numbers of a day run
        # station*10000+1 … so two kiosks of one centre never give the same number. Give each
        # kiosk of a centre its own; 0 keeps the numbers of a single-kiosk centre as they were.
        "station": 0,
    },
    "queue": {
        "groups": DEFAULT_GROUPS,
        # The centre service's rules (kiosk/centre/rules.py says what each one means).
        "priority_per_general": 2,      # priority calls in a row while general tokens wait
        "samadhan_group": "S",          # the Samadhan Ek Din group and its issuing window
        "samadhan_window": "09:30-13:30",
        "recall_limit": 2,              # recalls before the operator may mark a no-show
        "requeue_minutes": 10,          # a no-show may be re-queued this long after
    },
    # The centre service (kiosk centre). ``url`` empty: this machine embeds it on loopback.
    "centre": {
        "url": "",
        "enrolment_code": "",           # shared secret kiosks, counters and boards enrol with
        "device_token": "",             # this machine's token from enrolment (never logged)
        "db": "",                       # default <data_dir>/centre.sqlite3
        "host": "127.0.0.1",
        "port": 8790,
        "lease_size": 50,               # numbers per group a kiosk may issue while offline
        "idle_logout_seconds": 300,     # an operator's session ends after this long idle
    },
    # The display board (kiosk run --mode board), the waiting hall's TV. The centre service
    # sends its own hours and notices to every board; a board's own notices win over them.
    "board": {
        "hours": "09:30-17:30",         # open on working days; outside: the "closed" screen
        "notices": [],                  # ticker: "text" or {hi = "…", en = "…"} tables
        "speak": True,                  # announce calls aloud (false: show them only)
        "history": 6,                   # earlier calls listed under the latest one
        "pulse_seconds": 6,             # how long the latest call pulses
    },
    # [counters.N] groups = ["C", "A"], name_hi / name_en: which groups counter N serves.
    "counters": {},
    "payments": {
        "upi_enabled": True,
        "vpa": "lskhuzur.bhopal@sbi",   # the centre's collection VPA (payee address)
        "payee_name": "Lok Seva Kendra Huzur",
        "poll_seconds": 3.0,            # how often the payment screen asks the backend
        "verify_base_url": "https://verify.lsk.mp.gov.in",
    },
    "devices": {
        "printer": {"url": "sim://printer", "paper_mm": 80, "native_qr": True, "cutter": True,
                    "model": "", "graphics_memory": "auto", "baudrate": 115200},
        # Every device defaults to its in-process simulator, so a fresh machine runs whole.
        # ``baudrate`` is used for serial URLs (a ``?baudrate=`` in the URL wins).
        "fingerprint": {"enabled": True, "url": "sim://fingerprint", "baudrate": 57600},
        "card_reader": {"enabled": True, "url": "sim://rfid", "baudrate": 9600},
        "scanner": {"enabled": True, "url": "sim://scanner", "baudrate": 9600},
        # ``rd://discover`` scans 127.0.0.1:11100-11120; or give http://127.0.0.1:PORT.
        "rdservice": {"enabled": True, "url": "sim://rdservice"},
    },
    # The technician PIN, hashed (never plain). The default is the documented PIN 2468 of the
    # simulated set-up; ``python -m kiosk.auth_pin`` makes a new line for a real kiosk.
    "technician": {
        "pin_hash": "scrypt$n=16384,r=8,p=1$ck6XMYR8NEmwfnxWX+Eegg==$"
                    "+HTzTh2cohfczmdajQEaLkGkc3h79tCi6VijG0N9dbA=",
    },
    "backend": {
        "url": "",
        "kiosk_id": "",                 # default: <centre_code>-1
        "token": "",                    # per-kiosk bearer credential (never logged)
        "enrolment_code": "",           # exchanged for a token when no token is set
        "ca_bundle": "",                # a CA file for a private PKI; TLS is always verified
        "connect_timeout": 3.05,
        "read_timeout": 10.0,
        "batch_size": 100,
        "interval_seconds": 30.0,       # idle drain/check period (wake() cuts it short)
        "pull_seconds": 900.0,          # catalogue/holidays/fees/keys ETag check
        "heartbeat_seconds": 300.0,
        "max_backoff_seconds": 300.0,
        "probe_seconds": 5.0,           # cheap reachability probe while offline
        "auth_retry_seconds": 600.0,    # after a 401, wait this long before trying again
        "allow_insecure_http": False,   # plain http:// to another machine: refused unless true
    },
    # UIDAI's Secure QR signing certificate(s): a PEM (several allowed, for rotated keys) or
    # DER file. Empty = Aadhaar QRs still prefill but show as "signature not verified".
    "aadhaar": {"trusted_cert": ""},
    # Demo mode (``kiosk run --demo``): the embedded backend plays the payer's bank, every
    # screen shows a DEMO badge and every slip says "DEMO — NOT VALID". Never on by default,
    # so a production kiosk with a broken config cannot record unpaid payments as paid.
    "demo": {"enabled": False},
    # The key that encrypts the backend credentials at rest (kiosk/secret_box.py). Empty:
    # ``$CREDENTIALS_DIRECTORY/kiosk-credential.key`` under systemd, else
    # ``<data_dir>/keys/credential.key``. A root-only path keeps it off a copied data directory.
    "security": {"credential_key_file": ""},
    # Spoken calls (kiosk/speech; docs/speech.md). Wording placeholders: {group} {number}
    # {counter}; languages are spoken in the listed order.
    "announce": {
        "enabled": True,
        "board_only": True,             # speak only on the display board, not kiosks/counters
        "languages": ["hi", "en"],
        "engine": "espeak-ng",          # or "festival"; the other one is the fallback
        "volume": 0.9,                  # 0.0-1.0
        "quiet_hours": "",              # e.g. "20:00-08:00": calls shown, not spoken
        "chime": True,
        "recall_times": 1,              # a recall is spoken this many times (1-3)
        "clips_dir": "",                # recorded clips that win over the engine (see docs)
        "cache_numbers": 300,           # token numbers pre-rendered by --build-cache
        "call_hi": "टोकन नंबर {group} {number}, काउंटर नंबर {counter} पर आइए",
        "call_en": "Token number {group} {number}, please go to counter {counter}",
        "recall_hi": "फिर से, टोकन नंबर {group} {number}, काउंटर नंबर {counter} पर आइए",
        "recall_en": "Once again, token number {group} {number}, please go to counter {counter}",
        "generic_hi": "कृपया काउंटर पर आइए",
        "generic_en": "Please go to the counter",
    },
    # How long this machine keeps what it has already delivered (domain.md, Retention): the
    # kiosk is not the system of record. 0 days keeps a kind for ever.
    "retention": {
        "applications_days": 30,        # applications + payments, after delivery to the state
        "print_jobs_days": 30,
        "outbox_days": 7,               # delivered outbox rows
        "every_min": 60,                # how often the sync worker prunes
    },
    "paths": {"data_dir": ""},
}


@dataclass(frozen=True)
class GroupConfig:
    letter: str
    name_hi: str
    name_en: str
    minutes: float

    def name(self, lang: str) -> str:
        return self.name_hi if lang == "hi" else self.name_en


@dataclass(frozen=True)
class CounterConfig:
    """``[counters.N]``: the groups counter N serves (an operator may change them at log-in)."""

    counter: str
    groups: tuple[str, ...]
    name_hi: str
    name_en: str


@dataclass(frozen=True)
class PrinterConfig:
    url: str
    paper_mm: int
    native_qr: bool
    cutter: bool
    #: python-escpos capabilities-database model name; "" = generic (the defaults above).
    model: str = ""
    #: ``auto`` (from the model; the simulator holds ``GS ( L`` graphics), ``gs_l``, ``fs_q``
    #: or ``none`` — see :class:`kiosk.printing.escpos_render.PrinterProfile`.
    graphics_memory: str = "auto"
    #: Line speed of a serial printer; a ``?baudrate=`` in ``url`` wins (as when it is opened).
    baudrate: int = 115200

    @property
    def line_baudrate(self) -> int:
        """The speed the printer's serial line really runs at: the URL's ``?baudrate=`` if it
        has one (what :func:`kiosk.devices.links.open_port` opens it with), else ``baudrate``.
        The after-print wait is sized from it, so it must match the line, not a default."""
        given = dict(parse_qsl(urlsplit(self.url).query)).get("baudrate")
        try:
            return int(given) if given else self.baudrate
        except ValueError:  # open_port refuses the URL itself, naming it
            return self.baudrate


@dataclass(frozen=True)
class DeviceConfig:
    """One non-printer device: ``name`` is its section under ``[devices]``."""

    name: str
    url: str
    enabled: bool = True
    baudrate: int | None = None


#: The device sections besides the printer, in the order screens list them.
DEVICE_SECTIONS = ("fingerprint", "card_reader", "scanner", "rdservice")


@dataclass
class Config:
    """The effective configuration plus every problem found while building it."""

    raw: dict[str, Any]
    data_dir: Path
    problems: list[str] = field(default_factory=list)
    #: Dotted key (or a table's key, e.g. ``counters.2``) → the file or environment variable
    #: that set it; keys not listed have their built-in default.
    sources: dict[str, str] = field(default_factory=dict)
    #: The configuration files read, in order (the ``--config`` file last).
    files: list[Path] = field(default_factory=list)

    def source_of(self, key: str) -> str:
        """Where ``key``'s effective value came from: a file, ``env KIOSK_…`` or default."""
        parts = key.split(".")
        for n in range(len(parts), 0, -1):
            found = self.sources.get(".".join(parts[:n]))
            if found is not None:
                return found
        return DEFAULT_SOURCE

    @property
    def kiosk(self) -> dict[str, Any]:
        return dict(self.raw["kiosk"])

    @property
    def centre_code(self) -> str:
        return str(self.raw["kiosk"]["centre_code"])

    def centre_name(self, lang: str) -> str:
        k = self.raw["kiosk"]
        return str(k["centre_name_hi"] if lang == "hi" else k["centre_name_en"])

    @property
    def station(self) -> int:
        """This kiosk's application-numbering station (``[kiosk] station``, 0–89)."""
        return int(self.raw["kiosk"]["station"])

    @property
    def default_language(self) -> str:
        return str(self.raw["kiosk"]["default_language"])

    @property
    def idle_seconds(self) -> int:
        return int(self.raw["kiosk"]["idle_seconds"])

    @property
    def idle_countdown_seconds(self) -> int:
        return int(self.raw["kiosk"]["idle_countdown_seconds"])

    @property
    def token_screen_seconds(self) -> int:
        return int(self.raw["kiosk"]["token_screen_seconds"])

    @property
    def fullscreen(self) -> bool:
        return bool(self.raw["kiosk"]["fullscreen"])

    @property
    def timezone(self) -> str:
        return str(self.raw["kiosk"]["timezone"])

    @property
    def counters(self) -> int:
        return int(self.raw["kiosk"]["counters"])

    @property
    def district(self) -> str:
        return str(self.raw["kiosk"]["district"])

    @property
    def tehsil(self) -> str:
        return str(self.raw["kiosk"]["tehsil"])

    @property
    def holiday_subdivision(self) -> str:
        return str(self.raw["kiosk"]["holiday_subdivision"])

    @property
    def payments(self) -> dict[str, Any]:
        return dict(self.raw["payments"])

    @property
    def groups(self) -> dict[str, GroupConfig]:
        return {
            letter: GroupConfig(letter, str(g["name_hi"]), str(g["name_en"]), float(g["minutes"]))
            for letter, g in self.raw["queue"]["groups"].items()
        }

    @property
    def queue_rules(self) -> dict[str, Any]:
        """``[queue]`` without the groups (checked at load; see kiosk.centre.rules)."""
        return {k: v for k, v in self.raw["queue"].items() if k != "groups"}

    @property
    def centre(self) -> dict[str, Any]:
        return dict(self.raw["centre"])

    @property
    def board(self) -> dict[str, Any]:
        return dict(self.raw["board"])

    @property
    def centre_db_path(self) -> Path:
        db = str(self.raw["centre"]["db"])
        return Path(db).expanduser() if db else self.data_dir / "centre.sqlite3"

    @property
    def counter_configs(self) -> dict[str, CounterConfig]:
        """Configured counters; without any, counters 1..``[kiosk] counters`` serve every group."""
        table = self.raw["counters"]
        if not table:
            every = tuple(self.raw["queue"]["groups"])
            return {str(n): CounterConfig(str(n), every, f"काउंटर {n}", f"Counter {n}")
                    for n in range(1, self.counters + 1)}
        return {n: CounterConfig(n, tuple(c["groups"]), str(c["name_hi"]), str(c["name_en"]))
                for n, c in table.items()}

    @property
    def printer(self) -> PrinterConfig:
        p = self.raw["devices"]["printer"]
        return PrinterConfig(str(p["url"]), int(p["paper_mm"]), bool(p["native_qr"]),
                             bool(p["cutter"]), str(p["model"]), str(p["graphics_memory"]),
                             int(p["baudrate"]) or 115200)

    def device(self, name: str) -> DeviceConfig:
        """``[devices.<name>]`` for one of :data:`DEVICE_SECTIONS` (KeyError otherwise)."""
        if name not in DEVICE_SECTIONS:
            raise KeyError(f"no device section {name!r} (known: {', '.join(DEVICE_SECTIONS)})")
        d = self.raw["devices"][name]
        baud = d.get("baudrate")
        return DeviceConfig(name, str(d["url"]), bool(d.get("enabled", True)),
                            int(baud) if baud else None)

    @property
    def devices(self) -> dict[str, DeviceConfig]:
        """Every non-printer device section (enabled or not)."""
        return {name: self.device(name) for name in DEVICE_SECTIONS}

    @property
    def technician_pin_hash(self) -> str:
        """The salted technician PIN hash; check a PIN with ``kiosk.auth_pin.verify_pin``."""
        return str(self.raw["technician"]["pin_hash"])

    @property
    def backend_url(self) -> str:
        return str(self.raw["backend"]["url"])

    @property
    def demo(self) -> bool:
        """Demo mode (``[demo] enabled`` or ``kiosk run --demo``): see DEFAULTS["demo"]."""
        return self.raw["demo"]["enabled"] is True

    @property
    def aadhaar_trusted_cert(self) -> Path | None:
        """The UIDAI certificate file for Aadhaar Secure QR signatures, or None if unset."""
        value = str(self.raw["aadhaar"]["trusted_cert"])
        return Path(value).expanduser() if value else None

    @property
    def credential_key_file(self) -> Path | None:
        """``[security] credential_key_file`` (None: kiosk.secret_box picks the default)."""
        value = str(self.raw["security"]["credential_key_file"])
        return Path(value).expanduser() if value else None

    @property
    def db_path(self) -> Path:
        return self.data_dir / "kiosk.sqlite3"

    @property
    def print_dir(self) -> Path:
        """Where the simulated printer saves each job's bytes and decoded PNG."""
        return self.data_dir / "printer"


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "seva-kiosk"


def _parse_env_value(text: str) -> Any:
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def _check_value(key: str, default: Any, value: Any, problems: list[str]) -> Any:
    """Return ``value`` if it has the default's type and a sane range, else the default."""
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int | float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if ok and not math.isfinite(value):
            problems.append(f"config key '{key}' must be a finite number (got {value!r}); "
                            f"using default {default!r}")
            return default
        if ok and value < 0:
            problems.append(f"config key '{key}' must not be negative (got {value!r}); "
                            f"using default {default!r}")
            return default
    elif isinstance(default, str):
        ok = isinstance(value, str)
    else:
        ok = True
    if not ok:
        problems.append(f"config key '{key}' should be {type(default).__name__}, got "
                        f"{type(value).__name__} {value!r}; using default {default!r}")
        return default
    return value


def _merge(base: dict[str, Any], over: dict[str, Any], prefix: str,
           problems: list[str], sources: dict[str, str] | None = None,
           origin: str = "") -> None:
    for k, v in over.items():
        key = f"{prefix}{k}"
        if key in ("queue.groups", "counters"):
            merge = _merge_groups if key == "queue.groups" else _merge_counters
            before = copy.deepcopy(base[k])
            merge(base[k], v, key, problems)
            if sources is not None:
                for name, value in base[k].items():
                    if before.get(name) != value:
                        sources[f"{key}.{name}"] = _origin(origin, f"{key}.{name}")
            continue
        if k not in base:
            problems.append(f"unknown config key '{key}' ignored")
            continue
        if isinstance(base[k], dict):
            if isinstance(v, dict):
                _merge(base[k], v, key + ".", problems, sources, origin)
            else:
                problems.append(f"config key '{key}' should be a table; ignored")
            continue
        count = len(problems)
        base[k] = _check_value(key, base[k], v, problems)
        if sources is not None and len(problems) == count:
            sources[key] = _origin(origin, key)


def _origin(origin: str, key: str) -> str:
    """A file's path as is; the environment layer names the exact variable."""
    if origin != "env":
        return origin
    return "env " + ENV_PREFIX + "__".join(part.upper() for part in key.split("."))


def _merge_groups(base: dict[str, Any], over: Any, prefix: str, problems: list[str]) -> None:
    """Groups are open-ended (a centre may add its own letters), so merge them by shape."""
    if not isinstance(over, dict):
        problems.append(f"config key '{prefix}' should be a table; ignored")
        return
    template = DEFAULT_GROUPS["C"]
    for letter, g in over.items():
        key = f"{prefix}.{letter}"
        if not (isinstance(letter, str) and len(letter) == 1 and letter.isascii()
                and letter.isalpha() and letter.isupper()):
            problems.append(f"config key '{key}': a group must be one capital letter; ignored")
            continue
        if not isinstance(g, dict):
            problems.append(f"config key '{key}' should be a table; ignored")
            continue
        current = copy.deepcopy(base.get(letter)) or {
            "name_hi": letter, "name_en": letter, "minutes": template["minutes"]}
        for field_name, value in g.items():
            if field_name not in template:
                problems.append(f"unknown config key '{key}.{field_name}' ignored")
                continue
            current[field_name] = _check_value(f"{key}.{field_name}", template[field_name],
                                               value, problems)
        base[letter] = current


COUNTER_ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _merge_counters(base: dict[str, Any], over: Any, prefix: str, problems: list[str]) -> None:
    """``[counters.N]`` tables: N is the counter's id (letters, digits, - or _, ≤ 32)."""
    if not isinstance(over, dict):
        problems.append(f"config key '{prefix}' should be a table; ignored")
        return
    for name, c in over.items():
        key = f"{prefix}.{name}"
        if not (1 <= len(str(name)) <= 32 and set(str(name)) <= COUNTER_ID_CHARS):
            problems.append(f"config key '{key}': a counter id is 1-32 letters, digits, - or _; "
                            "ignored")
            continue
        if not isinstance(c, dict):
            problems.append(f"config key '{key}' should be a table; ignored")
            continue
        current = copy.deepcopy(base.get(name)) or {
            "groups": [], "name_hi": f"काउंटर {name}", "name_en": f"Counter {name}"}
        for field_name, value in c.items():
            if field_name == "groups":
                if (isinstance(value, list) and value
                        and all(isinstance(g, str) and len(g) == 1 and g.isupper()
                                for g in value)):
                    current["groups"] = list(dict.fromkeys(value))
                else:
                    problems.append(f"config key '{key}.groups' should be a list of group "
                                    f"letters like [\"C\", \"A\"] (got {value!r}); ignored")
            elif field_name in ("name_hi", "name_en"):
                current[field_name] = _check_value(f"{key}.{field_name}", "", value, problems) \
                    or current[field_name]
            else:
                problems.append(f"unknown config key '{key}.{field_name}' ignored")
        base[str(name)] = current


def parse_window(text: str) -> tuple[int, int] | None:
    """``"09:30-13:30"`` → minutes since midnight (start, end); None if malformed or empty."""
    try:
        a, b = text.split("-")
        (h1, m1), (h2, m2) = (tuple(int(x) for x in part.strip().split(":")) for part in (a, b))
    except ValueError:
        return None
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if not (0 <= h1 < 24 and 0 <= h2 <= 24 and 0 <= m1 < 60 and 0 <= m2 < 60 and start < end):
        return None
    return start, end


def _check_queue_rules(raw: dict[str, Any], problems: list[str]) -> None:
    """The centre's rules: each bad value named, and the default kept."""
    station = raw["kiosk"]["station"]
    if not isinstance(station, int) or isinstance(station, bool) or not 0 <= station <= 89:
        problems.append(f"config key 'kiosk.station' must be a whole number 0-89 "
                        f"(got {station!r}); using 0")
        raw["kiosk"]["station"] = 0
    q, defaults = raw["queue"], DEFAULTS["queue"]
    for key in ("priority_per_general", "recall_limit", "requeue_minutes"):
        value = q[key]
        if not isinstance(value, int) or isinstance(value, bool) or value > 1000:
            problems.append(f"config key 'queue.{key}' should be a whole number 0-1000 "
                            f"(got {value!r}); using default {defaults[key]!r}")
            q[key] = defaults[key]
    if q["priority_per_general"] < 1:
        problems.append("config key 'queue.priority_per_general' must be at least 1; using 2")
        q["priority_per_general"] = defaults["priority_per_general"]
    if parse_window(str(q["samadhan_window"])) is None:
        problems.append(f"config key 'queue.samadhan_window' should look like '09:30-13:30' "
                        f"(got {q['samadhan_window']!r}); using default "
                        f"{defaults['samadhan_window']!r}")
        q["samadhan_window"] = defaults["samadhan_window"]
    board = raw["board"]
    if parse_window(str(board["hours"])) is None:
        problems.append(f"config key 'board.hours' should look like '09:30-17:30' "
                        f"(got {board['hours']!r}); using default {DEFAULTS['board']['hours']!r}")
        board["hours"] = DEFAULTS["board"]["hours"]
    if not isinstance(board["notices"], list):
        problems.append("config key 'board.notices' should be a list of texts; ignored")
        board["notices"] = []
    for key, low, high in (("history", 1, 12), ("pulse_seconds", 0, 60)):
        if not isinstance(board[key], int) or not low <= board[key] <= high:
            problems.append(f"config key 'board.{key}' should be a whole number {low}-{high} "
                            f"(got {board[key]!r}); using default {DEFAULTS['board'][key]!r}")
            board[key] = DEFAULTS["board"][key]
    port = raw["centre"]["port"]
    if not isinstance(port, int) or not 0 <= port <= 65535:
        problems.append(f"config key 'centre.port' must be 0-65535 (got {port!r}); using 8790")
        raw["centre"]["port"] = DEFAULTS["centre"]["port"]
    size = raw["centre"]["lease_size"]
    if not isinstance(size, int) or not 1 <= size <= 999:
        problems.append(f"config key 'centre.lease_size' must be 1-999 (got {size!r}); using 50")
        raw["centre"]["lease_size"] = DEFAULTS["centre"]["lease_size"]
    groups = raw["queue"]["groups"]
    for name, c in list(raw["counters"].items()):
        unknown = [g for g in c["groups"] if g not in groups]
        if unknown:
            problems.append(f"config key 'counters.{name}.groups' names unknown group(s) "
                            f"{', '.join(unknown)}; they are ignored")
            c["groups"] = [g for g in c["groups"] if g in groups]
        if not c["groups"]:
            problems.append(f"config key 'counters.{name}.groups' is empty; counter {name} "
                            "serves every group")
            c["groups"] = list(groups)


def _check_printer_model(raw: dict[str, Any], sources: dict[str, str],
                         problems: list[str]) -> None:
    """Resolve ``[devices.printer] model`` against python-escpos's capabilities database.

    Keys the files leave unset take the model's value (a POS-5890 has no native QR and no
    cutter), recorded as set by the model; an explicit ``native_qr`` / ``cutter`` wins, since a
    technician who tried it on the real head knows better than the database. ``paper_mm`` is
    different: the model's dots decide the print width, so a contradicting ``paper_mm`` is a
    problem and the model's roll is used. An unknown or unusable name is a problem (English
    for the log, the sentence in Hindi too) and the printer is treated as generic.
    """
    from kiosk.i18n import translate
    from kiosk.printing.printer_models import (
        MSG_UNKNOWN_MODEL,
        UnknownModelError,
        UnusableModelError,
        model_info,
    )

    printer = raw["devices"]["printer"]
    name = printer["model"]
    if name == "":
        return
    key = "devices.printer.model"
    said = f"({translate(MSG_UNKNOWN_MODEL, 'en')} / {translate(MSG_UNKNOWN_MODEL, 'hi')})"
    if not isinstance(name, str):
        problems.append(f"config key '{key}' must be a model name; using a generic printer "
                        f"{said}")
        printer["model"] = ""
        return
    try:
        info = model_info(name)
    except UnknownModelError as exc:
        hint = f"; did you mean {', '.join(exc.close)}?" if exc.close else ""
        problems.append(f"config key '{key}' names a printer model python-escpos does not "
                        f"know ({name!r}{hint}); using a generic printer {said}")
        printer["model"] = ""
        return
    except UnusableModelError as exc:
        problems.append(f"config key '{key}': {exc}; using a generic printer {said}")
        printer["model"] = ""
        return
    printer["model"] = info.model
    for field_name, value in (("native_qr", info.native_qr), ("cutter", info.cutter)):
        dotted = f"devices.printer.{field_name}"
        if dotted not in sources:
            printer[field_name] = value
            sources[dotted] = f"model {info.model}"
    paper_key = "devices.printer.paper_mm"
    if info.paper_mm is not None and printer["paper_mm"] != info.paper_mm:
        if paper_key in sources:
            problems.append(f"config key '{paper_key}' is {printer['paper_mm']} but printer "
                            f"model {info.model} prints on {info.paper_mm} mm paper; "
                            f"using {info.paper_mm}")
        printer["paper_mm"] = info.paper_mm
        sources[paper_key] = f"model {info.model}"


def _check_timezone(raw: dict[str, Any], problems: list[str]) -> None:
    """An IANA zone name the system knows (``Asia/Kolkatta`` is a typo, not a zone)."""
    name = raw["kiosk"]["timezone"]
    try:
        if not name or not isinstance(name, str):
            raise ValueError(name)
        zoneinfo.ZoneInfo(name)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError, OSError):
        default = DEFAULTS["kiosk"]["timezone"]
        problems.append(f"config key 'kiosk.timezone' is not a known time zone (got {name!r}); "
                        f"using default {default!r}")
        raw["kiosk"]["timezone"] = default


def _check_places(raw: dict[str, Any], problems: list[str]) -> None:
    """``[kiosk] district`` and ``tehsil`` name places of kiosk/catalogue/places_mp.json.

    The address step chooses them for the citizen, so a typo would quietly choose nothing
    (and a district typo also loses the district's holidays): it is a problem, said in English
    for the log and in Hindi too, with the names that are close. The district is kept as
    written (the holiday table may spell it so); a tehsil that is not the district's is unset.
    """
    import difflib

    from kiosk.catalogue.places import load_place_names
    from kiosk.i18n import translate

    said = f"({translate(MSG_UNKNOWN_PLACE, 'en')} / {translate(MSG_UNKNOWN_PLACE, 'hi')})"
    places = load_place_names()
    name, tehsil = raw["kiosk"]["district"], raw["kiosk"]["tehsil"]
    district = places.district(name) if isinstance(name, str) else None
    if district is None:
        close = difflib.get_close_matches(str(name), [d.name.en for d in places.districts], 3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        problems.append(f"config key 'kiosk.district' is not a district of Madhya Pradesh "
                        f"(got {name!r}{hint}); no district is chosen for citizens {said}")
    if not tehsil:
        return
    names = [t.en for t in district.tehsils] if district is not None else []
    if not isinstance(tehsil, str) or tehsil.casefold() not in {n.casefold() for n in names}:
        close = difflib.get_close_matches(str(tehsil), names, 3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        where = f"district {district.name.en}" if district is not None else "that district"
        listed = "" if names else " (its tehsils are not listed)"
        problems.append(f"config key 'kiosk.tehsil' is not a tehsil of {where}{listed} "
                        f"(got {tehsil!r}{hint}); no tehsil is chosen for citizens {said}")
        raw["kiosk"]["tehsil"] = ""


def _env_overrides(environ: dict[str, str]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for name, text in environ.items():
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue
        parts = [p.lower() for p in name[len(ENV_PREFIX):].split("__")]
        node = tree
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = _parse_env_value(text)
    return tree


def default_config_dirs(environ: Mapping[str, str] | None = None,
                        system_dir: Path | None = None) -> list[Path]:
    """``/etc/seva-kiosk`` then ``$XDG_CONFIG_HOME/seva-kiosk`` (``~/.config`` by default), or
    the ``KIOSK_CONFIG_DIRS`` list when it is set."""
    env = os.environ if environ is None else environ
    if CONFIG_DIRS_ENV in env:
        return [Path(d).expanduser() for d in env[CONFIG_DIRS_ENV].split(":") if d]
    dirs = [SYSTEM_CONFIG_DIR if system_dir is None else system_dir]
    xdg = env.get("XDG_CONFIG_HOME") or (str(Path(env["HOME"]) / ".config")
                                         if env.get("HOME") else "")
    if xdg:
        dirs.append(Path(xdg) / "seva-kiosk")
    return dirs


def config_files(dirs: list[Path]) -> list[Path]:
    """Every ``*.toml`` of each directory, sorted by name, directory by directory."""
    found: list[Path] = []
    for d in dirs:
        try:
            found += sorted(p for p in d.glob("*.toml") if not p.name.startswith("."))
        except OSError:
            continue
    return found


def _read_file(p: Path, problems: list[str]) -> dict[str, Any] | None:
    from kiosk.data_file import decode_text, read_limited
    from kiosk.errors import ValidationError

    try:
        if not p.exists():
            raise FileNotFoundError(p)
        # A FIFO or /dev/zero given as --config is refused, never read until it ends.
        data: dict[str, Any] = tomllib.loads(decode_text(read_limited(p, MAX_CONFIG_BYTES), p))
    except FileNotFoundError:
        problems.append(f"config file {p} not found; using built-in defaults")
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        problems.append(f"config file {p} is not valid TOML ({exc}); "
                        "using built-in defaults")
    except ValidationError as exc:
        problems.append(f"config file {p} cannot be read ({exc.detail}); "
                        "using built-in defaults")
    except OSError as exc:
        problems.append(f"config file {p} cannot be read ({exc.strerror or exc}); "
                        "using built-in defaults")
    else:
        return data
    return None


def load_config(path: Path | str | None = None, data_dir: Path | str | None = None,
                environ: dict[str, str] | None = None,
                config_dirs: list[Path] | None = None) -> Config:
    """Build the effective configuration. Never raises for bad input: see ``Config.problems``.

    ``config_dirs`` replaces the search path's directories (``[]``: read none; None: see
    :func:`default_config_dirs`). Problems are returned, not logged, because logging is set
    up only once the data directory (which the configuration names) is known; the caller
    logs them.
    """
    problems: list[str] = []
    sources: dict[str, str] = {}
    raw = copy.deepcopy(DEFAULTS)
    env = dict(os.environ if environ is None else environ)
    dirs = default_config_dirs(env) if config_dirs is None else config_dirs
    files = config_files(dirs)
    if path is not None:
        files.append(Path(path))
    read: list[Path] = []
    for p in files:
        file_data = _read_file(p, problems)
        if file_data is not None:
            read.append(p)
            found: list[str] = []
            _merge(raw, file_data, "", found, sources, str(p))
            problems += [f"{p}: {problem}" for problem in found]
    _merge(raw, _env_overrides(env), "", problems, sources, "env")
    lang = str(raw["kiosk"]["default_language"])
    if lang not in ("hi", "en"):
        problems.append(f"config key 'kiosk.default_language' must be 'hi' or 'en' "
                        f"(got {lang!r}); using English")
        raw["kiosk"]["default_language"] = "en"
    if raw["devices"]["printer"]["paper_mm"] not in (58, 80):
        problems.append("config key 'devices.printer.paper_mm' must be 58 or 80; using 80")
        raw["devices"]["printer"]["paper_mm"] = 80
    _check_printer_model(raw, sources, problems)
    if raw["devices"]["printer"]["graphics_memory"] not in ("auto", "gs_l", "fs_q", "none"):
        problems.append("config key 'devices.printer.graphics_memory' must be auto, gs_l, fs_q "
                        "or none; using auto")
        raw["devices"]["printer"]["graphics_memory"] = "auto"
    if not raw["queue"]["groups"]:
        problems.append("config key 'queue.groups' is empty; using the built-in groups")
        raw["queue"]["groups"] = copy.deepcopy(DEFAULT_GROUPS)

    _check_queue_rules(raw, problems)
    _check_timezone(raw, problems)
    _check_places(raw, problems)

    _forget_reset_sources(raw, sources, problems)
    chosen = data_dir or raw["paths"]["data_dir"] or default_data_dir()
    return Config(raw=raw, data_dir=Path(chosen).expanduser(), problems=problems,
                  sources=sources, files=read)


def _forget_reset_sources(raw: dict[str, Any], sources: dict[str, str],
                          problems: list[str]) -> None:
    """A value a later check put back to its default (``paper_mm = 70``) is the default's."""
    for key in list(sources):
        if not any(f"'{key}'" in p for p in problems):
            continue
        node: Any = raw
        default: Any = DEFAULTS
        for part in key.split("."):
            node = node.get(part) if isinstance(node, dict) else None
            default = default.get(part) if isinstance(default, dict) else None
        if node == default:
            del sources[key]
