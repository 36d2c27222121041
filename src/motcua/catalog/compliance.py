"""Compliance cost of a procedure version and the saving of a simplification (pure; legal-reference §10,
the Project 30 method after TT 07/2014/TT-BTP).

    cost per applicant = (hours learning + hours preparing + visits × hours per visit) × value of an hour
                         + fees + other money costs                       (VND, rounded half up to 1 đồng)
    yearly cost        = cost per applicant × applicants per year
    saving             = yearly cost before − yearly cost after;  rate = saving ÷ yearly cost before
    value of an hour   = average income per person per year ÷ (working days a year × 8)

Money is whole đồng (int); hours may be fractional. Arithmetic is done in Decimal (a float input is taken
by its shortest decimal form, 1.1 → Decimal("1.1")), so results do not depend on binary rounding.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from motcua.catalog.format import HOURS_PER_DAY, time_limit_hours

Number = int | float | Decimal


@dataclass(frozen=True)
class ComplianceInputs:
    """What one applicant spends on one procedure version, and how many applicants a year there are."""

    hours_learning: Number = 0
    hours_preparing: Number = 0
    visits: Number = 0
    hours_per_visit: Number = 0
    other_costs: int = 0  # VND per applicant: copies, certifications, travel, postage, hired services
    applicants_per_year: int = 0
    fees_total: int = 0  # VND per applicant
    documents: int = 0  # number of documents in the dossier
    time_limit_hours: int = 0  # the time limit in working hours

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
                raise TypeError(f"{f.name} phải là một số, không phải {value!r}")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"{f.name} phải là số không âm, không phải {value!r}")

    @classmethod
    def from_version(cls, version: Mapping[str, Any]) -> ComplianceInputs:
        """The inputs of a canonical version (``catalog.format``): its compliance block, the sum of its fees,
        its number of documents and its time limit in working hours."""
        comp = version.get("compliance") or {}
        return cls(
            hours_learning=comp.get("hours_learning") or 0,
            hours_preparing=comp.get("hours_preparing") or 0,
            visits=comp.get("visits") or 0,
            hours_per_visit=comp.get("hours_per_visit") or 0,
            other_costs=int(comp.get("other_costs") or 0),
            applicants_per_year=int(comp.get("applicants_per_year") or 0),
            fees_total=sum(int(fee.get("amount") or 0) for fee in version.get("fees") or []),
            documents=len(version.get("documents") or []),
            time_limit_hours=time_limit_hours(int(version.get("time_limit") or 0), version.get("time_unit") or "days"),
        )


def _dec(value: Number) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cost_per_applicant(inputs: ComplianceInputs, value_of_hour: int) -> int:
    """(hours learning + hours preparing + visits × hours per visit) × value of an hour + fees + other
    costs, in VND rounded half up to the whole đồng."""
    hours = _dec(inputs.hours_learning) + _dec(inputs.hours_preparing) + _dec(inputs.visits) * _dec(
        inputs.hours_per_visit)
    return _round(hours * _dec(value_of_hour) + _dec(inputs.fees_total) + _dec(inputs.other_costs))


def yearly_cost(inputs: ComplianceInputs, value_of_hour: int) -> int:
    """Cost per applicant (already rounded) × applicants per year."""
    return cost_per_applicant(inputs, value_of_hour) * int(inputs.applicants_per_year)


def value_of_hour(average_income_per_year: int, working_days_per_year: int = 250) -> int:
    """Average income per person per year ÷ (working days a year × 8 hours), rounded half up to the đồng."""
    if working_days_per_year <= 0:
        raise ValueError("số ngày làm việc trong năm phải lớn hơn 0")
    if average_income_per_year < 0:
        raise ValueError("thu nhập bình quân không được âm")
    return _round(Decimal(average_income_per_year) / (Decimal(working_days_per_year) * HOURS_PER_DAY))


@dataclass(frozen=True)
class Simplification:
    """What a simplification (an old version → a new one) saves.

    ``days_cut`` is a float of working days, (hours before − hours after) ÷ 8: time limits are whole hours,
    so it is a multiple of 1/8, which a float holds exactly (and sums exactly, far beyond any real total).
    ``days_cut``, ``documents_cut``, ``fees_cut`` and ``yearly_saving`` are negative when the new version asks
    more; ``saving_rate`` is then negative too (it is 0..1 for a real simplification, and 0 when the yearly
    cost before is 0)."""

    days_cut: float
    documents_cut: int
    fees_cut: int  # VND per applicant
    cost_before: int  # VND per applicant
    cost_after: int
    yearly_before: int
    yearly_after: int
    yearly_saving: int
    saving_rate: float

    @property
    def simplified(self) -> bool:
        return self.yearly_saving > 0 or self.days_cut > 0 or self.documents_cut > 0


def simplification(before: ComplianceInputs, after: ComplianceInputs, value_of_hour: int) -> Simplification:
    """Compare two versions of one procedure.

    Both yearly figures use the AFTER version's applicants per year: the method compares what the same
    applicants would spend under the old and the new rules, so a change in the number of applicants must not
    show up as a saving (or a loss). The BEFORE version's ``applicants_per_year`` is not used."""
    applicants = int(after.applicants_per_year)
    cost_before = cost_per_applicant(before, value_of_hour)
    cost_after = cost_per_applicant(after, value_of_hour)
    yearly_before = cost_before * applicants
    yearly_after = cost_after * applicants
    saving = yearly_before - yearly_after
    return Simplification(
        days_cut=(int(before.time_limit_hours) - int(after.time_limit_hours)) / HOURS_PER_DAY,
        documents_cut=int(before.documents) - int(after.documents),
        fees_cut=int(before.fees_total) - int(after.fees_total),
        cost_before=cost_before,
        cost_after=cost_after,
        yearly_before=yearly_before,
        yearly_after=yearly_after,
        yearly_saving=saving,
        saving_rate=saving / yearly_before if yearly_before else 0.0,
    )


