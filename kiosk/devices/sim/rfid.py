"""An EM4100 card reader simulator (RDM6300 wire format) on a pty or TCP port.

While a card is "on" the reader it repeats the card's 14-byte frame every ``period`` seconds
(~220 ms, like the real module), which is exactly what makes de-duplication necessary in the
driver. Garbage and corrupt frames can be injected to fault the parser.
"""

from __future__ import annotations

import threading

from kiosk.devices.rfid import encode_frame
from kiosk.devices.sim.serial_host import PtyHost, SerialHost


class RfidSimulator:
    """Card reader brain + its repeat thread; ``start``/``stop`` also run the host."""

    def __init__(self, host: SerialHost | None = None, *, period: float = 0.22,
                 link: str | None = None) -> None:
        self.host = host or PtyHost(baudrate=9600, link=link)
        self.period = period
        self._card: str | None = None
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.frames_sent = 0

    @property
    def address(self) -> str:
        return self.host.address

    def present(self, card_id: str) -> None:
        """Lay a card on the reader (10 hex digits); frames repeat until :meth:`remove`."""
        encode_frame(card_id)  # validate now, not in the thread
        with self._lock:
            self._card = card_id.upper()
        self._wake.set()

    def remove(self) -> None:
        with self._lock:
            self._card = None

    def inject(self, data: bytes) -> None:
        """Put raw bytes on the line (noise, a corrupt frame, half a frame)."""
        self.host.write(data)

    def start(self) -> RfidSimulator:
        self._stop.clear()
        self.host.start()
        self._thread = threading.Thread(target=self._run, name="sim-rfid", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=5.0)
        self.host.stop()

    def __enter__(self) -> RfidSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                card = self._card
            if card is None:
                self._wake.wait(0.5)
                self._wake.clear()
                continue
            self.host.write(encode_frame(card))
            self.frames_sent += 1
            self._stop.wait(self.period)
