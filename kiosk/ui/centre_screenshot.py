"""What the board's and the counter's screenshot renderers share: a throw-away centre set-up.

Why one place: both pictures are drawn against a real centre service in a temporary data
directory, which needs the same sample configuration — no ``[centre] url`` or database of
the machine it runs on, no stored device token, a known enrolment code — and both write the
window's grab the same way. What each screen seeds and drives stays with its renderer.
"""

from __future__ import annotations

import copy
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtQuick import QQuickWindow

from kiosk.config import Config, load_config

#: The code the sample centre enrols devices with (nothing real can know it).
SAMPLE_ENROLMENT_CODE = "sample-enrol"


@contextmanager
def sample_centre_config(config: Config | None, prefix: str) -> Iterator[Config]:
    """``config`` (or the defaults) moved into a temporary data directory, removed after.

    ``[centre]`` is cleared of url, database and device token, so the centre service started
    on it is a fresh one and the device under test enrols with it as a new device.
    """
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        base = config or load_config(data_dir=tmp)
        sample = replace(base, data_dir=Path(tmp), raw=copy.deepcopy(base.raw))
        sample.raw["centre"] = {**sample.raw.get("centre", {}), "url": "", "db": "",
                                "device_token": "", "enrolment_code": SAMPLE_ENROLMENT_CODE}
        yield sample


def issue_sample_queue(runtime: Any, queue: Iterable[tuple[str, str, int]]) -> None:
    """Issue ``queue`` — (group, priority, minutes ago) — on ``runtime`` as a sample kiosk,
    through the real client, so the tokens, waits and events are the centre's own."""
    from kiosk.centre.client import CentreClient

    now = datetime.now().astimezone()
    kiosk = runtime.issue_credential("sample-kiosk", "kiosk")
    with CentreClient(runtime.url, device_token=kiosk) as client:
        for group, priority, ago in queue:
            client.issue(str(uuid.uuid4()), group, priority, "hi", kiosk_id="sample-kiosk",
                         issued_at=(now - timedelta(minutes=ago)).isoformat())


def save_grab(window: QQuickWindow, out: Path) -> None:
    """Write what ``window`` shows now to ``out`` (PNG by its name), creating its folder."""
    image = window.grabWindow()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out)):
        raise OSError(f"could not write {out}")


__all__ = ["SAMPLE_ENROLMENT_CODE", "issue_sample_queue", "sample_centre_config", "save_grab"]
