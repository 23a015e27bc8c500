"""`kiosk run` without a usable display: a bilingual message and exit 1, never Qt's abort."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kiosk.display_check import (
    NO_DISPLAY,
    NO_WAYLAND,
    WAYLAND_BROKEN,
    XCB_BROKEN,
    check_display,
    xcb_plugin,
)
from kiosk.i18n import translate

ROOT = Path(__file__).resolve().parents[2]


def test_no_display_at_all_is_named() -> None:
    problem = check_display({})
    assert problem is not None and problem.message == NO_DISPLAY


def test_offscreen_is_usable() -> None:
    assert check_display({"QT_QPA_PLATFORM": "offscreen"}) is None
    assert check_display({"QT_QPA_PLATFORM": "offscreen:size=1920x1080"}) is None


def test_forced_wayland_without_a_compositor(tmp_path: Path) -> None:
    problem = check_display({"QT_QPA_PLATFORM": "wayland", "XDG_RUNTIME_DIR": str(tmp_path)})
    assert problem is not None and problem.message == NO_WAYLAND
    # "wayland;xcb" falls back to X11 like Qt does.
    assert check_display({"QT_QPA_PLATFORM": "wayland;offscreen"}) is None


def test_x11_whose_plugin_cannot_load_names_the_library(tmp_path: Path) -> None:
    broken = tmp_path / "libqxcb.so"
    broken.write_bytes(b"not an ELF file")
    problem = check_display({"DISPLAY": ":0"}, plugin=broken)
    assert problem is not None and problem.message == XCB_BROKEN
    assert str(broken) in problem.detail and "libxcb-cursor0" in problem.detail


def test_wayland_whose_plugin_cannot_load_names_the_library(tmp_path: Path) -> None:
    broken = tmp_path / "libqwayland.so"
    broken.write_bytes(b"not an ELF file")
    problem = check_display({"WAYLAND_DISPLAY": "wayland-0"}, wayland=broken)
    assert problem is not None and problem.message == WAYLAND_BROKEN
    assert "libwayland-cursor0" in problem.detail


def test_the_shipped_xcb_plugin_loads_here() -> None:
    plugin = xcb_plugin()
    assert plugin is not None and plugin.name == "libqxcb.so"
    assert check_display({"DISPLAY": ":0"}) is None


def test_kiosk_run_without_display_exits_1_with_both_languages(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env["XDG_RUNTIME_DIR"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-m", "kiosk.cli", "run", "--data-dir",
                           str(tmp_path / "data")], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert translate(NO_DISPLAY, "hi") in done.stderr
    assert translate(NO_DISPLAY, "en") in done.stderr
    assert "Traceback" not in done.stderr and "xcb-cursor0" not in done.stderr
