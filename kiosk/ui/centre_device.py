"""How a counter console or a display board reaches the centre service as an enrolled device.

Why one place: both find the centre the same way (``[centre] url``, else this machine's own
centre service at ``[centre] host``/``port``), enrol the same way (``[centre]
enrolment_code``, else the code of a centre service running from this machine's data
directory) and follow the same event stream; only the device id, its role and how patiently
the stream reconnects differ. Nothing here touches the network: the client is made here and
enrols later, on the link's worker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk.config import Config


def centre_settings(config: Config) -> dict[str, Any]:
    """``[centre]`` of the configuration (empty before the centre service existed)."""
    raw = config.raw.get("centre")
    return dict(raw) if isinstance(raw, dict) else {}


def centre_url(config: Config) -> str:
    """``[centre] url``, or this machine's own centre service (``kiosk centre`` / embedded)."""
    settings = centre_settings(config)
    url = str(settings.get("url") or "").strip()
    if url:
        return url.rstrip("/")
    return f"http://{settings.get('host') or '127.0.0.1'}:{int(settings.get('port') or 8790)}"


def make_device_client(config: Config, device_id: str, role: str,
                       url: str | None = None) -> tuple[Any, Any]:
    """A CentreClient and the function that enrols it as ``device_id``/``role``.

    The enrol function is ``None`` when ``[centre] device_token`` already holds a token.
    """
    from kiosk.centre.client import CentreClient
    from kiosk.centre.db import local_enrolment_code

    settings = centre_settings(config)
    token = str(settings.get("device_token") or "") or None
    client = CentreClient(url or centre_url(config), device_token=token)

    def enrol(c: Any) -> None:
        code = (str(settings.get("enrolment_code") or "")
                or local_enrolment_code(config.centre_db_path))
        c.enrol(code, device_id, role)  # keeps the token for later calls

    return client, (None if token else enrol)


def subscriber_factory(client: Any, **options: Any) -> Callable[..., Any]:
    """What a link calls to follow ``client``'s event stream (``options`` go to the subscriber,
    e.g. ``max_backoff``); the token is read then, after enrolment gave one."""
    def make(on_event: Any, last_event_id: int, on_state: Any) -> Any:
        from kiosk.centre.client import EventSubscriber

        return EventSubscriber(client.base_url, str(client.device_token), on_event,
                               last_event_id=last_event_id, on_state=on_state, **options)

    return make


__all__ = ["centre_settings", "centre_url", "make_device_client", "subscriber_factory"]
