"""The counter operator's console (``kiosk run --mode counter``): view-models and the builder."""
