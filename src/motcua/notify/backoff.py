"""When a failed delivery is tried again (pure: no Django).

Exponential: 1, 5, 25, 125 minutes after the 1st, 2nd, 3rd and 4th failure; the 5th failure is final. A
provider that is down for a few minutes loses nothing; one down for hours is reported, not hammered.
"""

from __future__ import annotations

import datetime as dt

MAX_ATTEMPTS = 5
FIRST_DELAY = dt.timedelta(minutes=1)
FACTOR = 5
# How long a worker may hold a delivery it took before another worker may take it again (a crashed worker).
LEASE = dt.timedelta(minutes=10)


def delay_after(attempt: int, *, max_attempts: int = MAX_ATTEMPTS) -> dt.timedelta | None:
    """The wait after failed attempt number ``attempt`` (1-based), or None when no attempt is left."""
    if attempt < 1:
        raise ValueError("attempts are counted from 1")
    if attempt >= max_attempts:
        return None
    return FIRST_DELAY * FACTOR ** (attempt - 1)
