"""Helpers shared by UI tests that type on Qt's on-screen keyboard (now in the typed driver)."""

from __future__ import annotations

from driver import keyboard_keys

__all__ = ["keyboard_keys"]
