"""The one-stop staff pages through Django's test client: the queues and their filters, intake at the desk,
the dossier page with its timeline and the action forms it offers, each action posted from the page, files
and printed forms; what each role is refused; and the number of queries a page costs."""

from __future__ import annotations

import io
import re

import docx
import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from motcua.core import clock
from motcua.dossiers import services
from motcua.dossiers.models import Attachment, Dossier
from motcua.org.roles import Role
from tests import samples
from tests.dossiers.conftest import CITIZEN, LIAISON, ORDINARY, at, documents, intake, upload
from tests.dossiers.test_refusals import snapshot
from tests.factories import make_staff

# --------------------------------------------------------------------------------------------------------
# Helpers: a page as a person reads it


def page(response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.content.decode())


def words(node) -> str:
    """The text of a node as a screen shows it: runs of white space (and line breaks) as one space."""
    for br in node.iter("br"):
        br.tail = " " + (br.tail or "")
    return " ".join(node.text_content().split())


def one(tree, xpath: str):
    found = tree.xpath(xpath)
    assert len(found) == 1, (xpath, len(found))
    return found[0]


def facts(response_or_tree, section: str = "facts-h") -> dict[str, str]:
    """A card's facts as "label → value"."""
    tree = response_or_tree if isinstance(response_or_tree, lxml.html.HtmlElement) else page(response_or_tree)
    card = one(tree, f"//section[@aria-labelledby='{section}']/dl")
    return {words(dt): words(dt.getnext()) for dt in card.xpath("dt")}


def messages(response) -> list[str]:
    return [words(p) for p in page(response).xpath("//div[@class='messages']/p")]


def rows(response) -> list[list[str]]:
    return [[words(td) for td in tr.xpath("td")] for tr in page(response).xpath("//table[@class='dossiers']/tbody/tr")]


def codes(response) -> list[str]:
    return [words(a) for a in page(response).xpath("//table[@class='dossiers']/tbody/tr/td[1]/a")]


def action_panels(response) -> list[str]:
    """The actions the page offers, as the summaries of their panels read."""
    return [words(s) for s in page(response).xpath("//details[contains(@class,'action')]/summary")]


def as_user(client, staff):
    client.force_login(staff.user)
    return client


def receive(world, procedure: str = ORDINARY, **kwargs) -> Dossier:
    return services.receive_at_desk(actor=world.desk, intake=intake(procedure, **kwargs))


def act(fn, staff, dossier: Dossier, instant, **kwargs) -> Dossier:
    dossier.refresh_from_db()
    with clock.at(instant):
        return fn(actor=staff, code=dossier.code, version=dossier.version, **kwargs)


def at_specialist(world, dossier: Dossier, specialist=None) -> Dossier:
    """Received, forwarded by the desk, given by the division leader to a specialist (3 hand-offs)."""
    dossier = act(services.forward, world.desk, dossier, at(2, 10))
    return act(services.forward, world.division_leader, dossier, at(2, 11),
               assignee_id=(specialist or world.specialist).pk)


def at_leader(world, dossier: Dossier) -> Dossier:
    dossier = at_specialist(world, dossier)
    dossier = act(services.forward, world.specialist, dossier, at(3, 9), note="Đủ điều kiện")
    return act(services.forward, world.division_leader, dossier, at(3, 10))


def resolved(world, dossier: Dossier) -> Dossier:
    return act(services.approve, world.leader, at_leader(world, dossier), at(3, 14),
               result=services.Result(number="12/QĐ-SNV", summary="Bổ nhiệm ngạch chuyên viên"))


def intake_form(procedure: str = ORDINARY, *, ticked: str = "all", decision: str = "receive", **extra) -> dict:
    """What the desk officer fills in on /ho-so/tiep-nhan/ for Trần Thị Mai."""
    data = {"procedure": procedure, "channel": "desk", "type": "individual", "name": CITIZEN.name,
            "id_number": CITIZEN.id_number, "birth_date": "1990-05-17", "address": CITIZEN.address,
            "phone": CITIZEN.phone, "email": CITIZEN.email, "subject": "Đề nghị bổ nhiệm ngạch chuyên viên",
            "sets": "1", "reason": "", "other_missing": "", "decision": decision}
    for d in documents(procedure):
        data[f"count-{d.pk}"] = str(d.count)
        if ticked == "all" or (ticked == "mandatory" and d.mandatory):
            data[f"doc-{d.pk}"] = "on"
    return data | extra


INTAKE = "/ho-so/tiep-nhan/"


def detail_url(dossier: Dossier) -> str:
    return f"/ho-so/{dossier.code}/"


def action_url(dossier: Dossier, action: str) -> str:
    return f"/ho-so/{dossier.code}/thao-tac/{action}/"


def post_action(client, dossier: Dossier, action: str, data: dict | None = None, *, version: int | None = None,
                files: dict | None = None):
    """Submit an action's form on the dossier page as the browser sends it (fields carry the action's prefix)."""
    dossier.refresh_from_db()
    body = {"version": str(dossier.version if version is None else version)}
    body |= {f"{action}-{k}": v for k, v in (data or {}).items()}
    body |= files or {}
    return client.post(action_url(dossier, action), body, follow=True)


# --------------------------------------------------------------------------------------------------------
# /ho-so/ — queues and filters


def test_the_desk_lands_on_its_queue_with_masked_ids_and_the_most_urgent_first(client, world, now):
    first = receive(world)
    with clock.at(at(2, 15, 30)):  # after the paper cut-off: its desk step is due a day later
        second = receive(world)
    forwarded = act(services.forward, world.desk, receive(world), at(2, 10))

    response = as_user(client, world.desk).get("/ho-so/")

    assert response.status_code == 200
    tree = page(response)
    assert words(one(tree, "//nav[@class='tabs']/a[@aria-current='page']")) == "Bộ phận một cửa"
    assert [words(a) for a in tree.xpath("//nav[@class='tabs']/a")] == [
        "Việc của tôi", "Bộ phận một cửa", "Tôi đã xử lý", "Tất cả hồ sơ"]
    assert codes(response) == [first.code, second.code]  # the forwarded one left the desk
    assert forwarded.code not in response.content.decode()
    row = rows(response)[0]
    assert row[1] == "Trần Thị Mai 002*******34"
    assert row[2] == "Bổ nhiệm ngạch công chức" and row[3] == "Đã tiếp nhận"
    assert row[4].startswith("Văn phòng Sở Lê Minh Đạt hạn bước: 17:30 02/03")
    assert row[5] == "09:00 16/03/2026 còn 10 ngày"
    html = response.content.decode()
    assert CITIZEN.id_number not in html and CITIZEN.phone not in html and CITIZEN.address not in html
    assert words(one(tree, "//p[@role='status']")) == "2 hồ sơ — việc gấp nhất lên đầu"
    assert one(tree, "//a[@href='/ho-so/tiep-nhan/' and contains(@class,'button')]") is not None


