"""Sync settings, read once from ``[backend]`` in the configuration.

Kept apart from :class:`kiosk.config.Config` so tests and the bench can build settings with
millisecond timings without a configuration file.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.config import Config
from kiosk.errors import ConfigError
from kiosk.i18n import N_

MSG_INSECURE_URL = N_(
    "The central server address is not safe: it must start with https://. Records stay on "
    "this kiosk and are not sent. Please call a technician.")


@dataclass(frozen=True)
class SyncSettings:
    url: str = ""
    kiosk_id: str = "KIOSK-1"
    centre_code: str = "TEST"
    token: str = ""
    enrolment_code: str = ""
    ca_bundle: str = ""
    connect_timeout: float = 3.05
    read_timeout: float = 10.0
    batch_size: int = 100
    interval_s: float = 30.0
    pull_s: float = 900.0
    heartbeat_s: float = 300.0
    backoff_base_s: float = 1.0
    max_backoff_s: float = 300.0
    probe_s: float = 5.0
    auth_retry_s: float = 600.0
    #: Per-item "retry" answers and 5xx on a one-item batch count towards this; then the entry
    #: is parked as "exhausted". Network failures never count: an outage may last days.
    max_item_attempts: int = 25
    #: Plain http:// to a host other than this machine is refused unless this is set.
    allow_insecure_http: bool = False

    @classmethod
    def from_config(cls, config: Config) -> SyncSettings:
        b = config.raw["backend"]
        return cls(
            url=str(b["url"]).rstrip("/"),
            kiosk_id=str(b["kiosk_id"] or f"{config.centre_code}-1"),
            centre_code=config.centre_code,
            token=str(b["token"]),
            enrolment_code=str(b["enrolment_code"]),
            ca_bundle=str(b["ca_bundle"]),
            connect_timeout=float(b["connect_timeout"]) or 3.05,
            read_timeout=float(b["read_timeout"]) or 10.0,
            batch_size=max(1, min(500, int(b["batch_size"]))),
            interval_s=max(0.05, float(b["interval_seconds"])),
            pull_s=float(b["pull_seconds"]),
            heartbeat_s=float(b["heartbeat_seconds"]),
            max_backoff_s=max(1.0, float(b["max_backoff_seconds"])),
            probe_s=max(0.05, float(b["probe_seconds"])),
            auth_retry_s=max(1.0, float(b["auth_retry_seconds"])),
            allow_insecure_http=b.get("allow_insecure_http") is True,
        )

    def check_url(self, url: str | None = None) -> None:
        """Refuse a backend URL that would expose citizens' records, in both languages.

        Raises :class:`kiosk.errors.ConfigError` for plain ``http://`` to another machine
        (unless ``allow_insecure_http``) or a URL that is not http(s). An empty URL (the
        embedded backend) is fine.
        """
        url = self.url if url is None else url
        if not url:
            return
        from backend_client.errors import InsecureURLError
        from backend_client.urls import check_url

        try:
            check_url(url, self.allow_insecure_http)
        except InsecureURLError as exc:
            raise ConfigError(str(exc), message=MSG_INSECURE_URL) from exc
