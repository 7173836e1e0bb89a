"""The random control's universe: the S&P 500 constituents as pytickersymbols ships them.

The package is pinned (layers/core/requirements.txt), so a Monday's draw can be repeated
with the very same list; its as-of date is the day that version was published on PyPI (the
package carries no date of its own). Only its data module is imported (no network code).
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib.metadata import version

from alpha_monday.domain.control import Universe
from alpha_monday.domain.picks import source_form

PACKAGE = "pytickersymbols"
PINNED_VERSION = "1.17.10"
INDEX = "S&P 500"
# The PyPI upload date of pytickersymbols 1.17.10.
AS_OF = date(2026, 3, 9)


@cache
def sp500_universe() -> Universe:
    """Every constituent once, in the data source's spelling (BRK.B is BRK-B)."""
    installed = version(PACKAGE)
    if installed != PINNED_VERSION:
        # Another list would draw other tickers for the same seed: refuse, do not guess.
        raise RuntimeError(
            f"{PACKAGE} {installed} is installed; the control needs {PINNED_VERSION}"
        )
    # Imported here: 0.3 s, paid by the picking step only. The package ships no types.
    from pytickersymbols.indices_data import INDICES  # type: ignore[import-untyped]  # noqa: PLC0415

    tickers = sorted({source_form(c["symbol"]) for c in INDICES[INDEX]["companies"]})
    return Universe(
        name=f"{INDEX} constituents ({PACKAGE} {PINNED_VERSION})",
        as_of=AS_OF,
        tickers=tuple(tickers),
    )
