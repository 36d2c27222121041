"""Compliance cost and the saving of a simplification (legal-reference §10): worked examples done by hand,
the edges, and the rules that hold for any inputs."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.catalog import compliance as cc
from motcua.catalog.compliance import ComplianceInputs, Simplification

# Worked example (a birth registration before and after Project 30), by hand:
#   value of an hour = 80.000.000 đ a year ÷ (250 days × 8 h) = 80.000.000 ÷ 2.000 = 40.000 đ
#   BEFORE: (1 h learning + 2 h preparing + 2 visits × 1,5 h) = 6 h × 40.000 = 240.000
#           + fees 50.000 + other costs 20.000                              = 310.000 đ per applicant
#           time limit 10 days = 80 h; 3 documents
#   AFTER:  (1 + 1 + 1 × 1,5) = 3,5 h × 40.000 = 140.000 + fees 0 + other 10.000 = 150.000 đ per applicant
#           time limit 5 days 4 hours = 44 h; 2 documents; 100 applicants a year
#   yearly before = 310.000 × 100 = 31.000.000; after = 150.000 × 100 = 15.000.000
#   saving = 16.000.000 đ a year; rate = 16 ÷ 31 = 0,516…; days cut = (80 − 44) ÷ 8 = 4,5; documents cut 1
BEFORE = ComplianceInputs(hours_learning=1, hours_preparing=2, visits=2, hours_per_visit=1.5, other_costs=20_000,
                          applicants_per_year=90, fees_total=50_000, documents=3, time_limit_hours=80)
AFTER = ComplianceInputs(hours_learning=1, hours_preparing=1, visits=1, hours_per_visit=1.5, other_costs=10_000,
                         applicants_per_year=100, fees_total=0, documents=2, time_limit_hours=44)
HOUR = 40_000


def test_the_value_of_an_hour_is_income_over_working_hours():
    assert cc.value_of_hour(80_000_000) == HOUR
    assert cc.value_of_hour(80_000_000, working_days_per_year=200) == 50_000  # 80.000.000 ÷ 1.600
    assert cc.value_of_hour(1_001_000) == 501  # 500,5 rounds half up
    assert cc.value_of_hour(999_000) == 500  # 499,5 → 500
    assert cc.value_of_hour(998_999) == 499  # 499,4995 → 499
    assert cc.value_of_hour(0) == 0


def test_the_worked_example_cost_per_applicant_and_per_year():
    assert cc.cost_per_applicant(BEFORE, HOUR) == 310_000
    assert cc.cost_per_applicant(AFTER, HOUR) == 150_000
    assert cc.yearly_cost(BEFORE, HOUR) == 310_000 * 90  # its own applicants when costed alone
    assert cc.yearly_cost(AFTER, HOUR) == 15_000_000


def test_the_worked_example_simplification_uses_the_new_versions_applicants_for_both_years():
    s = cc.simplification(BEFORE, AFTER, HOUR)
    assert s == Simplification(days_cut=4.5, documents_cut=1, fees_cut=50_000, cost_before=310_000,
                               cost_after=150_000, yearly_before=31_000_000, yearly_after=15_000_000,
                               yearly_saving=16_000_000, saving_rate=16 / 31)
    assert s.simplified


def test_cost_is_rounded_half_up_on_the_exact_decimal_value():
    # 1,0005 h × 1.000 đ = 1.000,5 đ → 1.001 (Python's round() would give the even 1.000)
    assert cc.cost_per_applicant(ComplianceInputs(hours_learning=1.0005), 1000) == 1001
    # 0,1 + 0,2 h is 0,3 h exactly (not 0,30000000000000004): × 5 đ = 1,5 → 2
    assert cc.cost_per_applicant(ComplianceInputs(hours_learning=0.1, hours_preparing=0.2), 5) == 2
    # 3 visits × 0,1 h × 15 đ = 4,5 → 5
    assert cc.cost_per_applicant(ComplianceInputs(visits=3, hours_per_visit=0.1), 15) == 5
    assert cc.cost_per_applicant(ComplianceInputs(hours_learning=Decimal("0.25")), 2) == 1  # 0,5 → 1


def test_nothing_spent_costs_nothing_and_a_rate_of_zero():
    nothing = ComplianceInputs()
    assert cc.cost_per_applicant(nothing, HOUR) == 0
    s = cc.simplification(nothing, nothing, HOUR)
    assert (s.yearly_before, s.yearly_saving, s.saving_rate, s.days_cut) == (0, 0, 0.0, 0.0)
    assert not s.simplified


def test_without_applicants_there_is_no_yearly_saving_but_cuts_still_count():
    before = dataclasses.replace(BEFORE, applicants_per_year=500)
    after = dataclasses.replace(AFTER, applicants_per_year=0)
    s = cc.simplification(before, after, HOUR)
    assert (s.yearly_before, s.yearly_after, s.yearly_saving, s.saving_rate) == (0, 0, 0, 0.0)
    assert s.cost_before - s.cost_after == 160_000
    assert s.simplified  # 4,5 days and a document cut


def test_only_fees_and_money_count_when_an_hour_is_worth_nothing():
    assert cc.cost_per_applicant(BEFORE, 0) == 70_000


def test_a_version_that_asks_more_shows_negative_cuts():
    s = cc.simplification(AFTER, BEFORE, HOUR)
    assert (s.days_cut, s.documents_cut, s.fees_cut) == (-4.5, -1, -50_000)
    assert s.yearly_saving == 150_000 * 90 - 310_000 * 90
    assert s.saving_rate == pytest.approx(-160 / 150)
    assert not s.simplified


def test_a_one_hour_cut_is_an_eighth_of_a_day():
    s = cc.simplification(ComplianceInputs(time_limit_hours=9), ComplianceInputs(time_limit_hours=8), HOUR)
    assert s.days_cut == 0.125
    assert s.simplified


@pytest.mark.parametrize(("field", "value"), [("hours_learning", -1), ("visits", -0.5), ("other_costs", -1),
                                              ("hours_preparing", float("nan")), ("fees_total", float("inf"))])
def test_negative_or_non_finite_inputs_are_refused(field, value):
    with pytest.raises(ValueError, match=field):
        ComplianceInputs(**{field: value})


def test_non_numbers_are_refused():
    with pytest.raises(TypeError, match="visits"):
        ComplianceInputs(visits=True)
    with pytest.raises(TypeError, match="hours_learning"):
        ComplianceInputs(hours_learning="2")  # type: ignore[arg-type]


def test_a_year_without_working_days_is_refused():
    with pytest.raises(ValueError, match="số ngày làm việc"):
        cc.value_of_hour(80_000_000, working_days_per_year=0)
    with pytest.raises(ValueError, match="thu nhập"):
        cc.value_of_hour(-1)


def test_inputs_come_from_a_canonical_version():
    version = {"number": 2, "time_limit": 3, "time_unit": "days",
               "compliance": {"hours_learning": 1.0, "hours_preparing": 4.0, "visits": 2, "hours_per_visit": 3.0,
                              "other_costs": 20_000, "applicants_per_year": 100},
               "documents": [{"name": "Tờ khai"}, {"name": "Bản sao"}],
               "fees": [{"name": "Lệ phí", "amount": 50_000}, {"name": "Phí thẩm định", "amount": 0}],
               "steps": []}
    assert ComplianceInputs.from_version(version) == ComplianceInputs(
        hours_learning=1.0, hours_preparing=4.0, visits=2, hours_per_visit=3.0, other_costs=20_000,
        applicants_per_year=100, fees_total=50_000, documents=2, time_limit_hours=24)
    assert ComplianceInputs.from_version({"time_limit": 4, "time_unit": "hours"}) == ComplianceInputs(
        time_limit_hours=4)


def test_the_agency_summary_sentence():
    items = [cc.simplification(BEFORE, AFTER, HOUR),
             cc.simplification(AFTER, AFTER, HOUR),  # unchanged: looked at, not simplified
             cc.simplification(ComplianceInputs(time_limit_hours=120, documents=4),
                               ComplianceInputs(time_limit_hours=100, documents=4), HOUR)]  # 2,5 days
    summary = cc.summarise(items)
    assert summary == cc.AgencySummary(procedures=3, procedures_simplified=2, days_cut=7.0, documents_cut=1,
                                       yearly_before=31_000_000 + 15_000_000, yearly_after=15_000_000 * 2,
                                       yearly_saving=16_000_000)
    assert summary.saving_rate == pytest.approx(16 / 46)
    assert summary.sentence() == ("2 thủ tục được đơn giản hóa, cắt giảm 7 ngày làm việc, "
                                  "tiết kiệm 16.000.000 đồng mỗi năm cho người dân")
    assert cc.summarise([]) == cc.AgencySummary()
    assert cc.summarise([]).saving_rate == 0.0


@pytest.mark.parametrize(("amount", "text"), [(0, "0 đồng"), (999, "999 đồng"), (1000, "1.000 đồng"),
                                              (1_234_567, "1.234.567 đồng"), (-50_000, "-50.000 đồng"),
                                              (10**12, "1.000.000.000.000 đồng")])
def test_money_is_written_with_dots_between_thousands(amount, text):
    assert cc.format_vnd(amount) == text


@pytest.mark.parametrize(("days", "text"), [
    (12.5, "12,5 ngày"), (0, "0 ngày"), (7.0, "7 ngày"), (0.125, "0,125 ngày"), (1234.75, "1.234,75 ngày"),
    (-4.5, "-4,5 ngày"), (Decimal("3.10"), "3,1 ngày"), (2 / 3, "0,667 ngày"), (-0.0001, "0 ngày")])
def test_days_are_written_with_a_decimal_comma(days, text):
    assert cc.format_days(days) == text


# ------------------------------------------------------------------------------------------ properties

hours = st.floats(min_value=0, max_value=1000, allow_nan=False, allow_infinity=False)
money = st.integers(min_value=0, max_value=10**9)
inputs = st.builds(ComplianceInputs, hours_learning=hours, hours_preparing=hours,
                   visits=st.integers(min_value=0, max_value=50), hours_per_visit=hours, other_costs=money,
                   applicants_per_year=st.integers(min_value=0, max_value=10**6), fees_total=money,
                   documents=st.integers(min_value=0, max_value=60),
                   time_limit_hours=st.integers(min_value=0, max_value=29_200))
hour_values = st.integers(min_value=0, max_value=10**6)
COST_FIELDS = ("hours_learning", "hours_preparing", "visits", "hours_per_visit", "other_costs", "fees_total")


@settings(max_examples=300, deadline=None)
@given(inputs, hour_values, st.sampled_from(COST_FIELDS), st.integers(min_value=0, max_value=1000))
def test_cost_never_falls_when_an_input_rises(base, hour, field, more):
    higher = dataclasses.replace(base, **{field: getattr(base, field) + more})
    assert cc.cost_per_applicant(higher, hour) >= cc.cost_per_applicant(base, hour)
    assert cc.yearly_cost(higher, hour) >= cc.yearly_cost(base, hour)


@settings(max_examples=200, deadline=None)
@given(inputs, hour_values, st.integers(min_value=0, max_value=1000))
def test_cost_never_falls_when_an_hour_is_worth_more_or_there_are_more_applicants(base, hour, more):
    assert cc.cost_per_applicant(base, hour + more) >= cc.cost_per_applicant(base, hour)
    more_people = dataclasses.replace(base, applicants_per_year=base.applicants_per_year + more)
    assert cc.yearly_cost(more_people, hour) >= cc.yearly_cost(base, hour)


@settings(max_examples=300, deadline=None)
@given(inputs, inputs, hour_values)
def test_the_saving_is_the_yearly_cost_before_less_after(before, after, hour):
    s = cc.simplification(before, after, hour)
    same_people = dataclasses.replace(before, applicants_per_year=after.applicants_per_year)
    assert s.yearly_before == cc.yearly_cost(same_people, hour) == s.cost_before * after.applicants_per_year
    assert s.yearly_after == cc.yearly_cost(after, hour)
    assert s.yearly_saving == s.yearly_before - s.yearly_after
    assert s.saving_rate == (s.yearly_saving / s.yearly_before if s.yearly_before else 0.0)
    assert s.days_cut * 8 == before.time_limit_hours - after.time_limit_hours
    if s.yearly_after <= s.yearly_before:
        assert 0.0 <= s.saving_rate <= 1.0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(inputs, inputs), max_size=20), hour_values)
def test_the_summary_adds_up_its_simplifications(pairs, hour):
    items = [cc.simplification(before, after, hour) for before, after in pairs]
    summary = cc.summarise(items)
    assert summary.procedures == len(items)
    assert summary.procedures_simplified == sum(
        1 for s in items if s.yearly_saving > 0 or s.days_cut > 0 or s.documents_cut > 0)
    assert summary.days_cut == sum(s.days_cut for s in items)  # multiples of 1/8: exact in a float
    assert summary.yearly_saving == sum(s.yearly_saving for s in items)
    assert summary.yearly_saving == summary.yearly_before - summary.yearly_after
    assert summary.documents_cut == sum(s.documents_cut for s in items)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_money_text_reads_back_as_the_amount(amount):
    text = cc.format_vnd(amount)
    assert text.endswith(" đồng")
    assert int(text.removesuffix(" đồng").replace(".", "")) == amount


@given(st.integers(min_value=-(10**7), max_value=10**7))
def test_days_text_reads_back_for_any_number_of_hours(hours_cut):
    days = hours_cut / 8
    text = cc.format_days(days)
    assert float(text.removesuffix(" ngày").replace(".", "").replace(",", ".")) == days