def test_each_role_lands_on_its_own_queue(client, world, now):
    dossier = at_specialist(world, receive(world))
    expected = {  # who → (the tab opened, the codes in it)
        world.specialist: ("Việc của tôi", [dossier.code]),
        world.specialist2: ("Việc của tôi", []),
        world.division_leader: ("Của phòng", [dossier.code]),
        world.leader: ("Tất cả hồ sơ", [dossier.code]),
        world.auditor: ("Tất cả hồ sơ", [dossier.code]),
        world.desk: ("Bộ phận một cửa", []),
    }
    for staff, (tab, listed) in expected.items():
        response = as_user(client, staff).get("/ho-so/")
        assert words(one(page(response), "//nav[@class='tabs']/a[@aria-current='page']")) == tab, staff.full_name
        assert codes(response) == listed, staff.full_name


def test_the_agency_list_filters_by_state_procedure_name_code_and_lateness(client, world, now):
    ordinary = receive(world)
    liaison = receive(world, LIAISON)
    other = services.receive_at_desk(actor=world.desk, intake=intake(applicant=CITIZEN.__class__(
        type="individual", name="Đỗ Đức Anh", id_number="001085000111")))
    act(services.forward, world.desk, liaison, at(2, 10))
    client = as_user(client, world.leader)

    def listed(**params) -> list[str]:
        response = client.get("/ho-so/", {"ds": "all", **params})
        assert response.status_code == 200
        return codes(response)

    assert listed() == [other.code, liaison.code, ordinary.code]  # newest first
    assert listed(**{"trang-thai": "in_progress"}) == [liaison.code]
    assert listed(**{"thu-tuc": LIAISON}) == [liaison.code]
    assert listed(q="tran thi mai") == [liaison.code, ordinary.code]  # without marks or case
    assert listed(q="do duc anh") == [other.code]  # đ folds to d
    assert listed(q=ordinary.code[-6:].lower()) == [ordinary.code]
    assert listed(**{"qua-han": "1"}) == []
    with clock.at(at(17)):  # the day after the appointment (16/3 09:00)
        late = client.get("/ho-so/", {"ds": "all", "qua-han": "1"})
        assert codes(late) == [ordinary.code, liaison.code, other.code]  # the most overdue first (ties: receipt)
        assert page(late).xpath("//tr[@class='overdue']") and "quá 1 ngày" in rows(late)[0][5]
        assert codes(client.get("/ho-so/", {"ds": "all", "qua-han": "0"})) == []
    # The form keeps what was chosen.
    tree = page(client.get("/ho-so/", {"ds": "all", "trang-thai": "in_progress", "q": "mai", "thu-tuc": LIAISON}))
    assert one(tree, "//select[@id='trang-thai']/option[@selected]").get("value") == "in_progress"
    assert one(tree, "//select[@id='thu-tuc']/option[@selected]").get("value") == LIAISON
    assert one(tree, "//input[@id='q']").get("value") == "mai"


def test_an_empty_queue_says_so(client, world, now):
    response = as_user(client, world.desk).get("/ho-so/")
    assert response.status_code == 200
    assert rows(response) == [["Không có hồ sơ nào trong danh sách này."]]
    assert words(one(page(response), "//p[@role='status']")).startswith("0 hồ sơ")
    assert not page(response).xpath("//a[@rel='next']")


def test_a_long_list_has_a_next_page_link_that_keeps_the_filters(client, world, now):
    made = [receive(world).code for _ in range(52)]
    client = as_user(client, world.leader)

    first = client.get("/ho-so/", {"ds": "all", "q": "mai"})
    assert codes(first) == made[::-1][:50]
    assert words(one(page(first), "//p[@role='status']")).startswith("52 hồ sơ")
    link = one(page(first), "//a[@rel='next']")
    assert words(link) == "Trang sau →" and "q=mai" in link.get("href") and "ds=all" in link.get("href")

    second = client.get("/ho-so/" + link.get("href"))
    assert codes(second) == made[::-1][50:]
    assert not page(second).xpath("//a[@rel='next']")


def test_a_queue_or_a_cursor_one_may_not_use_is_explained_not_crashed(client, world, now):
    receive(world)
    specialist = as_user(client, world.specialist).get("/ho-so/", {"ds": "all"})
    assert specialist.status_code == 200
    assert messages(specialist) == ["Bạn không xem được danh sách “Tất cả hồ sơ”."]
    assert codes(specialist) == []

    desk = as_user(client, world.desk)
    broken = desk.get("/ho-so/", {"ds": "all", "sau": "!!!"})
    assert broken.status_code == 200 and "Con trỏ phân trang không hợp lệ." in messages(broken)
    assert desk.get("/ho-so/", {"ds": "nonsense"}).status_code == 200  # falls back to the desk's queue
    bad_state = desk.get("/ho-so/", {"ds": "all", "trang-thai": "lost"})
    assert "Trạng thái không hợp lệ." in messages(bad_state)


def test_the_list_needs_a_login(client, world, now):
    response = client.get("/ho-so/")
    assert response.status_code == 302 and response["Location"].startswith("/?next=/ho-so/")


def test_a_clerk_without_any_dossier_permission_is_refused_the_list(client, world, now):
    """The navigation hides "Hồ sơ" from the clerk (no dossier permission); typing the address must not
    open an (empty) work queue either, as /nhat-ky/ is refused to a specialist."""
    receive(world)
    response = as_user(client, world.clerk).get("/ho-so/")
    assert response.status_code == 403


# --------------------------------------------------------------------------------------------------------
# /ho-so/tiep-nhan/ — intake at the desk


def test_the_desk_chooses_a_procedure_and_gets_its_checklist(client, world, now):
    client = as_user(client, world.desk)
    blank = client.get(INTAKE)
    assert blank.status_code == 200
    tree = page(blank)
    assert [o.get("value") for o in tree.xpath("//select[@id='thu-tuc']//option")] == ["", ORDINARY, LIAISON]
    assert one(tree, "//select[@id='thu-tuc']/optgroup").get("label") == "Công chức, viên chức"
    assert "Chọn thủ tục để hiện danh mục giấy tờ cần kiểm tra." in words(tree)
    assert not tree.xpath("//form[@method='post' and contains(@class,'intake')]")

    chosen = client.get(INTAKE, {"thu-tuc": ORDINARY})
    tree = page(chosen)
    assert "Thời hạn giải quyết: 10 ngày làm việc, tính từ khi tiếp nhận hồ sơ đầy đủ." in words(tree)
    checklist = [words(td) for td in tree.xpath("//form[contains(@class,'intake')]//table/tbody/tr/td[2]")]
    assert checklist == ["Tờ trình đề nghị — Bản chính, bắt buộc", "Quyết định tuyển dụng — Bản sao có chứng thực, "
                         "bắt buộc", "Giấy tờ ưu tiên — Bản sao, Nếu có"]
    for d in documents():  # each box, count and file input has a label
        for prefix in ("doc", "count", "file"):
            assert tree.xpath(f"//label[@for='{prefix}-{d.pk}']"), (prefix, d.name)
    for name in ("name", "id_number", "birth_date", "address", "phone", "email", "subject", "sets", "reason"):
        assert tree.xpath(f"//label[@for='id_{name}']"), name
    assert [b.get("value") for b in tree.xpath("//button[@name='decision']")] == ["receive", "guide", "refuse"]
    assert one(tree, "//button[@value='refuse']").get("data-confirm")


