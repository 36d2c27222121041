"""Order statistics for process measurement (pure: no Django).

A step's "typical" time is its median and its "bad day" its 90th percentile: means hide the few dossiers
that wait for weeks, which is exactly what a department simplifying its processes needs to see. The
percentile is the linear interpolation between the two nearest ranks (Hyndman & Fan's type 7, the default
of spreadsheets and NumPy), so that the figures match what an analyst recomputes in Excel with
``PERCENTILE.INC``.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["median", "percentile", "ratio"]


def percentile(values: Iterable[float], q: float) -> float | None:
    """The ``q``-th percentile (0–100) of ``values``; None when there are none."""
    if not 0 <= q <= 100:
        raise ValueError(f"a percentile is between 0 and 100, not {q}")
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    fraction = position - low
    return ordered[low] + (ordered[high] - ordered[low]) * fraction


def median(values: Iterable[float]) -> float | None:
    return percentile(values, 50)


def ratio(part: int | float, whole: int | float, *, percent: bool = True, digits: int = 1) -> float | None:
    """``part ÷ whole`` (in per cent by default), rounded; None when ``whole`` is zero (nothing to measure,
    which a page shows as "—", never as 0 %)."""
    if not whole:
        return None
    value = part / whole * (100 if percent else 1)
    return round(value, digits)