@dataclass
class AgencySummary:
    """An agency's simplifications added up, for "36 thủ tục được đơn giản hóa, cắt giảm X ngày làm việc,
    tiết kiệm Y đồng mỗi năm cho người dân"."""

    procedures: int = 0  # every simplification looked at
    procedures_simplified: int = 0  # those with a yearly saving, days cut or documents cut
    days_cut: float = 0.0  # the sum of days_cut over all of them (a lengthened time limit counts against)
    documents_cut: int = 0
    yearly_before: int = 0
    yearly_after: int = 0
    yearly_saving: int = 0

    @property
    def saving_rate(self) -> float:
        return self.yearly_saving / self.yearly_before if self.yearly_before else 0.0

    def sentence(self) -> str:
        return (f"{self.procedures_simplified} thủ tục được đơn giản hóa, cắt giảm {format_days(self.days_cut)} "
                f"làm việc, tiết kiệm {format_vnd(self.yearly_saving)} mỗi năm cho người dân")


def summarise(items: Iterable[Simplification]) -> AgencySummary:
    summary = AgencySummary()
    for item in items:
        summary.procedures += 1
        summary.procedures_simplified += item.simplified
        summary.days_cut += item.days_cut
        summary.documents_cut += item.documents_cut
        summary.yearly_before += item.yearly_before
        summary.yearly_after += item.yearly_after
        summary.yearly_saving += item.yearly_saving
    return summary


def _grouped(digits: str) -> str:
    return f"{int(digits):,}".replace(",", ".")


def format_vnd(amount: int) -> str:
    """1234567 → "1.234.567 đồng" (a non-integer amount is rounded half up first)."""
    value = _round(_dec(amount))
    return f"{'-' if value < 0 else ''}{_grouped(str(abs(value)))} đồng"


def format_days(days: Number) -> str:
    """12.5 → "12,5 ngày"; 1234.125 → "1.234,125 ngày"; at most three decimals (an hour is 0,125 ngày),
    trailing zeros dropped."""
    value = _dec(days).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):f}".partition(".")
    fraction = fraction.rstrip("0")
    text = _grouped(whole) + (f",{fraction}" if fraction else "")
    return f"{sign if text != '0' else ''}{text} ngày"
