"""Device drivers, links, the device-kind table and simulators (nothing here imports the UI).

Importing this package registers ``kiosk.devices.sim`` as a pyserial URL-handler package, so
``serial.serial_for_url("sim://fingerprint")`` opens the in-process simulator's pseudo-terminal
(see ``kiosk/devices/sim/protocol_sim.py``). The simulator modules load only when such a URL is
opened.
"""

import serial as _serial

if "kiosk.devices.sim" not in _serial.protocol_handler_packages:
    _serial.protocol_handler_packages.append("kiosk.devices.sim")
