"""schemathesis hooks for the reference backend run (``SCHEMATHESIS_HOOKS``).

Generated ``Idempotency-Key`` values repeat ("0", "00"…) across different bodies, which the
contract answers with 422 (key reused): correct, but it would hide every other answer. A real
client sends a fresh key per request, so a *valid* generated key is replaced by a fresh one;
an invalid one (a negative case) is left alone for the server to refuse.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import schemathesis

_VALID = re.compile(r"^[\x21-\x7e]{1,200}$")


@schemathesis.hook
def before_call(ctx: Any, case: Any, **kwargs: Any) -> None:
    key = (case.headers or {}).get("Idempotency-Key")
    if isinstance(key, str) and _VALID.match(key):
        case.headers["Idempotency-Key"] = f"st-{uuid.uuid4()}"  # in place: keep the case's
        # own bookkeeping (a "missing header" case must still go without Authorization)