def test_receiving_a_complete_dossier_opens_its_page_with_the_appointment(client, world, now):
    scan = samples.pdf("Tờ trình số 5")
    tick = documents()[0].pk
    data = intake_form() | {f"file-{tick}": io.BytesIO(scan)}
    data[f"file-{tick}"].name = "to-trinh.pdf"

    response = as_user(client, world.desk).post(INTAKE, data, follow=True)

    dossier = Dossier.objects.get()
    assert response.redirect_chain == [(detail_url(dossier), 302)]
    assert messages(response) == [f"Đã tiếp nhận hồ sơ {dossier.code}; hẹn trả 09:00 ngày 16/03/2026. In Giấy tiếp "
                                  "nhận và hẹn trả kết quả (Mẫu 01) ở mục “In biểu mẫu”."]
    assert dossier.code == "000.00.12.H22-260302-0001" and dossier.state == "received"
    assert (dossier.applicant_name, dossier.applicant_id_number, dossier.applicant_phone) == (
        "Trần Thị Mai", "002190001234", "0912345678")
    assert [d.provided for d in dossier.documents.order_by("order")] == [True, True, True]
    attachment = Attachment.objects.get()
    assert attachment.name == "to-trinh.pdf" and attachment.document.required_document_id == tick
    assert "to-trinh.pdf" in words(page(response))


def test_an_intake_missing_a_mandatory_document_shows_the_error_keeps_what_was_typed_and_writes_nothing(
        client, world, now):
    before = snapshot()
    response = as_user(client, world.desk).post(INTAKE, intake_form(ticked="none") | {"name": "Trần Thị Mai"})

    assert response.status_code == 400
    assert snapshot() == before
    tree = page(response)
    alert = words(one(tree, "//form[contains(@class,'intake')]//*[@role='alert']"))
    assert alert.startswith("Hồ sơ thiếu giấy tờ bắt buộc: Tờ trình đề nghị; Quyết định tuyển dụng.")
    assert "Mẫu 02" in alert and "Mẫu 03" in alert
    assert one(tree, "//input[@id='id_name']").get("value") == "Trần Thị Mai"
    assert one(tree, "//input[@id='id_id_number']").get("value") == "002190001234"
    assert one(tree, "//input[@name='procedure']").get("value") == ORDINARY


def test_wrong_applicant_details_are_shown_next_to_their_fields(client, world, now):
    before = snapshot()
    response = as_user(client, world.desk).post(INTAKE, intake_form(id_number="12345", phone="abc", name=""))
    assert response.status_code == 400 and snapshot() == before
    tree = page(response)
    name_error = words(one(tree, "//input[@id='id_name']/following-sibling::span[@class='field-error']"))
    assert name_error  # Django's "required", in the page's language
    assert re.search("[À-ỹ]", name_error), name_error  # Vietnamese, not "This field is required."
    response = as_user(client, world.desk).post(INTAKE, intake_form(id_number="12345", phone="abc"))
    tree = page(response)
    assert words(one(tree, "//span[@id='id_id_number_error']")) == "Số định danh cá nhân gồm đúng 12 chữ số."
    assert "Số điện thoại không đúng" in words(one(tree, "//span[@id='id_phone_error']"))
    assert snapshot() == before


def test_wrong_details_and_missing_documents_are_told_in_one_round(client, world, now):
    before = snapshot()
    response = as_user(client, world.desk).post(INTAKE, intake_form(ticked="none", id_number="12345"))
    assert response.status_code == 400 and snapshot() == before
    tree = page(response)
    assert words(one(tree, "//span[@id='id_id_number_error']")) == "Số định danh cá nhân gồm đúng 12 chữ số."
    alert = words(one(tree, "//form[contains(@class,'intake')]/div[@role='alert']"))
    assert alert.startswith("Hồ sơ thiếu giấy tờ bắt buộc: Tờ trình đề nghị; Quyết định tuyển dụng.")
    assert len(tree.xpath("//tr[@class='missing']")) == 2  # the rows to tick are marked


def test_the_applicant_type_radios_are_a_group_named_by_their_question(client, world, now):
    """"Người nộp là" is a span beside the radios, not their group's name: a screen reader reads "Cá nhân,
    radio button" without the question. (And the radios' <div> inside <p class="field"> is invalid HTML.)"""
    tree = page(as_user(client, world.desk).get(INTAKE, {"thu-tuc": ORDINARY}))
    radio = one(tree, "//input[@id='id_type_0']")
    groups = [g for g in radio.iterancestors() if g.tag == "fieldset" or g.get("role") == "radiogroup"]
    assert groups, "the radios are in no fieldset or radiogroup"
    group = groups[0]
    name = (words(group.find("legend")) if group.tag == "fieldset" and group.find("legend") is not None
            else " ".join(words(one(tree, f"//*[@id='{i}']")) for i in (group.get("aria-labelledby") or "").split()))
    assert name == "Người nộp là"


def test_each_field_error_is_tied_to_its_field(client, world, now):
    """Django marks a field in error with aria-invalid and aria-describedby="id_<name>_error"; the page must
    have an element with that id (the template names its message id_<name>-error), else a screen reader on
    the field never hears the error."""
    response = as_user(client, world.desk).post(INTAKE, intake_form(id_number="12345", phone="abc", name=""))
    tree = page(response)
    invalid = tree.xpath("//form[contains(@class,'intake')]//*[@aria-invalid='true']")
    assert {e.get("name") for e in invalid} >= {"name"}
    for field in invalid:
        for ref in (field.get("aria-describedby") or "").split():
            assert tree.xpath(f"//*[@id='{ref}']"), f"{field.get('name')}: aria-describedby={ref} points nowhere"
    for name in ("id_number", "phone"):  # the service's refusals are shown by the field and tied to it
        response = as_user(client, world.desk).post(INTAKE, intake_form(id_number="12345", phone="abc"))
        field = one(page(response), f"//input[@name='{name}']")
        refs = (field.get("aria-describedby") or "").split()
        assert any(page(response).xpath(f"//*[@id='{r}' and @class='field-error']") for r in refs), name


def test_each_count_and_scan_box_is_labelled_with_its_document(client, world, now):
    """Screen-reader users hear a control's label, not the table row: "Số lượng" three times says nothing."""
    tree = page(as_user(client, world.desk).get(INTAKE, {"thu-tuc": ORDINARY}))
    for d in documents():
        for prefix in ("count", "file"):
            label = words(one(tree, f"//label[@for='{prefix}-{d.pk}']"))
            assert d.name in label, (prefix, label)
    submitted = services.submit_online(actor=world.desk, intake=intake(channel="online"))
    tree = page(as_user(client, world.desk).get(detail_url(submitted)))
    for d in submitted.documents.all():
        label = words(one(tree, f"//label[@for='receive-file-{d.required_document_id}']"))
        assert d.name in label, label


def test_a_refused_intake_says_which_files_must_be_chosen_again(client, world, now):
    """A browser cannot keep the files of a refused form: the page must say so, or the officer re-submits
    without the scans they had attached and the dossier is received without them."""
    tick = documents()[0].pk
    scan = io.BytesIO(samples.pdf())
    scan.name = "to-trinh.pdf"
    response = as_user(client, world.desk).post(INTAKE, intake_form(ticked="none") | {f"file-{tick}": scan})
    assert response.status_code == 400
    assert "to-trinh.pdf" in words(page(response))


