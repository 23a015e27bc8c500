"""The display board of the waiting hall (``kiosk run --mode board``)."""
