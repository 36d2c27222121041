"""Decision 766's indicators: formulas and scores (pure), and the figures a known March gives."""

from __future__ import annotations

import pytest

from motcua.reports import indicators, periods, selectors
from tests.reports.conftest import MARCH


def test_each_group_shares_its_points_and_the_five_groups_make_100():
    assert round(sum(indicators.POINTS.values()), 6) == 100
    for group, (_name, points) in indicators.GROUPS.items():
        assert round(sum(v for k, v in indicators.POINTS.items() if k.startswith(f"{group}.")), 6) == points


@pytest.mark.parametrize(("value", "threshold", "expected"), [
    (100, None, 10), (75, None, 7.5), (40, 50, 8), (50, 50, 10), (90, 80, 10), (None, 80, None), (0, 80, 0)])
def test_below_its_threshold_an_indicator_scores_in_proportion(value, threshold, expected):
    assert indicators.score(value, 10, threshold) == expected


def test_what_the_data_cannot_support_is_listed_not_scored():
    rows = indicators.evaluate(indicators.Inputs(*([0] * 13)))
    unmeasured = {r.definition.code for r in rows if not r.definition.measured}
    assert {"1.1", "1.4", "3.5", "3.6", "4.3", "5.1"} <= unmeasured
    assert all(r.score is None and r.value is None for r in rows if not r.definition.measured)
    assert all(r.definition.why_not for r in rows if not r.definition.measured)


def test_march_gives_the_on_time_rate_with_running_dossiers_measured_at_the_period_end(world, history):
    rows = {r.definition.code: r for r in selectors.indicators(period=periods.Period(*MARCH), agency=world.agency)}
    # 4 early + 1 on time resolved, 1 running within time; out of 6 resolved and 2 running (the one waiting
    # for a supplement is not counted: the applicant's time is not the agency's).
    assert (rows["2.1"].numerator, rows["2.1"].denominator, rows["2.1"].value) == (6, 8, 75.0)
    assert rows["2.1"].score == 7.5
    assert (rows["3.3"].numerator, rows["3.3"].denominator) == (1, 9)
    assert (rows["3.1"].numerator, rows["3.1"].denominator, rows["3.1"].score) == (2, 2, 5.5)
    assert rows["4.1"].value == 0 and rows["4.2"].value == 0  # no files in this history
    # satisfaction: 100 − late rate (1 of 6) − unsatisfied ratings (none)
    assert rows["5.0"].value == round(100 - 100 / 6, 2)


def test_an_empty_period_scores_nothing_rather_than_zero(world):
    rows = selectors.indicators(period=periods.Period(*MARCH), agency=world.agency)
    assert {r.definition.code: r.value for r in rows}["2.1"] is None


def test_the_indicators_endpoint_gives_formulas_values_and_scores_and_says_what_it_cannot_measure(
        client, world, history):
    client.force_login(world.leader.user)
    response = client.get("/api/v1/reports/indicators", {"from": "2026-03-01", "to": "2026-03-31"})
    assert response.status_code == 200, response.content
    body = response.json()
    rows = {r["code"]: r for r in body["indicators"]}
    assert (rows["2.1"]["value"], rows["2.1"]["score"], rows["2.1"]["points"]) == (75.0, 7.5, 10.0)
    assert rows["2.1"]["group_name"] == "Tiến độ, kết quả giải quyết" and "trong hạn" in rows["2.1"]["formula"]
    assert rows["3.6"]["measured"] is False and rows["3.6"]["score"] is None and rows["3.6"]["why_not"]
    assert body["score"] == round(sum(r["score"] or 0 for r in body["indicators"]), 2)
    assert 0 < body["points_measured"] < 100


def test_the_indicators_endpoint_refuses_who_may_not_read_reports_and_bad_periods(client, world, history):
    client.force_login(world.specialist.user)
    assert client.get("/api/v1/reports/indicators", {"from": "2026-03-01", "to": "2026-03-31"}).status_code == 403
    client.force_login(world.leader.user)
    bad = client.get("/api/v1/reports/indicators", {"from": "2026-03-31", "to": "2026-03-01"})
    assert bad.status_code == 400 and "Ngày kết thúc" in bad.json()["message"]
    other = client.get("/api/v1/reports/indicators", {"from": "2026-03-01", "to": "2026-03-31", "agency": "all"})
    assert other.status_code == 403