def test_guidance_at_the_desk_lists_the_missing_documents_on_form_02(client, world, now):
    data = intake_form(ticked="none", decision="guide", reason="Hồ sơ chưa đủ thành phần",
                       other_missing="Bản sao căn cước: hết hạn")
    response = as_user(client, world.desk).post(INTAKE, data, follow=True)

    dossier = Dossier.objects.get()
    assert response.redirect_chain == [(detail_url(dossier), 302)]
    assert messages(response) == [f"Đã lập phiếu hướng dẫn bổ sung cho hồ sơ {dossier.code}."]
    assert dossier.state == "awaiting_supplement" and dossier.received_at is None
    request = dossier.supplements.get()
    assert [(i["name"], i["reason"]) for i in request.items] == [
        ("Tờ trình đề nghị", "Chưa nộp"), ("Quyết định tuyển dụng", "Chưa nộp"), ("Bản sao căn cước", "hết hạn")]
    text = words(page(response))
    assert "Chờ bổ sung hồ sơ" in text and "Bản sao căn cước: hết hạn" in text
    assert one(page(response), f"//a[@href='/ho-so/{dossier.code}/mau/supplement.pdf']") is not None


def test_guidance_or_refusal_without_a_reason_asks_for_it_next_to_the_field(client, world, now):
    before = snapshot()
    for decision in ("guide", "refuse"):
        response = as_user(client, world.desk).post(INTAKE, intake_form(ticked="none", decision=decision))
        assert response.status_code == 400, decision
        tree = page(response)
        assert tree.xpath("//details[@open]"), decision  # the panel with the reason is open
        assert words(one(tree, "//textarea[@id='id_reason']/following-sibling::span[@class='field-error']")), decision
    assert snapshot() == before


def test_a_refusal_at_the_desk_is_recorded_and_prints_form_03(client, world, now):
    data = intake_form(decision="refuse", reason="Không thuộc thẩm quyền của Sở")
    response = as_user(client, world.desk).post(INTAKE, data, follow=True)

    dossier = Dossier.objects.get()
    assert messages(response) == [f"Đã lập phiếu từ chối tiếp nhận hồ sơ {dossier.code}."]
    assert dossier.state == "not_received" and dossier.closing_reason == "Không thuộc thẩm quyền của Sở"
    assert "Không được tiếp nhận" in words(page(response))
    pdf = client.get(f"/ho-so/{dossier.code}/mau/refusal.pdf")
    assert pdf.status_code == 200 and "Không thuộc thẩm quyền của Sở" in pdf_text(pdf.content)
    assert action_panels(response) == []


@pytest.mark.parametrize(("name", "content", "message"), [
    ("scan.pdf", samples.EXECUTABLE, "không phải PDF"),
    ("scan.exe", samples.EXECUTABLE, "Chỉ nhận tệp"),
])
def test_a_file_that_lies_about_its_type_is_refused_with_its_name(client, world, now, settings, name, content,
                                                                  message):
    before = snapshot()
    tick = documents()[0].pk
    data = intake_form() | {f"file-{tick}": io.BytesIO(content)}
    data[f"file-{tick}"].name = name

    response = as_user(client, world.desk).post(INTAKE, data)

    assert response.status_code == 400 and snapshot() == before
    alerts = [words(a) for a in page(response).xpath("//form[contains(@class,'intake')]//*[@role='alert']")]
    assert f"Tệp “{name}”" in alerts[0] and message in alerts[0]
    assert name in alerts[1] and "hãy chọn lại" in alerts[1]  # the chosen files must be chosen again
    assert not settings.MEDIA_ROOT.exists() or not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*"))


@pytest.mark.parametrize("who", ["clerk", "specialist", "division_leader", "leader", "auditor"])
def test_only_the_desk_may_open_or_post_the_intake(client, world, now, who):
    client = as_user(client, getattr(world, who))
    response = client.get(INTAKE, {"thu-tuc": ORDINARY})
    assert response.status_code == 403
    assert "Chỉ cán bộ bộ phận một cửa được tiếp nhận hồ sơ." in words(page(response))
    assert client.post(INTAKE, intake_form()).status_code == 403
    assert not Dossier.objects.exists()
    assert not page(client.get("/")).xpath("//nav//a[@href='/ho-so/tiep-nhan/']")


def test_a_desk_of_another_agency_receives_a_procedure_for_the_agency_that_resolves_it(client, world, now):
    # Received regardless of administrative boundary: Sở Tư pháp's desk takes in Sở Nội vụ's procedure.
    response = as_user(client, world.stranger).get(INTAKE, {"thu-tuc": ORDINARY})
    assert response.status_code == 200
    assert page(response).xpath("//form[contains(@class,'intake')]")
    response = client.post(INTAKE, intake_form())
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.code.startswith(f"{world.stranger.agency.identifier}-")
    assert dossier.receiving_agency == world.stranger.agency and dossier.agency == world.agency


def test_an_agency_without_a_one_stop_desk_cannot_receive(client, world, now):
    clerkless = make_staff(role=Role.DESK_OFFICER)  # an agency whose divisions include no one-stop desk
    response = as_user(client, clerkless).get(INTAKE, {"thu-tuc": ORDINARY})
    assert response.status_code == 200
    assert not page(response).xpath("//form[contains(@class,'intake')]")
    assert "không có bộ phận một cửa" in response.content.decode()
    response = client.post(INTAKE, intake_form())
    assert response.status_code == 400 and not Dossier.objects.exists()


# --------------------------------------------------------------------------------------------------------
# /ho-so/<code>/ — the dossier


def test_the_dossier_page_shows_its_facts_timeline_steps_and_forms(client, world, now):
    dossier = at_specialist(world, receive(world))
    response = as_user(client, world.specialist).get(detail_url(dossier))

    assert response.status_code == 200
    tree = page(response)
    assert words(one(tree, "//h1")) == f"Hồ sơ {dossier.code}"
    assert words(one(tree, "//section[@class='dossier-head']//span[contains(@class,'state-')]")) == "Đang giải quyết"
    assert words(one(tree, "//*[@id='remaining']")) == "còn 10 ngày"
    shown = facts(tree)
    assert shown["Kênh nộp"] == "Trực tiếp" and shown["Vào hệ thống"] == "09:00 02/03/2026"
    assert shown["Tiếp nhận"] == "09:00 02/03/2026 — Lê Minh Đạt (sổ theo dõi số 1)"
    assert shown["Hẹn trả kết quả"] == "09:00 16/03/2026"
    assert shown["Đang ở bước"] == ("3. Thẩm định, dự thảo kết quả — Phòng Công chức, viên chức — Vũ Ngọc Quỳnh "
                                    "hạn bước 11:00 11/03/2026 (còn 7 ngày 2 giờ)")
    timeline = [words(li) for li in tree.xpath("//ol[@class='timeline']/li")]
    assert len(timeline) == 3
    assert timeline[0].startswith("09:00 02/03/2026 — Tiếp nhận: Trần Thị Mai (Người nộp hồ sơ) → Lê Minh Đạt")
    assert timeline[1].startswith("10:00 02/03/2026 — Chuyển bước tiếp: Lê Minh Đạt")
    assert "Hoàng Đức Long" in timeline[2] and "Vũ Ngọc Quỳnh" in timeline[2]
    steps = [[words(td) for td in tr.xpath("td")]
             for tr in tree.xpath("//section[@aria-labelledby='steps-h']//tbody/tr")]
    assert [s[:3] for s in steps] == [["1. Tiếp nhận hồ sơ", "Văn phòng Sở", "Lê Minh Đạt"],
                                      ["2. Phân công thụ lý", "Phòng Công chức, viên chức", "Hoàng Đức Long"],
                                      ["3. Thẩm định, dự thảo kết quả", "Phòng Công chức, viên chức", "Vũ Ngọc Quỳnh"]]
    assert steps[0][5:] == ["10:00 02/03", "Đã xong · Đúng hạn"] and steps[2][5] == "đang xử lý"
    documents_table = [words(tr) for tr in tree.xpath("//section[@aria-labelledby='docs-h']//tbody/tr")]
    assert len(documents_table) == 3 and "✔ có" in documents_table[0]
    printable = [words(li) for li in tree.xpath("//section[@aria-labelledby='print-h']//li")]
    assert printable[0].startswith("Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả: PDF · DOCX")
    assert any(p.startswith("Mẫu 05") for p in printable)
    assert not any(p.startswith("Mẫu 03") for p in printable)  # nothing refused: no refusal slip


