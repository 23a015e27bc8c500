"""Is there a screen Qt can open? Asked before the window's QGuiApplication is created.

Why before: when Qt cannot open its platform plugin it calls ``qFatal`` and the process dies
with SIGABRT (exit 134) and a message about ``xcb-cursor0`` even when the real problem is that
no display exists at all (a kiosk service started before the compositor, an SSH session).
A technician reading the journal needs the actual cause, in words, and a normal exit code.

The check mirrors how Qt picks its platform: ``QT_QPA_PLATFORM`` if set, else Wayland when
``WAYLAND_DISPLAY`` is set, else X11 (``xcb``) when ``DISPLAY`` is set. For xcb it also loads
the plugin with ``dlopen`` (lazily, no Qt code runs), which fails with the exact library that
is missing; so does Wayland's (``libwayland-cursor0`` is not on a minimal Debian). No Qt is
imported here, so this module is safe on any machine.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kiosk.i18n import N_

#: Platforms that draw without any display server (tests, screenshots, framebuffer, VNC).
SELF_CONTAINED = frozenset({"offscreen", "minimal", "minimalegl", "vnc", "eglfs", "linuxfb",
                            "vkkhrdisplay"})

NO_DISPLAY = N_("No screen was found to show the kiosk on. Start it inside the kiosk session "
                "(cage) or a desktop, or set WAYLAND_DISPLAY or DISPLAY.")
NO_WAYLAND = N_("QT_QPA_PLATFORM asks for Wayland, but no Wayland display is running "
                "(WAYLAND_DISPLAY is not set).")
WAYLAND_BROKEN = N_("The Wayland display cannot be used: a system library Qt needs is missing. "
                    "Install the package named below (scripts/install.sh does).")
XCB_BROKEN = N_("The X11 display cannot be used: a system library Qt needs is missing. "
                "Install the package named below (scripts/install.sh does).")


@dataclass(frozen=True)
class DisplayProblem:
    """Why no window can open: a msgid for people, a detail for the log and the technician."""

    message: str
    detail: str


def _platforms(environ: Mapping[str, str]) -> list[str]:
    """Qt's candidate platform plugins, in the order it would try them."""
    forced = environ.get("QT_QPA_PLATFORM", "").strip()
    if forced:
        # "wayland;xcb" is a fallback list; "offscreen:size=..." carries options.
        return [p.split(":", 1)[0].strip() for p in forced.split(";") if p.strip()]
    names: list[str] = []
    if environ.get("WAYLAND_DISPLAY"):
        names.append("wayland")
    if environ.get("DISPLAY"):
        names.append("xcb")
    return names


def platform_plugin(name: str) -> Path | None:
    """A platform plugin shipped with PySide6 (``xcb``, ``wayland``), found without Qt."""
    import importlib.util

    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for base in spec.submodule_search_locations:
        path = Path(base) / "Qt" / "plugins" / "platforms" / f"libq{name}.so"
        if path.exists():
            return path
    return None


def xcb_plugin() -> Path | None:
    """The xcb platform plugin shipped with PySide6."""
    return platform_plugin("xcb")


def _loads(plugin: Path | None) -> str | None:
    """None if the plugin and every library it needs load; else the loader's message."""
    if plugin is None:
        return None  # a system Qt: leave the decision to Qt itself
    try:
        ctypes.CDLL(str(plugin), mode=os.RTLD_LAZY | os.RTLD_LOCAL)
    except OSError as exc:
        return str(exc)
    return None


def check_display(environ: Mapping[str, str] | None = None, plugin: Path | None = None,
                  wayland: Path | None = None) -> DisplayProblem | None:
    """None when a window can be opened; else what stands in the way.

    ``plugin`` / ``wayland`` override the xcb / wayland plugin's path (tests point them at a
    library that cannot load).
    """
    env = os.environ if environ is None else environ
    candidates = _platforms(env)
    if not candidates:
        return DisplayProblem(NO_DISPLAY, "no QT_QPA_PLATFORM, WAYLAND_DISPLAY or DISPLAY")
    last: DisplayProblem | None = None
    for name in candidates:
        if name in SELF_CONTAINED:
            return None
        if name.startswith("wayland"):
            if not (env.get("WAYLAND_DISPLAY") or _default_wayland_socket(env)):
                last = DisplayProblem(NO_WAYLAND,
                                      f"QT_QPA_PLATFORM={env.get('QT_QPA_PLATFORM')}")
                continue
            error = _loads(wayland if wayland is not None else platform_plugin("wayland"))
            if error is None:
                return None
            last = DisplayProblem(WAYLAND_BROKEN, f"{error} (Debian: libwayland-client0, "
                                                  "libwayland-cursor0, libwayland-egl1)")
        elif name == "xcb":
            if not env.get("DISPLAY"):
                last = DisplayProblem(NO_DISPLAY, "QT_QPA_PLATFORM=xcb but DISPLAY is not set")
                continue
            error = _loads(plugin if plugin is not None else xcb_plugin())
            if error is None:
                return None
            last = DisplayProblem(XCB_BROKEN, f"{error} (Debian: libxcb-cursor0 and the other "
                                              "libxcb-* packages)")
        else:
            return None  # a plugin this check does not know: Qt decides
    return last


def _default_wayland_socket(env: Mapping[str, str]) -> bool:
    """Qt also connects to ``$XDG_RUNTIME_DIR/wayland-0`` when WAYLAND_DISPLAY is unset."""
    runtime = env.get("XDG_RUNTIME_DIR")
    return bool(runtime) and Path(runtime or "", "wayland-0").is_socket()


__all__ = ["DisplayProblem", "check_display", "platform_plugin", "xcb_plugin"]
