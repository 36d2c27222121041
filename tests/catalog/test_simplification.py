"""The Project 30 record: what the version in force cut against the one it replaced, per procedure and
summed for the agency, computed from the stored inputs (so it can be recomputed when settings change)."""

from __future__ import annotations

import copy

import pytest

from motcua.catalog import selectors, services
from tests.catalog.conftest import as_bytes, document, procedure


@pytest.fixture
def simplified(department, settings):
    settings.COMPLIANCE_VALUE_OF_HOUR = 30000
    p = procedure()
    after = copy.deepcopy(p["versions"][0]) | {"number": 2, "effective_from": "2025-01-01", "time_limit": 8,
                                                "change_note": "Rút ngắn 2 ngày; bỏ giấy xác nhận"}
    after["documents"].pop()
    after["steps"][2]["hours"] = 24
    after["compliance"] = after["compliance"] | {"visits": 1}
    p["versions"].append(after)
    services.import_catalog(actor=None, data=as_bytes(document(p, procedure(code="1.1", name="Không đổi"))))
    return department


def test_the_record_compares_the_version_in_force_with_its_predecessor(simplified):
    records, summary = selectors.agency_simplifications(agency_id=simplified.pk, value_of_hour=30000)
    [record] = records
    assert (record.before.number, record.after.number) == (1, 2)
    # Before: (2 + 4.5 + 2 × 3) h × 30,000 + 0 fees + 20,000 = 395,000 đồng per applicant; after: one visit fewer.
    assert record.result.cost_before == 395_000 and record.result.cost_after == 305_000
    assert record.result.yearly_saving == 100 * 90_000
    assert record.result.days_cut == 2 and record.result.documents_cut == 1
    assert (summary.procedures_simplified, summary.yearly_saving) == (1, 9_000_000)


def test_pages_show_the_record_and_the_agency_sum(client, simplified):
    html = client.get("/thu-tuc/1.005384/").content.decode()
    assert "Đơn giản hóa thủ tục (Đề án 30)" in html and "Rút ngắn 2 ngày" in html
    assert "9.000.000 đồng" in html
    page = client.get(f"/don-gian-hoa/{simplified.identifier}/").content.decode()
    assert "1 thủ tục được đơn giản hóa, cắt giảm 2 ngày làm việc, tiết kiệm 9.000.000 đồng mỗi năm" in page
    assert client.get("/don-gian-hoa/000.00.99.H99/").status_code == 404
