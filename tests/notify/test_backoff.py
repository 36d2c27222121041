import datetime as dt

import pytest

from motcua.notify import backoff


def test_retries_wait_1_5_25_and_125_minutes_then_give_up_after_the_fifth_attempt():
    waits = [backoff.delay_after(n) for n in range(1, 6)]
    assert waits == [dt.timedelta(minutes=m) for m in (1, 5, 25, 125)] + [None]


def test_attempts_are_counted_from_one():
    with pytest.raises(ValueError):
        backoff.delay_after(0)


@pytest.mark.parametrize("attempt", range(1, 5))
def test_each_wait_is_longer_than_the_one_before(attempt):
    assert backoff.delay_after(attempt + 1) is None or backoff.delay_after(attempt + 1) > backoff.delay_after(attempt)
