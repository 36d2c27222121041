"""The service-quality indicators of Decision 766/QĐ-TTg (real-time index, 100 points in five groups) that
our data supports, each with its formula and its score; the others listed as not measured, never faked
(pure: no Django).

Sources: ``domain/legal-reference.md`` §3 — the group points and the formulas come from a third-party copy
of the Government Office's description, partly confirmed. **How a group's points are split between its
indicators was not found**: here each group's points are shared equally among the indicators the
reference lists for it (``POINTS``), and an indicator without a stated threshold reaches full points at
100 %. Both are marked unverified on the page and in the README; change them here when the official
split is known. Below its threshold an indicator scores rate × points ÷ threshold.
"""

from __future__ import annotations

from dataclasses import dataclass


def gettext_noop(text: str) -> str:
    """Marks a label for the translation catalogue; pages translate it when they show it."""
    return text


GROUPS = {
    1: (gettext_noop("Công khai, minh bạch"), 18),
    2: (gettext_noop("Tiến độ, kết quả giải quyết"), 20),
    3: (gettext_noop("Cung cấp dịch vụ công trực tuyến"), 22),
    4: (gettext_noop("Số hóa hồ sơ"), 22),
    5: (gettext_noop("Mức độ hài lòng"), 18),
}


@dataclass(frozen=True)
class Definition:
    code: str
    group: int
    name: str
    formula: str
    threshold: float | None = None   # per cent at which the indicator reaches full points
    measured: bool = True
    why_not: str = ""


DEFINITIONS = [
    Definition("1.1", 1, gettext_noop("TTHC được công bố đúng hạn"),
               gettext_noop("Quyết định công bố ≤ ngày hiệu lực của văn bản quy định − 5 ngày làm việc"),
               measured=False, why_not=gettext_noop("Chưa lưu ngày ký quyết định công bố TTHC.")),
    Definition("1.2", 1, gettext_noop("TTHC được công khai trên CSDL quốc gia đúng hạn"),
               gettext_noop("Công khai ≤ 5 ngày làm việc sau quyết định công bố"),
               measured=False, why_not=gettext_noop("Chưa kết nối CSDL quốc gia về TTHC.")),
    Definition("1.3", 1, gettext_noop("TTHC công khai đầy đủ các bộ phận"),
               gettext_noop("TTHC có đủ thành phần công khai ÷ tổng số TTHC"),
               measured=False, why_not=gettext_noop("Chưa có tiêu chí đủ bộ phận được xác nhận.")),
    Definition("1.4", 1, gettext_noop("Hồ sơ đồng bộ lên Cổng DVC quốc gia"),
               gettext_noop("Hồ sơ đã đồng bộ ÷ hồ sơ tiếp nhận"),
               measured=False, why_not=gettext_noop("Chưa kết nối Cổng dịch vụ công quốc gia.")),
    Definition("2.1", 2, gettext_noop("Tỷ lệ hồ sơ giải quyết đúng hạn"),
               gettext_noop("(Đã giải quyết trước hạn, đúng hạn + đang giải quyết trong hạn) ÷ (đã giải quyết + "
                            "đang giải quyết); không tính thời gian chờ bổ sung; bổ sung quá 1 lần hoặc hẹn lại "
                            "tính là quá hạn; hồ sơ chưa xong đo tại cuối kỳ")),
    Definition("2.2", 2, gettext_noop("Thời gian giải quyết bình quân"),
               gettext_noop("Tổng thời gian từ tiếp nhận đến giải quyết xong ÷ số hồ sơ đã giải quyết (ngày làm "
                            "việc); hiển thị, chưa chấm điểm"),
               measured=False, why_not=gettext_noop("Chưa có công thức quy đổi ra điểm; xem giá trị ở báo cáo.")),
    Definition("3.1", 3, gettext_noop("TTHC cung cấp dịch vụ công trực tuyến"),
               gettext_noop("TTHC có DVC trực tuyến (toàn trình, một phần) ÷ TTHC đang áp dụng"), threshold=80),
    Definition("3.3", 3, gettext_noop("Hồ sơ nộp trực tuyến"),
               gettext_noop("Hồ sơ mới tiếp nhận trực tuyến ÷ hồ sơ mới tiếp nhận"), threshold=50),
    Definition("3.5", 3, gettext_noop("TTHC có phí được tích hợp thanh toán trực tuyến"),
               gettext_noop("TTHC có phí tích hợp thanh toán ÷ TTHC có phí"),
               measured=False, why_not=gettext_noop("Chưa có thanh toán trực tuyến.")),
    Definition("3.6", 3, gettext_noop("Hồ sơ thanh toán trực tuyến"),
               gettext_noop("Hồ sơ đã thanh toán trực tuyến ÷ hồ sơ có phí"),
               measured=False, why_not=gettext_noop("Chưa ghi nhận thanh toán trực tuyến.")),
    Definition("4.1", 4, gettext_noop("Hồ sơ có kết quả điện tử"),
               gettext_noop("Hồ sơ đã giải quyết có tệp kết quả ÷ hồ sơ đã giải quyết")),
    Definition("4.2", 4, gettext_noop("Hồ sơ được số hóa"),
               gettext_noop("Hồ sơ mới tiếp nhận có tệp thành phần ÷ hồ sơ mới tiếp nhận"), threshold=80),
    Definition("4.3", 4, gettext_noop("Tái sử dụng dữ liệu số hóa"),
               gettext_noop("Hồ sơ dùng lại dữ liệu đã số hóa ÷ hồ sơ"), threshold=80,
               measured=False, why_not=gettext_noop("Chưa có kho dữ liệu số hóa dùng chung.")),
    Definition("4.4", 4, gettext_noop("Kết nối kho dữ liệu của công dân"),
               gettext_noop("Hồ sơ có kết quả đưa vào kho dữ liệu công dân ÷ hồ sơ"),
               measured=False, why_not=gettext_noop("Chưa kết nối kho dữ liệu công dân.")),
    Definition("4.5", 4, gettext_noop("Khai thác dữ liệu dân cư, VNeID"),
               gettext_noop("Hồ sơ dùng dữ liệu dân cư/VNeID ÷ hồ sơ"),
               measured=False, why_not=gettext_noop("Chưa kết nối CSDL quốc gia về dân cư.")),
    Definition("5.0", 5, gettext_noop("Mức độ hài lòng về giải quyết TTHC"),
               gettext_noop("100 % − (tỷ lệ hồ sơ quá hạn + tỷ lệ đánh giá không hài lòng)"), threshold=90),
    Definition("5.1", 5, gettext_noop("Xử lý phản ánh, kiến nghị đúng hạn"),
               gettext_noop("Từ chối ≤ 2, đề nghị bổ sung ≤ 5, xử lý ≤ 15, công khai ≤ 2 ngày làm việc"),
               measured=False, why_not=gettext_noop("Chưa có chức năng phản ánh, kiến nghị.")),
]

