"""Child processes the tests start (a backend, a CLI): what ``finally`` does with them."""

from __future__ import annotations

import subprocess


def reap(proc: subprocess.Popen[str]) -> None:
    """A process a failed assertion left running is killed, and its pipes closed, so no test
    leaves a process or an open file behind (the suite's leak check would fail the next)."""
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    for f in (proc.stdout, proc.stderr):
        if f:
            f.close()
