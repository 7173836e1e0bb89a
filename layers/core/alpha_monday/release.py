"""Which code this is, so that an answer stored by one release is never served by another.

`sam build` writes RELEASE_FILE into the layer: a digest of everything that shapes an
answer (the package, its templates and migrations, the handlers and the pinned
requirements; alpha_monday_local.layer_build). A development checkout has no such file:
its code may change between two processes, so each process is a release of its own.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from uuid import uuid4

RELEASE_FILE = Path(__file__).resolve().parent / "release.txt"


@cache
def code_release() -> str:
    try:
        return RELEASE_FILE.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return f"development-{uuid4().hex}"