# Each group's points shared equally among its listed indicators (the official split is unverified).
POINTS = {d.code: GROUPS[d.group][1] / sum(1 for e in DEFINITIONS if e.group == d.group) for d in DEFINITIONS}


@dataclass(frozen=True)
class Inputs:
    """What the data says about a period (counts; the rates are computed here)."""

    resolved: int
    resolved_in_time: int
    in_progress: int
    in_progress_within: int
    late: int
    procedures: int
    procedures_online: int
    received_new: int
    received_online: int
    resolved_with_e_result: int
    received_digitised: int
    ratings: int
    ratings_unsatisfied: int


@dataclass(frozen=True)
class Indicator:
    definition: Definition
    value: float | None          # per cent; None when there is nothing to measure this period
    numerator: int | None
    denominator: int | None
    points: float
    score: float | None


def score(value: float | None, points: float, threshold: float | None) -> float | None:
    if value is None:
        return None
    full = threshold or 100.0
    return round(points if value >= full else value * points / full, 2)


def _rate(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 2) if denominator else None


def evaluate(inputs: Inputs) -> list[Indicator]:
    ratios: dict[str, tuple[int, int]] = {
        "2.1": (inputs.resolved_in_time + inputs.in_progress_within, inputs.resolved + inputs.in_progress),
        "3.1": (inputs.procedures_online, inputs.procedures),
        "3.3": (inputs.received_online, inputs.received_new),
        "4.1": (inputs.resolved_with_e_result, inputs.resolved),
        "4.2": (inputs.received_digitised, inputs.received_new),
    }
    out = []
    for d in DEFINITIONS:
        points = round(POINTS[d.code], 2)
        if not d.measured:
            out.append(Indicator(d, None, None, None, points, None))
            continue
        if d.code == "5.0":
            late = _rate(inputs.late, inputs.resolved)
            unsatisfied = _rate(inputs.ratings_unsatisfied, inputs.ratings) or 0.0
            value = None if late is None else round(max(0.0, 100 - late - unsatisfied), 2)
            out.append(Indicator(d, value, None, None, points, score(value, points, d.threshold)))
            continue
        numerator, denominator = ratios[d.code]
        value = _rate(numerator, denominator)
        out.append(Indicator(d, value, numerator, denominator, points, score(value, points, d.threshold)))
    return out
