"""Seva Kiosk: touchscreen terminal software for Lok Seva Kendra public service centres."""

__version__ = "0.1.0"
