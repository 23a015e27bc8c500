"""The embedded default: start_sync() with no [backend] url is a complete centre."""

from __future__ import annotations

import threading

from sync_helpers import wait_until

from kiosk.config import Config, load_config
from kiosk.queue import TokenService
from kiosk.store import Store
from kiosk.sync.runtime import start_sync
from reference_backend import ReferenceBackend


def test_embedded_backend_and_worker_deliver_and_close_cleanly(config: Config) -> None:
    store = Store(config.db_path)
    try:
        with start_sync(config, store) as rt:
            assert rt.embedded and rt.backend_url.startswith("http://127.0.0.1:")
            svc = TokenService(store, config)
            for _ in range(5):
                svc.issue("C")
                rt.wake()
            wait_until(lambda: rt.status().delivered == 5 and rt.status().online,
                       what="delivery to the embedded backend")
            assert rt.backend is not None and rt.backend.db.count("tokens") == 5
            names = {t.name for t in threading.enumerate()}
            assert "kiosk-sync" in names
            rt.close()
            rt.close()  # safe twice
        assert "kiosk-sync" not in {t.name for t in threading.enumerate()}
        # A restart reuses the stored credential and the same embedded database.
        with start_sync(config, store) as rt2:
            TokenService(store, config).issue("L")
            rt2.wake()
            wait_until(lambda: rt2.status().delivered == 6, what="delivery after restart")
            assert rt2.backend is not None and rt2.backend.db.count("tokens") == 6
            assert rt2.backend.db.count("kiosks") == 1
    finally:
        store.close()


def test_configured_url_registers_with_the_enrolment_code(tmp_path, backend: ReferenceBackend
                                                          ) -> None:  # type: ignore[no-untyped-def]
    env = {"KIOSK_BACKEND__URL": backend.url,
           "KIOSK_BACKEND__ENROLMENT_CODE": backend.enrolment_code,
           "KIOSK_BACKEND__KIOSK_ID": "MP-URL-1", "KIOSK_BACKEND__INTERVAL_SECONDS": "0.1"}
    cfg = load_config(data_dir=tmp_path / "k", environ=env)
    assert not cfg.problems
    with Store(cfg.db_path) as store, start_sync(cfg, store) as rt:
        assert not rt.embedded
        TokenService(store, cfg).issue("C")
        rt.wake()
        wait_until(lambda: rt.status().delivered == 1, what="delivery after registration")
        assert backend.db.count("kiosks", "kiosk_id = 'MP-URL-1'") == 1
