"""The applicant's rating of a dossier's handling: the nine indices of TT 01/2018/TT-VPCP Art 13, each
scored 2, 1 or 0 (legal-reference.md §1). Four are measured from the dossier's own record (time, time at
each step, contacts to complete the dossier, agencies contacted); five are asked. The wording of the
questions and the measured indices' thresholds follow the circular as summarised in the reference; the
exact official wording is unverified, so the set lives here, in one place, to be adjusted.

Pure: no Django. ``measured(...)`` takes plain facts; ``score(...)`` validates the answers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    options: tuple[tuple[int, str], ...]  # (points, label), best first


ASKED: tuple[Question, ...] = (
    Question("publicity", "Thủ tục hành chính được công khai đầy đủ, dễ tìm và dễ hiểu?",
             ((2, "Đầy đủ, dễ hiểu"), (1, "Có công khai nhưng khó tìm hoặc khó hiểu"), (0, "Không được công khai"))),
    Question("attitude", "Thái độ của cán bộ khi hướng dẫn, tiếp nhận và giải quyết hồ sơ?",
             ((2, "Tận tình, chu đáo"), (1, "Bình thường"), (0, "Chưa tốt, gây phiền hà"))),
    Question("feedback", "Ý kiến, phản ánh của ông/bà (nếu có) được tiếp thu và trả lời?",
             ((2, "Được trả lời đầy đủ hoặc không có phản ánh"), (1, "Được trả lời chưa đầy đủ"),
              (0, "Không được trả lời"))),
    Question("online", "Dịch vụ công trực tuyến dễ sử dụng?",
             ((2, "Dễ sử dụng"), (1, "Sử dụng được nhưng còn khó"), (0, "Khó sử dụng"))),
    Question("result", "Kết quả giải quyết đúng quy định và đáp ứng yêu cầu của ông/bà?",
             ((2, "Đúng và đáp ứng"), (1, "Đáp ứng một phần"), (0, "Không đáp ứng"))),
)
MEASURED_LABELS = {
    "time": "Tổng thời gian giải quyết so với thời hạn",
    "steps": "Thời gian tại từng cơ quan, đơn vị tham gia giải quyết",
    "contacts": "Số lần phải liên hệ để hoàn thiện hồ sơ",
    "agencies": "Số cơ quan, đơn vị phải liên hệ",
}
MAXIMUM = 2 * (len(ASKED) + len(MEASURED_LABELS))


class RatingProblem(ValueError):
    """Answers that cannot be scored: a question unanswered or an answer not offered."""


def measured(*, outcome: str, late_steps: int, supplement_requests: int, agencies: int) -> dict[str, int]:
    """The indices read off the dossier. ``outcome`` is early / on_time / late (``dossiers.outcomes``)."""
    return {
        "time": {"early": 2, "on_time": 1}.get(outcome, 0),
        "steps": 2 if late_steps == 0 else 0,
        "contacts": 2 if supplement_requests == 0 else 1 if supplement_requests == 1 else 0,
        "agencies": 2 if agencies <= 1 else 1 if agencies == 2 else 0,
    }


def score(answers: dict[str, int | str], facts: dict[str, int]) -> dict[str, int]:
    """Every index's points: the measured ones and the applicant's answer to each asked one."""
    result = dict(facts)
    for question in ASKED:
        raw = answers.get(question.key)
        try:
            points = int(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise RatingProblem(f"Hãy trả lời câu hỏi \u201c{question.text}\u201d") from None
        if points not in {p for p, _ in question.options}:
            raise RatingProblem(f"Câu trả lời không hợp lệ cho \u201c{question.text}\u201d")
        result[question.key] = points
    return result
