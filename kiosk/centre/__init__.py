"""The centre service: one queue authority for every kiosk, counter and board of a centre."""