def test_an_online_submission_and_its_receipt_read_as_two_different_things_in_the_timeline(client, world, now):
    """The online submission is recorded with the action "receive", so the timeline shows "Tiếp nhận" twice:
    once when the citizen submitted (to "Bộ phận một cửa") and once when the desk actually received it."""
    dossier = services.submit_online(actor=world.desk, intake=intake(channel="online"))
    dossier = act(services.receive, world.desk, dossier, at(3, 10))
    timeline = page(as_user(client, world.desk).get(detail_url(dossier))).xpath("//ol[@class='timeline']/li/strong")
    labels = [words(s) for s in timeline]
    assert len(labels) == 2 and labels[1] == "Tiếp nhận"
    assert labels[0] != "Tiếp nhận", "the submission is labelled like the receipt"


def test_an_overdue_step_is_flagged_on_the_dossier_page(client, world, now):
    """The desk's step is due at 17:30 on the day of receipt; two days later the page still shows the
    appointment in green ("còn …") and the step's "quá …" in the same grey as any other detail."""
    dossier = receive(world)
    with clock.at(at(4, 10)):
        tree = page(as_user(client, world.desk).get(detail_url(dossier)))
    step = one(tree, "//section[@aria-labelledby='facts-h']//dt[.='Đang ở bước']/following-sibling::dd[1]")
    assert "quá" in words(step)
    flagged = [e for e in step.iter() if "warn" in (e.get("class") or "").split() and "quá" in words(e)]
    assert flagged, "the overdue step is not marked as a warning"


@pytest.mark.parametrize(("who", "expected"), [
    ("specialist", ["Yêu cầu bổ sung", "Chuyển bước tiếp", "Trả lại bước trước"]),
    ("division_leader", ["Yêu cầu bổ sung", "Phân công", "Chuyển bước tiếp", "Trả lại bước trước",
                         "Xin lỗi, hẹn lại", "Từ chối giải quyết", "Dừng xử lý"]),
    ("leader", ["Xin lỗi, hẹn lại", "Từ chối giải quyết", "Dừng xử lý"]),
    ("auditor", []),
    ("desk", ["Xin lỗi, hẹn lại", "Rút hồ sơ"]),
])
def test_the_page_offers_only_the_actions_the_user_may_take(client, world, now, who, expected):
    dossier = at_specialist(world, receive(world))
    response = as_user(client, getattr(world, who)).get(detail_url(dossier))
    assert response.status_code == 200
    assert action_panels(response) == expected
    assert bool(page(response).xpath("//h2[@id='actions-h']")) == bool(expected)
    # A colleague of the specialist it was given to does not even see it.
    assert as_user(client, world.specialist2).get(detail_url(dossier)).status_code == 403


def test_the_forward_form_offers_the_people_of_the_next_step(client, world, now):
    dossier = receive(world)
    tree = page(as_user(client, world.desk).get(detail_url(dossier)))
    options = [words(o) for o in tree.xpath("//select[@id='id_forward-assignee']/option")]
    assert options == ["— cả phòng, chưa giao người —", "Hoàng Đức Long"]
    assert one(tree, "//label[@for='id_forward-assignee']") is not None

    dossier = act(services.forward, world.desk, dossier, at(2, 10))
    tree = page(as_user(client, world.division_leader).get(detail_url(dossier)))
    options = [words(o) for o in tree.xpath("//select[@id='id_forward-assignee']/option")]
    assert options[0] == "— cả phòng, chưa giao người —"
    assert sorted(options[1:]) == ["Vũ Ngọc Quỳnh", "Đỗ Văn Nam"]
    assert "Bùi Thị Lan" not in options  # a specialist of another division


def test_personal_data_is_masked_for_the_agency_leader_and_shown_to_the_desk_and_the_auditor(client, world, now):
    dossier = receive(world)
    full = ("002190001234", "0912345678", "Tổ 5, phường Nguyễn Trãi", "mai@example.vn", "17/05/1990")
    for staff in (world.desk, world.desk2, world.auditor):
        text = words(page(as_user(client, staff).get(detail_url(dossier))))
        assert all(value in text for value in full), staff.full_name
        assert "Thông tin cá nhân được che" not in text
    leader = words(page(as_user(client, world.leader).get(detail_url(dossier))))
    assert "002*******34" in leader and "091*****78" in leader and "…, Hà Giang" in leader
    assert not any(value in leader for value in full)
    assert "Thông tin cá nhân được che vì bạn không tham gia giải quyết hồ sơ này." in leader
    assert "Trần Thị Mai" in leader  # the name is not hidden
    # Once the dossier reaches the leader's own step, the leader works on it and sees it in full.
    dossier = at_leader(world, dossier)
    leader = words(page(as_user(client, world.leader).get(detail_url(dossier))))
    assert all(value in leader for value in full)


def test_an_officer_of_another_division_is_refused_and_another_agency_gets_not_found(client, world, now):
    dossier = at_specialist(world, receive(world))
    outsider = as_user(client, world.outsider).get(detail_url(dossier))
    assert outsider.status_code == 403
    text = words(page(outsider))
    assert "Bạn không tham gia giải quyết hồ sơ này nên không xem được." in text
    assert "Trần Thị Mai" not in text and dossier.code not in page(outsider).xpath("string(//h1)")
    stranger = as_user(client, world.stranger).get(detail_url(dossier))
    assert stranger.status_code == 404 and "Không tìm thấy hồ sơ." in words(page(stranger))
    assert as_user(client, world.desk).get("/ho-so/000.00.12.H22-260302-9999/").status_code == 404


# --------------------------------------------------------------------------------------------------------
# /ho-so/<code>/thao-tac/<action>/ — every kind of action from the page


