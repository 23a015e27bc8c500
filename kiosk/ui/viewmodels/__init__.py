"""View-models: the only objects QML sees. They own no QML items and no devices."""

from kiosk.ui.viewmodels.network import SyncViewModel
from kiosk.ui.viewmodels.session import Screen, SessionViewModel, TokenPrinter

__all__ = ["Screen", "SessionViewModel", "SyncViewModel", "TokenPrinter"]
