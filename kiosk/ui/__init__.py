"""The citizen-facing touch UI: QML screens plus the Python view-models behind them.

QML only binds to view-models (``kiosk.ui.viewmodels``); the view-models call the core
(``kiosk.queue``, ``kiosk.printing``) and run anything slow on a worker pool, so a tap never
freezes the screen while a token is fsynced or a slip is printed.
"""