def test_the_whole_journey_through_the_pages(client, world, now):
    dossier = receive(world)
    steps = [  # (who, action, the form's fields, the state after)
        (world.desk, "forward", {"note": "Đủ thành phần"}, "in_progress"),
        (world.division_leader, "forward", {"assignee": str(world.specialist.pk)}, "in_progress"),
        (world.specialist, "forward", {"note": "Đủ điều kiện bổ nhiệm"}, "in_progress"),
        (world.division_leader, "forward", {}, "in_progress"),
        (world.leader, "approve", {"number": "12/QĐ-SNV", "signed_on": "2026-03-03", "summary": "Bổ nhiệm ngạch"},
         "resolved"),
        (world.desk, "mark_ready", {}, "resolved"),
        (world.desk, "return_result", {"returned_to": "Trần Thị Mai", "method": "desk"}, "returned"),
    ]
    for hour, (staff, action, data, state) in enumerate(steps, start=10):
        with clock.at(at(3, hour)):
            response = post_action(as_user(client, staff), dossier, action, data)
        assert response.redirect_chain[-1] == (detail_url(dossier), 302), action
        assert any(m.startswith("Đã thực hiện:") for m in messages(response)), (action, messages(response))
        dossier.refresh_from_db()
        assert dossier.state == state, action
    assert dossier.result_number == "12/QĐ-SNV" and dossier.current_assignee is None
    tree = page(response)
    assert words(one(tree, "//section[@class='dossier-head']//span[contains(@class,'state-')]")) == "Đã trả kết quả"
    assert facts(tree)["Đã trả kết quả"] == "16:00 03/03/2026 — Trần Thị Mai (Tại bộ phận một cửa)"
    assert facts(tree)["Kết quả"] == "12/QĐ-SNV ngày 03/03/2026 — Nguyễn Văn Hùng Bổ nhiệm ngạch"
    timeline = [words(s) for s in tree.xpath("//ol[@class='timeline']/li/strong")]
    assert timeline == ["Tiếp nhận", "Chuyển bước tiếp", "Chuyển bước tiếp", "Chuyển bước tiếp", "Chuyển bước tiếp",
                        "Phê duyệt, ký kết quả", "Kết quả đã về bộ phận một cửa", "Trả kết quả"]
    assert action_panels(response) == []


def test_assigning_sending_back_and_asking_for_a_supplement_from_the_page(client, world, now):
    dossier = at_specialist(world, receive(world))
    leader = as_user(client, world.division_leader)
    response = post_action(leader, dossier, "assign", {"assignee": str(world.specialist2.pk), "note": "Giao lại"})
    assert messages(response) == ["Đã thực hiện: Phân công."]
    dossier.refresh_from_db()
    assert dossier.current_assignee == world.specialist2

    response = post_action(as_user(client, world.specialist2), dossier, "forward", {})
    dossier.refresh_from_db()
    assert dossier.current_role == "division_leader"
    response = post_action(as_user(client, world.division_leader), dossier, "send_back",
                           {"reason": "Dự thảo thiếu căn cứ"})
    assert messages(response) == ["Đã thực hiện: Trả lại bước trước."]
    dossier.refresh_from_db()
    assert dossier.current_assignee == world.specialist2
    assert "Dự thảo thiếu căn cứ" in words(one(page(response), "//ol[@class='timeline']"))

    response = post_action(as_user(client, world.specialist2), dossier, "request_supplement",
                           {"reason": "Thiếu bản sao", "items": "Quyết định tuyển dụng: chưa chứng thực\nTờ trình"})
    assert messages(response) == ["Đã thực hiện: Yêu cầu bổ sung."]
    dossier.refresh_from_db()
    assert dossier.state == "awaiting_supplement"
    assert [(i["name"], i["reason"]) for i in dossier.supplements.get().items] == [
        ("Quyết định tuyển dụng", "chưa chứng thực"), ("Tờ trình", "")]

    tick = documents()[1].pk
    scan = io.BytesIO(samples.pdf("Bản sao chứng thực"))
    scan.name = "qd-chung-thuc.pdf"
    with clock.at(at(4)):
        response = post_action(as_user(client, world.desk), dossier, "provide_supplement",
                               {"note": "Đã nộp bản chứng thực"}, files={f"file-{tick}": scan, f"doc-{tick}": "on"})
    assert messages(response) == ["Đã thực hiện: Nhận hồ sơ bổ sung."]
    dossier.refresh_from_db()
    assert dossier.state == "in_progress" and dossier.current_assignee == world.specialist2
    assert dossier.attachments.get().name == "qd-chung-thuc.pdf"


def test_an_inter_agency_dossier_goes_out_and_comes_back_with_its_result_from_the_page(client, world, now):
    dossier = receive(world, LIAISON)
    dossier = act(services.forward, world.desk, dossier, at(2, 10), assignee_id=world.specialist.pk)
    dossier = act(services.forward, world.specialist, dossier, at(2, 11))
    leader = as_user(client, world.leader)
    assert "Chuyển liên thông" in action_panels(leader.get(detail_url(dossier)))
    response = post_action(leader, dossier, "transfer_to_agency", {"note": "Trình UBND tỉnh"})
    assert messages(response) == ["Đã thực hiện: Chuyển liên thông."]
    dossier.refresh_from_db()
    assert dossier.current_other_agency == world.province

    desk = as_user(client, world.desk)
    response = post_action(desk, dossier, "receive_back", {"note": "UBND tỉnh trả"})
    assert "Nhận lại từ cơ quan liên thông:" in messages(response)[0]  # a result number is needed
    dossier.refresh_from_db()
    assert dossier.current_other_agency == world.province
    response = post_action(desk, dossier, "receive_back", {"number": "45/QĐ-UBND", "signer": "Chủ tịch UBND tỉnh"})
    assert messages(response) == ["Đã thực hiện: Nhận lại từ cơ quan liên thông."]
    dossier.refresh_from_db()
    assert dossier.state == "resolved" and dossier.result_number == "45/QĐ-UBND"


def test_an_online_submission_is_received_or_refused_from_the_page(client, world, now):
    submitted = [services.submit_online(actor=world.desk, intake=intake(channel="online")) for _ in range(2)]
    desk = as_user(client, world.desk)
    assert action_panels(desk.get(detail_url(submitted[0])))[:2] == ["Tiếp nhận", "Từ chối tiếp nhận"]
    tick = documents()[0].pk
    response = post_action(desk, submitted[0], "receive", files={f"doc-{tick}": "on"})
    assert messages(response) == ["Đã thực hiện: Tiếp nhận."]
    submitted[0].refresh_from_db()
    assert submitted[0].state == "received" and submitted[0].due_at == at(16)

    response = post_action(desk, submitted[1], "refuse", {"reason": "Không thuộc thẩm quyền"})
    assert messages(response) == ["Đã thực hiện: Từ chối tiếp nhận."]
    submitted[1].refresh_from_db()
    assert submitted[1].state == "not_received"


@pytest.mark.parametrize(("who", "action", "data", "state"), [
    ("leader", "reject", {"reason": "Không đủ điều kiện bổ nhiệm"}, "rejected"),
    ("division_leader", "stop", {"reason": "Người nộp không bổ sung"}, "stopped"),
    ("desk", "withdraw", {"reason": "Đơn xin rút ngày 02/3"}, "withdrawn"),
])
def test_closing_a_dossier_from_the_page(client, world, now, who, action, data, state):
    dossier = act(services.forward, world.desk, receive(world), at(2, 10))
    response = post_action(as_user(client, getattr(world, who)), dossier, action, data)
    dossier.refresh_from_db()
    assert dossier.state == state and dossier.closing_reason == data["reason"]
    assert facts(response)["Lý do"] == data["reason"]
    assert action_panels(response) == []


