"""Announcement playback through QtMultimedia (QMediaPlayer + QAudioOutput).

Create it on the GUI thread (the board's view-model does, through :class:`Announcer`). The
announcer's worker calls :meth:`QtSink.play`, which hands the WAV to the GUI thread by a queued
signal and waits until Qt reports the end of the media — that wait is what keeps calls from
cutting each other off. With no audio output device, :meth:`play` logs once and returns at once:
the board keeps showing calls, and a speaker plugged in later is used from the next call on.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer

log = logging.getLogger(__name__)

_WAV_HEADER = 44
_BYTES_PER_SECOND = 32000  # canonical 16 kHz mono 16-bit (kiosk.speech.audio)


class QtSink(QObject):
    _play_requested = Signal(bytes, float)

    def __init__(self) -> None:
        super().__init__()
        self._tmp = tempfile.TemporaryDirectory(prefix="kiosk-announce-")
        self._done = threading.Event()
        self._done.set()
        self._warned = False
        self._closed = False
        self.dropped = 0  # announcements not played for want of an audio device
        self._player: QMediaPlayer | None = None
        self._output: QAudioOutput | None = None
        self._seq = 0
        self._play_requested.connect(self._play_now, Qt.ConnectionType.QueuedConnection)

    # worker thread
    def play(self, wav: bytes, volume: float) -> None:
        if self._closed:
            return
        self._done.clear()
        self._play_requested.emit(wav, volume)
        seconds = max(0, len(wav) - _WAV_HEADER) / _BYTES_PER_SECOND
        if not self._done.wait(seconds + 5.0):
            log.warning("audio output did not finish a %.1f s announcement in time", seconds)

    # GUI thread
    @Slot(bytes, float)
    def _play_now(self, wav: bytes, volume: float) -> None:
        if self._closed:
            self._done.set()
            return
        if not QMediaDevices.audioOutputs():
            self.dropped += 1
            if not self._warned:
                log.warning("no audio output device: calls are shown on the board but not "
                            "spoken")
                self._warned = True
            self._done.set()
            return
        self._warned = False
        if self._player is None:
            self._output = QAudioOutput(self)
            self._player = QMediaPlayer(self)
            self._player.setAudioOutput(self._output)
            self._player.mediaStatusChanged.connect(self._status)
            self._player.errorOccurred.connect(self._error)
        assert self._output is not None
        self._output.setDevice(QMediaDevices.defaultAudioOutput())
        self._output.setVolume(volume)
        self._seq += 1
        path = Path(self._tmp.name) / f"call-{self._seq % 2}.wav"  # the previous one has ended
        path.write_bytes(wav)
        self._player.setSource(QUrl.fromLocalFile(str(path)))
        self._player.play()

    def _status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status in (QMediaPlayer.MediaStatus.EndOfMedia, QMediaPlayer.MediaStatus.InvalidMedia):
            self._done.set()

    def _error(self, _error: QMediaPlayer.Error, message: str) -> None:
        log.warning("audio playback failed: %s", message)
        self._done.set()

    def close(self) -> None:
        self._closed = True
        self._done.set()
        if self._player is not None and threading.current_thread() is threading.main_thread():
            self._player.stop()
        self._tmp.cleanup()
