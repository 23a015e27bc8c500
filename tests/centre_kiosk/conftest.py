"""A real centre service on loopback that a test can stop and start again on the same port
(the LAN cable pulled and put back), and kiosk configs that point at it."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from kiosk.config import Config, load_config

if TYPE_CHECKING:
    from kiosk.centre.db import CentreStore
    from kiosk.centre.server import CentreServer
    from kiosk.centre.service import CentreService


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class CentreProcessless:
    """The centre service (its own DB) served in this process; ``stop()``/``start()``."""

    def __init__(self, data_dir: Path, code: str = "test-enrol") -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.code = code
        self.config = load_config(data_dir=data_dir, environ={})
        self.server: CentreServer | None = None
        self.service: CentreService | None = None
        self.store: CentreStore | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> CentreProcessless:
        from kiosk.centre.db import CentreStore
        from kiosk.centre.server import CentreServer
        from kiosk.centre.service import CentreService

        self.store = CentreStore(self.data_dir / "centre.sqlite3")
        self.service = CentreService(self.store, self.config, enrolment_code=self.code)
        self.server = CentreServer(self.service, "127.0.0.1", self.port).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        if self.store is not None:
            self.store.close()
            self.store = None

    def tokens(self) -> list[dict[str, object]]:
        import sqlite3

        conn = sqlite3.connect(self.data_dir / "centre.sqlite3")
        conn.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in conn.execute("SELECT * FROM tokens ORDER BY issued_at")]
        finally:
            conn.close()


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[CentreProcessless]:
    c = CentreProcessless(tmp_path / "centre").start()
    yield c
    c.stop()


@pytest.fixture
def kiosk_config(tmp_path: Path) -> Callable[..., Config]:
    """A kiosk config joined to ``url`` (``lease_size``, ``kiosk_id`` as keywords)."""

    def make(url: str, *, lease_size: int = 50, kiosk_id: str = "K1", name: str = "kiosk",
             code: str = "test-enrol") -> Config:
        d = tmp_path / name
        d.mkdir(parents=True, exist_ok=True)
        cfg = d / "kiosk.toml"
        cfg.write_text(f'[centre]\nurl = "{url}"\nenrolment_code = "{code}"\n'
                       f"lease_size = {lease_size}\n"
                       f'[backend]\nkiosk_id = "{kiosk_id}"\n', encoding="utf-8")
        config = load_config(cfg, data_dir=d / "data", environ={})
        assert not config.problems, config.problems
        return config

    return make