def test_an_apology_moves_the_appointment_from_the_page(client, world, now):
    dossier = receive(world)
    with clock.at(at(12)):
        response = post_action(as_user(client, world.desk), dossier, "apologize",
                               {"reason": "Chờ ý kiến cơ quan quản lý", "new_due_at": "2026-03-20T16:00"})
    assert messages(response) == ["Đã thực hiện: Xin lỗi, hẹn lại."]
    dossier.refresh_from_db()
    assert dossier.due_at == at(20, 16)
    assert facts(response)["Hẹn trả kết quả"] == "16:00 20/03/2026 (hẹn ban đầu 09:00 16/03/2026)"
    assert "Xin lỗi, hẹn lại" not in action_panels(response)  # one reappointment only
    assert any("Mẫu 04" in words(li) for li in page(response).xpath("//section[@aria-labelledby='print-h']//li"))


def test_the_destructive_actions_ask_for_confirmation(client, world, now):
    dossier = at_leader(world, receive(world))
    tree = page(as_user(client, world.leader).get(detail_url(dossier)))
    confirm = {words(f.xpath("../summary")[0]): bool(f.get("data-confirm"))
               for f in tree.xpath("//details[contains(@class,'action')]/form")}
    assert confirm == {"Yêu cầu bổ sung": False, "Trả lại bước trước": False, "Xin lỗi, hẹn lại": False,
                       "Phê duyệt, ký kết quả": True, "Từ chối giải quyết": True, "Dừng xử lý": True}
    question = one(tree, "//details[@id='thao-tac-approve']/form").get("data-confirm")
    assert question == "Xác nhận: Phê duyệt, ký kết quả?"


def test_a_stale_version_is_explained_and_changes_nothing(client, world, now):
    dossier = receive(world)
    act(services.forward, world.desk2, dossier, at(2, 10))  # a colleague forwarded it first
    before = snapshot()
    response = post_action(as_user(client, world.desk), dossier, "withdraw", {"reason": "Rút"}, version=1)
    assert snapshot() == before
    assert response.status_code == 409 and not response.redirect_chain
    (message,) = messages(response)
    assert message.startswith("Rút hồ sơ: Hồ sơ") and "vừa được người khác cập nhật" in message
    assert "Hãy tải lại trang" in message
    assert page(response).xpath("//div[@class='messages']/p[contains(@class,'error')]")


def test_an_action_that_is_not_the_users_is_refused_and_changes_nothing(client, world, now):
    dossier = at_specialist(world, receive(world))
    before = snapshot()
    response = post_action(as_user(client, world.specialist2), dossier, "forward", {})
    assert snapshot() == before
    (message,) = messages(response)
    assert message == "Chuyển bước tiếp: Bạn không tham gia giải quyết hồ sơ này nên không xem được."
    response = post_action(as_user(client, world.desk), dossier, "approve", {"number": "1/QĐ"})
    assert snapshot() == before and "Phê duyệt, ký kết quả:" in messages(response)[0]
    response = post_action(as_user(client, world.desk), dossier, "return_result",
                           {"returned_to": "A", "method": "desk"})
    assert snapshot() == before and messages(response)[0].startswith("Trả kết quả: ")
    outsider = post_action(as_user(client, world.outsider), dossier, "forward", {})
    assert snapshot() == before and outsider.status_code == 403  # lands on the refusal page
    stranger = post_action(as_user(client, world.stranger), dossier, "withdraw", {"reason": "x"})
    assert snapshot() == before and stranger.status_code == 404


def test_a_form_with_a_missing_field_names_it_and_changes_nothing(client, world, now):
    dossier = act(services.forward, world.desk, receive(world), at(2, 10))
    before = snapshot()
    response = post_action(as_user(client, world.leader), dossier, "reject", {"reason": ""})
    assert snapshot() == before
    (message,) = messages(response)
    assert message == "Từ chối giải quyết: hãy sửa các mục được đánh dấu bên dưới."
    error = words(one(page(response), "//details[@open]//span[@id='id_reject-reason_error']"))
    assert re.search("[À-ỹ]", error), error  # Vietnamese, not "This field is required."
    response = as_user(client, world.leader).post(action_url(dossier, "reject"), {"reject-reason": "x"}, follow=True)
    assert response.status_code == 400 and snapshot() == before
    assert "Thiếu phiên bản hồ sơ" in words(one(page(response), "//details[@open]//div[@role='alert']"))


def test_a_refused_action_keeps_what_was_typed(client, world, now):
    """The leader types the result's number, signer and summary and attaches a file that turns out not to
    be a PDF: the refusal must not throw away what was typed (the page redirects to a blank form)."""
    dossier = at_leader(world, receive(world))
    fake = io.BytesIO(samples.EXECUTABLE)
    fake.name = "ket-qua.pdf"
    typed = {"number": "3/QĐ-SNV", "signer": "Nguyễn Văn Hùng", "summary": "Bổ nhiệm ngạch chuyên viên"}
    response = post_action(as_user(client, world.leader), dossier, "approve", typed, files={"approve-file": fake})
    assert "không phải PDF" in messages(response)[0]
    tree = page(response)
    for name, value in typed.items():
        assert one(tree, f"//input[@id='id_approve-{name}']").get("value") == value, name


def test_unknown_actions_and_gets_are_refused(client, world, now):
    dossier = receive(world)
    client = as_user(client, world.desk)
    assert client.post(action_url(dossier, "teleport"), {"version": "1"}).status_code == 404
    assert client.get(action_url(dossier, "forward")).status_code == 405


def test_a_lying_result_file_is_refused_at_approval(client, world, now):
    dossier = at_leader(world, receive(world))
    before = snapshot()
    fake = io.BytesIO(samples.EXECUTABLE)
    fake.name = "ket-qua.pdf"
    response = post_action(as_user(client, world.leader), dossier, "approve", {"number": "3/QĐ-SNV"},
                           files={"approve-file": fake})
    assert snapshot() == before
    assert "ket-qua.pdf" in messages(response)[0] and "không phải PDF" in messages(response)[0]


# --------------------------------------------------------------------------------------------------------
# Files and printed forms


