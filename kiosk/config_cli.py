"""``kiosk config show [--json]`` and ``kiosk config check FILE``: the technician's view of the
configuration search path (kiosk/config.py).

Why these exist: with settings spread over ``/etc/seva-kiosk/*.toml``, a user file, ``--config``
and ``KIOSK_*`` variables, "which value is in force, and who set it?" must have an answer
without reading four places. ``check`` is run before a restart: a bad key never stops a kiosk
(it keeps its default), so a typo would otherwise only show as a kiosk that quietly ignores it.

Secrets (PIN hashes, tokens, enrolment codes) are shown as ``(set)`` / ``(not set)``: this
output is pasted into tickets and chats.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterator, MutableMapping
from pathlib import Path
from typing import Any

from kiosk.config import Config, load_config

#: The last part of a key that holds a secret.
SECRET_KEYS = frozenset({"pin_hash", "token", "device_token", "enrolment_code"})
EXIT_OK, EXIT_INVALID = 0, 2


def register(sub: Any, common: argparse.ArgumentParser,
             commands: MutableMapping[str, Callable[..., int]]) -> None:
    """Add ``kiosk config show|check`` to the main parser and its command table."""
    cfg = sub.add_parser("config", parents=[common],
                         help="the effective configuration and where each value came from; "
                              "check a file before a restart")
    csub = cfg.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    show = csub.add_parser("show", parents=[common],
                           help="every key's effective value and its source (/etc file, user "
                                "file, --config, env or default); secrets shown as (set)")
    show.add_argument("--json", action="store_true", help="machine-readable output")
    check = csub.add_parser("check", parents=[common],
                            help="validate FILE alone; exit 2 naming each bad key")
    check.add_argument("file", metavar="FILE", help="a TOML configuration file")
    commands["config"] = run


def flatten(tree: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Dotted keys and leaf values (lists are leaves), in the defaults' order."""
    for key, value in tree.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            yield from flatten(value, dotted + ".")
        else:
            yield dotted, value


def shown(key: str, value: Any) -> Any:
    """The value as printed: secrets reduced to whether they are set."""
    if key.rsplit(".", 1)[-1] in SECRET_KEYS:
        return "(set)" if value else "(not set)"
    return value


def effective(config: Config) -> list[dict[str, Any]]:
    """One row per key: ``key``, ``value`` (secrets masked) and ``source``."""
    return [{"key": key, "value": shown(key, value), "source": config.source_of(key)}
            for key, value in flatten(config.raw)]


def _text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value


def show(args: argparse.Namespace, config: Config) -> int:
    rows = effective(config)
    if args.json:
        print(json.dumps({"files": [str(p) for p in config.files], "keys": rows,
                          "problems": config.problems, "data_dir": str(config.data_dir)},
                         ensure_ascii=False, indent=2))
        return EXIT_OK
    print("files read: " + (", ".join(str(p) for p in config.files) or "none"))
    print(f"data dir:   {config.data_dir}")
    width = max(len(r["key"]) for r in rows)
    for r in rows:
        print(f"{r['key']:<{width}}  {_text(r['value'])}  [{r['source']}]")
    for problem in config.problems:
        print(f"problem: {problem}")
    return EXIT_OK


def check(args: argparse.Namespace) -> int:
    """Validate one file on its own: no directories, no environment."""
    path = Path(args.file)
    config = load_config(path, environ={}, config_dirs=[])
    if config.problems:
        for problem in config.problems:
            print(f"error: {problem}")
        print(f"{path}: {len(config.problems)} problem(s); the kiosk would use the default "
              "for each key named above")
        return EXIT_INVALID
    keys = sorted(k for k, src in config.sources.items() if src == str(path))
    print(f"{path}: OK ({len(keys)} key(s) set)")
    return EXIT_OK


def run(args: argparse.Namespace, config: Config) -> int:
    if args.config_command == "check":
        return check(args)
    return show(args, config)


__all__ = ["effective", "flatten", "register", "run"]
