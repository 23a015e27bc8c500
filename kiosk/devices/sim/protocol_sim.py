"""pyserial URL handler for ``sim://NAME``: a real serial port on a simulator's pseudo-terminal.

pyserial looks up ``protocol_<scheme>`` modules in ``serial.protocol_handler_packages`` (the hook
its own ``socket://``, ``loop://`` and ``hwgrep://`` use); ``kiosk.devices`` registers this
package there. Opening takes a reference on the simulator in :data:`sim_registry` (starting it on
its pty) and opens the pty slave like any ``/dev/tty*``; closing releases the reference, so the
simulator's threads stop with the last link. Drivers therefore open ``sim://fingerprint`` with
the same ``serial_for_url`` call as real hardware — nothing in them knows it is simulated.
"""

from __future__ import annotations

import serial

from kiosk.devices.sim import SERIAL_SIMS, SimUnavailableError, sim_name, sim_registry


class Serial(serial.Serial):
    """A POSIX serial port whose path comes from the simulator registry at ``open()``."""

    _sim_ref: str | None = None

    def open(self) -> None:
        url = self.port
        name = sim_name(str(url))
        if name not in SERIAL_SIMS:
            raise serial.SerialException(
                f"{url}: not a serial simulator (serial ones: {', '.join(SERIAL_SIMS)})")
        try:
            path = sim_registry.acquire(name)
        except SimUnavailableError as exc:
            # Same shape as a missing device node, so drivers report "no device".
            raise serial.SerialException(2, f"could not open port {url}: "
                                            f"[Errno 2] No such file or directory: {exc}") from exc
        self.portstr = path
        try:
            super().open()
        except BaseException:
            sim_registry.release(name)
            raise
        finally:
            self.portstr = url
        self._sim_ref = name

    def close(self) -> None:
        try:
            super().close()
        finally:
            ref, self._sim_ref = self._sim_ref, None
            if ref is not None:
                sim_registry.release(ref)