def test_a_file_is_downloaded_by_those_who_see_the_dossier_and_refused_to_others(client, world, now):
    content = samples.pdf("Quyết định tuyển dụng số 12")
    tick = documents()[1].pk
    dossier = at_specialist(world, receive(world, files=[(tick, upload("qd.pdf", content))]))
    attachment = dossier.attachments.get()
    url = f"/ho-so/{dossier.code}/tep/{attachment.pk}/"
    link = one(page(as_user(client, world.specialist).get(detail_url(dossier))), f"//a[@href='{url}']")
    assert words(link) == "qd.pdf"
    for staff in (world.specialist, world.desk, world.auditor, world.leader):
        response = as_user(client, staff).get(url)
        assert response.status_code == 200, staff.full_name
        assert b"".join(response.streaming_content) == content
        assert response["Content-Disposition"].startswith("attachment") and response["Content-Type"] == \
            "application/pdf"
    assert as_user(client, world.outsider).get(url).status_code == 403
    assert as_user(client, world.stranger).get(url).status_code == 404
    assert as_user(client, world.desk).get(f"/ho-so/{dossier.code}/tep/{attachment.pk + 1}/").status_code == 404
    other = receive(world)
    assert as_user(client, world.desk).get(f"/ho-so/{other.code}/tep/{attachment.pk}/").status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_attaching_a_file_from_the_page_and_refusing_one_that_lies(client, world, now):
    dossier = receive(world)
    tick = documents()[0].pk
    client = as_user(client, world.desk)
    scan = io.BytesIO(samples.png())
    scan.name = "anh.png"
    response = client.post(f"/ho-so/{dossier.code}/dinh-kem/",
                           {"file": scan, "required_document_id": str(tick), "kind": "component"}, follow=True)
    assert messages(response) == ["Đã đính kèm anh.png."]
    fake = io.BytesIO(samples.EXECUTABLE)
    fake.name = "gia.pdf"
    response = client.post(f"/ho-so/{dossier.code}/dinh-kem/", {"file": fake, "required_document_id": str(tick)},
                           follow=True)
    assert "gia.pdf" in messages(response)[0] and "không phải PDF" in messages(response)[0]
    assert [a.name for a in dossier.attachments.all()] == ["anh.png"]


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages)


def test_the_receipt_prints_as_a_pdf_with_the_code_and_opens_as_a_word_document(client, world, now):
    dossier = receive(world)
    client = as_user(client, world.desk)
    pdf = client.get(f"/ho-so/{dossier.code}/mau/receipt.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment")
    text = pdf_text(pdf.content)
    assert dossier.code in text and "Trần Thị Mai" in text
    word = client.get(f"/ho-so/{dossier.code}/mau/receipt.docx")
    assert word.status_code == 200
    paragraphs = " ".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    tables = " ".join(c.text for t in docx.Document(io.BytesIO(word.content)).tables for r in t.rows for c in r.cells)
    assert dossier.code in paragraphs + tables
    control = client.get(f"/ho-so/{dossier.code}/mau/control-sheet.pdf")
    assert control.status_code == 200 and "Lê Minh Đạt" in pdf_text(control.content)


def test_a_form_the_dossier_does_not_have_is_explained_and_outsiders_get_none(client, world, now):
    dossier = at_specialist(world, receive(world))
    client = as_user(client, world.desk)
    refusal = client.get(f"/ho-so/{dossier.code}/mau/refusal.pdf")
    assert refusal.status_code == 409 and "không có Phiếu từ chối" in words(page(refusal))
    assert client.get(f"/ho-so/{dossier.code}/mau/nonsense.pdf").status_code == 404
    assert client.get(f"/ho-so/{dossier.code}/mau/receipt.txt").status_code == 404
    assert as_user(client, world.outsider).get(f"/ho-so/{dossier.code}/mau/receipt.pdf").status_code == 403
    assert as_user(client, world.stranger).get(f"/ho-so/{dossier.code}/mau/receipt.pdf").status_code == 404


# --------------------------------------------------------------------------------------------------------
# The staff home's counts


def test_the_staff_home_counts_each_queue_and_links_to_it(client, world, now):
    for _ in range(2):
        receive(world)  # at the desk, assigned to the desk officer who received them
    at_specialist(world, receive(world))  # with Vũ Ngọc Quỳnh
    act(services.forward, world.desk, receive(world), at(2, 10))  # with the civil division, unassigned

    def card(staff) -> dict[str, tuple[str, str]]:
        tree = page(as_user(client, staff).get("/"))
        return {a.get("id"): (a.xpath("string(strong)"), a.get("href"))
                for a in tree.xpath("//section[@aria-labelledby='work-h']//div[@class='counts']/a")}

    assert card(world.desk) == {"count-mine": ("2", "/ho-so/?ds=mine"),
                                "count-desk": ("2", "/ho-so/?ds=desk"),
                                "count-overdue": ("0", "/ho-so/?ds=all&qua-han=1")}
    assert card(world.specialist) == {"count-mine": ("1", "/ho-so/?ds=mine"),
                                      "count-overdue": ("0", "/ho-so/?ds=mine&qua-han=1")}
    # The division leader's own work includes the step waiting, unassigned, for a leader of the division.
    assert card(world.division_leader)["count-division"] == ("2", "/ho-so/?ds=division")
    assert card(world.division_leader)["count-mine"] == ("1", "/ho-so/?ds=mine")
    assert card(world.leader) == {"count-mine": ("0", "/ho-so/?ds=mine"),
                                  "count-overdue": ("0", "/ho-so/?ds=all&qua-han=1")}
    assert card(world.clerk) == {}
    with clock.at(at(17)):
        overdue = card(world.leader)["count-overdue"]
        assert overdue == ("4", "/ho-so/?ds=all&qua-han=1")
        # The number on the card is the number of rows its link lists.
        assert len(codes(as_user(client, world.leader).get(overdue[1]))) == 4
        desk = card(world.desk)
        assert len(codes(as_user(client, world.desk).get(desk["count-desk"][1]))) == int(desk["count-desk"][0])
    assert "Tiếp nhận hồ sơ mới" in words(page(as_user(client, world.desk).get("/")))


# --------------------------------------------------------------------------------------------------------
# Queries: a page costs the same whatever it shows


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_lists_cost_the_same_queries_for_1_and_10_dossiers(client, world, now):
    receive(world)
    at_specialist(world, receive(world))
    desk = as_user(client, world.desk)
    urls = ["/ho-so/?ds=desk", "/ho-so/?ds=all", "/ho-so/?ds=mine"]
    few = {url: _queries(desk, url) for url in urls}
    few_leader = _queries(as_user(client, world.division_leader), "/ho-so/?ds=division")
    for _ in range(9):
        receive(world)
        at_specialist(world, receive(world), specialist=world.specialist2)
    desk = as_user(client, world.desk)
    assert {url: _queries(desk, url) for url in urls} == few
    leader = as_user(client, world.division_leader)
    assert _queries(leader, "/ho-so/?ds=division") == few_leader


def test_the_dossier_page_costs_the_same_queries_for_1_and_10_hand_offs(client, world, now):
    short = receive(world)
    long = receive(world, files=[(documents()[0].pk, upload("a.pdf", samples.pdf()))])
    client = as_user(client, world.auditor)
    baseline = _queries(client, detail_url(short))
    long = at_specialist(world, long)
    for i in range(7):  # the division leader gives the step to one specialist, then the other
        long = act(services.assign, world.division_leader, long, at(3, 9 + i),
                   assignee_id=(world.specialist2 if i % 2 == 0 else world.specialist).pk)
    assert long.handoffs.count() == 10
    assert _queries(client, detail_url(long)) == baseline
    # The same for someone offered the action forms (the forward form lists the next step's people).
    leader = as_user(client, world.division_leader)
    mid = at_specialist(world, receive(world))
    assert _queries(leader, detail_url(mid)) == _queries(leader, detail_url(long))
