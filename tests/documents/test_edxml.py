"""edXML packages (QCVN 102:2016): what we send reads back the same, and a bad package is refused with
every problem named."""

from __future__ import annotations

import base64
import time
import unicodedata
import xml.etree.ElementTree as ET
from datetime import date, datetime

import defusedxml.ElementTree as SafeET
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.documents.edxml import (
    NAMESPACE,
    PRIORITY_FLASH,
    Attachment,
    Message,
    Organ,
    PackageError,
    ResponseFor,
    build,
    check,
    document_id,
    parse,
    valid_organ_id,
)

NS = {"e": NAMESPACE}
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyĂÂĐÊÔƠƯáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
SPECIAL = "&<>\"' ;/-.,()"


# ---------------------------------------------------------------------------------------------------------
# Strategies


def _clean(s: str) -> str:
    return unicodedata.normalize("NFC", s).strip()


_chars = st.one_of(
    st.sampled_from(VIETNAMESE + VIETNAMESE.upper() + SPECIAL),
    st.sampled_from("\n\t"),
    # Anything XML can carry, without combining marks (NFC would change them) or unassigned code points.
    st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Mn", "Mc", "Me")),
)


def texts(min_size: int = 0, max_size: int = 30):
    return (
        st.text(_chars, min_size=min_size, max_size=max_size)
        .map(_clean)
        .filter(lambda s: len(s) >= min_size and _clean(s) == s)
    )


organ_ids = st.one_of(
    st.from_regex(r"[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}", fullmatch=True),
    st.from_regex(r"[0-9A-Z]{1,6}(\.[0-9A-Z]{1,6}){0,4}", fullmatch=True),
)
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
counts = st.none() | st.integers(min_value=0, max_value=10**6)


def organs(*, name_required: bool):
    return st.builds(
        Organ,
        organ_id=organ_ids,
        name=texts(min_size=1 if name_required else 0),
        in_charge=texts(),
        address=texts(),
        email=texts(),
        telephone=texts(),
        fax=texts(),
        website=texts(),
    )


@st.composite
def attachment_lists(draw):
    n = draw(st.integers(min_value=1, max_value=3))
    if draw(st.booleans()):
        ids = [""] * n  # numbered "1", "2", … by Message
    else:
        ids = draw(
            st.lists(
                st.from_regex(r"(cid:)?[a-z0-9-]{1,12}", fullmatch=True),
                min_size=n,
                max_size=n,
                unique_by=lambda s: s.removeprefix("cid:"),
            )
        )
    return tuple(
        Attachment(
            name=draw(texts(min_size=1)),
            content_type=draw(st.sampled_from(["application/pdf", "application/msword", "image/png", "text/plain"])),
            data=draw(st.binary(min_size=1, max_size=64)),
            content_id=content_id,
        )
        for content_id in ids
    )


messages = st.builds(
    Message,
    sender=organs(name_required=True),
    recipients=st.lists(organs(name_required=False), min_size=1, max_size=3).map(tuple),
    code_number=texts(min_size=1, max_size=8),
    code_notation=texts(min_size=1, max_size=12),
    place=texts(),
    promulgation_date=dates,
    type_code=texts(min_size=1, max_size=4),
    type_name=texts(),
    type_detail=texts(max_size=4),
    subject=texts(min_size=1, max_size=80),
    content=texts(max_size=80),
    signer_competence=texts(),
    signer_position=texts(),
    signer_name=texts(),
    due_date=st.none() | dates,
    to_places=st.lists(texts(min_size=1), max_size=3).map(tuple),
    priority=st.integers(min_value=0, max_value=3),
    steering_type=counts,
    page_amount=counts,
    promulgation_amount=counts,
    response_for=st.none()
    | st.builds(ResponseFor, organ_id=organ_ids, code=texts(min_size=1), promulgation_date=dates, document_id=texts()),
    attachments=attachment_lists(),
)


@settings(max_examples=100, deadline=None)
@given(messages)
def test_a_built_package_reads_back_as_the_same_message(m):
    assert parse(build(m)) == m


# ---------------------------------------------------------------------------------------------------------
# A fixed example, element by element

SNV = Organ("000.00.13.H30", "Sở Nội vụ tỉnh Hậu Giang", in_charge="Giám đốc", email="snv@haugiang.gov.vn")
UBND = Organ("000.00.00.H30", "Ủy ban nhân dân tỉnh Hậu Giang")
EXAMPLE = Message(
    sender=SNV,
    recipients=(UBND, Organ("000.00.04.G14", "Bộ Nội vụ")),
    code_number="123",
    code_notation="QĐ-SNV",
    place="Vị Thanh",
    promulgation_date=date(2026, 3, 5),
    type_code="2",
    type_name="Quyết định",
    subject="Về việc bổ nhiệm ngạch công chức & <đào tạo> \"đợt 1\" 'năm 2026'",
    content="Nội dung trích yếu.\nDòng hai.",
    signer_competence="KT. GIÁM ĐỐC",
    signer_position="Phó Giám đốc",
    signer_name="Nguyễn Văn Đức",
    due_date=date(2026, 3, 12),
    to_places=("Như trên", "Lưu: VT, TCBC"),
    priority=PRIORITY_FLASH,
    steering_type=0,
    page_amount=2,
    promulgation_amount=5,
    response_for=ResponseFor("000.00.00.H30", "45/UBND-VP", date(2026, 2, 20), "000.00.00.H30,2026/02/20,45/UBND-VP"),
    attachments=(
        Attachment("quyet-dinh-123.pdf", "application/pdf", b"%PDF-1.7 qd"),
        Attachment("phu-luc.docx", "application/msword", b"PK\x03\x04 phu luc"),
    ),
)


def _find(root: ET.Element, path: str) -> ET.Element:
    element = root.find("/".join(f"e:{part}" for part in path.split("/")), NS)
    assert element is not None, path
    return element


def test_the_package_has_the_qcvn_102_structure():
    data = build(EXAMPLE, sent_at=datetime(2026, 3, 5, 8, 30))
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert b"<edXML:edXMLEnvelope" in data
    root = SafeET.fromstring(data)
    assert root.tag == f"{{{NAMESPACE}}}edXMLEnvelope"

    expected = {
        "edXMLHeader/MessageHeader/From/OrganId": "000.00.13.H30",
        "edXMLHeader/MessageHeader/From/OrganName": "Sở Nội vụ tỉnh Hậu Giang",
        "edXMLHeader/MessageHeader/From/OrganizationInCharge": "Giám đốc",
        "edXMLHeader/MessageHeader/From/Email": "snv@haugiang.gov.vn",
        "edXMLHeader/MessageHeader/To/OrganId": "000.00.00.H30",
        "edXMLHeader/MessageHeader/Code/CodeNumber": "123",
        "edXMLHeader/MessageHeader/Code/CodeNotation": "QĐ-SNV",
        "edXMLHeader/MessageHeader/PromulgationInfo/Place": "Vị Thanh",
        "edXMLHeader/MessageHeader/PromulgationInfo/PromulgationDate": "2026-03-05",
        "edXMLHeader/MessageHeader/DocumentType/Type": "2",
        "edXMLHeader/MessageHeader/DocumentType/TypeName": "Quyết định",
        "edXMLHeader/MessageHeader/Subject": EXAMPLE.subject,
        "edXMLHeader/MessageHeader/Content": "Nội dung trích yếu.\nDòng hai.",
        "edXMLHeader/MessageHeader/SignerInfo/Competence": "KT. GIÁM ĐỐC",
        "edXMLHeader/MessageHeader/SignerInfo/Position": "Phó Giám đốc",
        "edXMLHeader/MessageHeader/SignerInfo/FullName": "Nguyễn Văn Đức",
        "edXMLHeader/MessageHeader/DueDate": "2026-03-12",
        "edXMLHeader/MessageHeader/ToPlaces/Place": "Như trên",
        "edXMLHeader/MessageHeader/OtherInfo/Priority": "3",
        "edXMLHeader/MessageHeader/OtherInfo/PromulgationAmount": "5",
        "edXMLHeader/MessageHeader/OtherInfo/PageAmount": "2",
        "edXMLHeader/MessageHeader/ResponseFor/OrganId": "000.00.00.H30",
        "edXMLHeader/MessageHeader/ResponseFor/Code": "45/UBND-VP",
        "edXMLHeader/MessageHeader/ResponseFor/PromulgationDate": "2026-02-20",
        "edXMLHeader/MessageHeader/ResponseFor/DocumentId": "000.00.00.H30,2026/02/20,45/UBND-VP",
        "edXMLHeader/MessageHeader/SteeringType": "0",
        "edXMLHeader/MessageHeader/DocumentId": "000.00.13.H30,2026/03/05,123/QĐ-SNV",
        "edXMLHeader/TraceHeaderList/TraceHeader/OrganId": "000.00.13.H30",
        "edXMLHeader/TraceHeaderList/TraceHeader/Timestamp": "2026/03/05 08:30:00",
        "edXMLHeader/TraceHeaderList/Bussiness/BussinessDocType": "0",
        "edXMLBody/edXMLManifest/Reference/ContentId": "1",
        "edXMLBody/edXMLManifest/Reference/ContentType": "application/pdf",
        "edXMLBody/edXMLManifest/Reference/AttachmentName": "quyet-dinh-123.pdf",
        "edXMLBody/AttachmentEncoded/Attachment/ContentId": "1",
        "edXMLBody/AttachmentEncoded/Attachment/ContentType": "application/pdf",
        "edXMLBody/AttachmentEncoded/Attachment/AttachmentName": "quyet-dinh-123.pdf",
        "edXMLBody/AttachmentEncoded/Attachment/ContentTransferEncoded": base64.b64encode(b"%PDF-1.7 qd").decode(),
    }
    for path, text in expected.items():
        assert _find(root, path).text == text, path

    header = _find(root, "edXMLHeader/MessageHeader")
    assert [to.findtext("e:OrganId", namespaces=NS) for to in header.findall("e:To", NS)] == [
        "000.00.00.H30",
        "000.00.04.G14",
    ]
    assert [p.text for p in header.findall("e:ToPlaces/e:Place", NS)] == ["Như trên", "Lưu: VT, TCBC"]
    assert [
        r.findtext("e:ContentId", namespaces=NS) for r in root.findall("e:edXMLBody/e:edXMLManifest/e:Reference", NS)
    ] == ["1", "2"]
    assert len(root.findall("e:edXMLBody/e:AttachmentEncoded/e:Attachment", NS)) == 2
    # MessageHeader children follow the order of the QCVN 102 table (1.1 … 1.14).
    order = [child.tag.split("}")[1] for child in header]
    assert order == [
        "From", "To", "To", "Code", "PromulgationInfo", "DocumentType", "Subject", "Content", "SignerInfo",
        "DueDate", "ToPlaces", "OtherInfo", "ResponseFor", "SteeringType", "DocumentId",
    ]  # fmt: skip

    assert parse(data) == EXAMPLE


def test_document_id_is_organ_date_and_number_notation():
    assert document_id(EXAMPLE) == "000.00.13.H30,2026/03/05,123/QĐ-SNV"


def test_attachments_without_content_id_are_numbered_in_order():
    assert [a.content_id for a in EXAMPLE.attachments] == ["1", "2"]


def test_agency_codes_in_both_forms_are_valid():
    for good in ("000.00.00.H30", "000.00.04.G14", "H30", "H30.01.02", "Z01.ABC123", "A" * 35):
        assert valid_organ_id(good), good
    for bad in ("", "000.00.00.h30", "H30.", ".H30", "H30..01", "H 30", "A" * 36, "vxp.saas.03", "Đ30"):
        assert not valid_organ_id(bad), bad


# ---------------------------------------------------------------------------------------------------------
# Other senders' shapes


SDK_SHAPED = """<?xml version="1.0" encoding="utf-8"?>
<edXML xmlns="{ns}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <edXML:edXMLEnvelope xmlns:edXML="{ns}">
    <edXML:edXMLHeader>
      <edXML:MessageHeader>
        <edXML:From>
          <edXML:OrganId> 000.00.00.G14 </edXML:OrganId>
          <edXML:OrganName>  Bộ Nội vụ  </edXML:OrganName>
        </edXML:From>
        <edXML:To><edXML:OrganId>000.00.13.H30</edXML:OrganId><edXML:OrganName>Sở Nội vụ</edXML:OrganName></edXML:To>
        <edXML:Code><edXML:CodeNumber>7</edXML:CodeNumber><edXML:CodeNotation>BNV-TCBC</edXML:CodeNotation></edXML:Code>
        <edXML:PromulgationInfo><edXML:Place>Hà Nội</edXML:Place>
          <edXML:PromulgationDate>2026/01/09</edXML:PromulgationDate></edXML:PromulgationInfo>
        <edXML:DocumentType><edXML:Type>18</edXML:Type><edXML:TypeDetail>0</edXML:TypeDetail>
          <edXML:TypeName>Công văn</edXML:TypeName></edXML:DocumentType>
        <edXML:Subject>V/v báo cáo</edXML:Subject>
        <edXML:DueDate>20/01/2026</edXML:DueDate>
        <edXML:OtherInfo><edXML:Priority>1</edXML:Priority><edXML:PageAmount>1</edXML:PageAmount></edXML:OtherInfo>
        <edXML:DocumentId>5c1f8a1e-uuid-from-another-system</edXML:DocumentId>
      </edXML:MessageHeader>
      <edXML:TraceHeaderList><edXML:TraceHeader><edXML:OrganId>000.00.00.G14</edXML:OrganId>
        <edXML:Timestamp>2026/01/09 10:00:00</edXML:Timestamp></edXML:TraceHeader></edXML:TraceHeaderList>
    </edXML:edXMLHeader>
    <edXML:edXMLBody>
      <edXML:edXMLManifest version="1.0">
        <edXML:Reference xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="cid:ab-12">
          <edXML:AttachmentName>cong-van.pdf</edXML:AttachmentName>
          <edXML:ContentType>application/pdf</edXML:ContentType>
          <edXML:ContentId>cid:ab-12</edXML:ContentId>
        </edXML:Reference>
      </edXML:edXMLManifest>
    </edXML:edXMLBody>
  </edXML:edXMLEnvelope>
  <AttachmentEncoded>
    <Attachment>
      <ContentType>application/pdf</ContentType>
      <ContentId>ab-12</ContentId>
      <ContentTransferEncoded>
        {b64a}
        {b64b}
      </ContentTransferEncoded>
      <AttachmentName>cong-van.pdf</AttachmentName>
    </Attachment>
  </AttachmentEncoded>
</edXML>"""


def test_a_package_wrapped_in_edxml_with_attachments_beside_the_envelope_is_read():
    encoded = base64.b64encode(b"%PDF-1.4 " + bytes(range(256))).decode()
    data = SDK_SHAPED.format(ns=NAMESPACE, b64a=encoded[:76], b64b=encoded[76:]).encode()
    m = parse(data)
    assert m.sender == Organ("000.00.00.G14", "Bộ Nội vụ")
    assert m.recipients == (Organ("000.00.13.H30", "Sở Nội vụ"),)
    assert (m.code_number, m.code_notation, m.place) == ("7", "BNV-TCBC", "Hà Nội")
    assert m.promulgation_date == date(2026, 1, 9)
    assert m.due_date == date(2026, 1, 20)
    assert (m.type_code, m.type_detail, m.type_name) == ("18", "0", "Công văn")
    assert m.priority == 1
    assert m.page_amount == 1
    assert m.steering_type is None
    assert m.attachments == (Attachment("cong-van.pdf", "application/pdf", b"%PDF-1.4 " + bytes(range(256)), "ab-12"),)


def test_decomposed_vietnamese_is_read_as_composed_text():
    decomposed = unicodedata.normalize("NFD", "Về việc tuyển dụng công chức")
    data = build(EXAMPLE).replace(
        EXAMPLE.subject.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode(), decomposed.encode()
    )
    assert parse(data).subject == "Về việc tuyển dụng công chức"


# ---------------------------------------------------------------------------------------------------------
# Bad packages


def _edit(edit, message: Message = EXAMPLE) -> bytes:
    """The example package after ``edit(root)`` changed its tree."""
    root = SafeET.fromstring(build(message))
    edit(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _problems(data: bytes, **kwargs) -> tuple[str, ...]:
    with pytest.raises(PackageError) as caught:
        parse(data, **kwargs)
    assert caught.value.problems
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


def _remove(root: ET.Element, parent_path: str, name: str) -> None:
    parent = _find(root, parent_path)
    for child in parent.findall(f"e:{name}", NS):
        parent.remove(child)


def test_text_that_is_not_xml_is_refused():
    (problem,) = _problems(b"%PDF-1.7 not xml")
    assert problem.startswith("Tệp không phải XML hợp lệ (lỗi ở dòng 1, cột ")
    assert _problems(b"<edXMLEnvelope><unclosed>")[0].startswith("Tệp không phải XML hợp lệ")
    assert _problems(b"   ") == ("Tệp rỗng, không phải gói edXML.",)


def test_a_foreign_root_is_refused():
    assert _problems(b"<foo/>") == ("Không phải gói edXML (phần tử gốc là 'foo').",)
    (problem,) = _problems(b"<edXMLEnvelope xmlns='urn:other'/>")
    assert "namespace 'urn:other'" in problem
    assert _problems(f"<edXML xmlns='{NAMESPACE}'><other/></edXML>".encode()) == (
        "Thiếu edXMLEnvelope trong phần tử gốc edXML.",
    )


def test_every_missing_required_element_is_named():
    def strip(root):
        mh = "edXMLHeader/MessageHeader"
        _remove(root, f"{mh}/From", "OrganId")
        _remove(root, f"{mh}/From", "OrganName")
        _remove(root, mh, "To")
        _remove(root, mh, "Code")
        _remove(root, f"{mh}/PromulgationInfo", "PromulgationDate")
        _find(root, f"{mh}/DocumentType/Type").text = "   "
        _remove(root, mh, "Subject")
        _remove(root, "edXMLBody", "AttachmentEncoded")

    problems = _problems(_edit(strip))
    for expected in (
        "Thiếu MessageHeader/From/OrganId.",
        "Thiếu MessageHeader/From/OrganName.",
        "Thiếu MessageHeader/To (cần ít nhất một cơ quan nhận).",
        "Thiếu MessageHeader/Code/CodeNumber.",
        "Thiếu MessageHeader/Code/CodeNotation.",
        "Thiếu MessageHeader/PromulgationInfo/PromulgationDate.",
        "Thiếu MessageHeader/DocumentType/Type.",
        "Thiếu MessageHeader/Subject.",
        "Gói edXML không có tệp đính kèm nào (cần ít nhất một AttachmentEncoded/Attachment).",
        "Reference ContentId 1 không có tệp đính kèm tương ứng.",
        "Reference ContentId 2 không có tệp đính kèm tương ứng.",
    ):
        assert expected in problems


def test_a_recipient_without_agency_code_is_named_by_position():
    problems = _problems(_edit(lambda root: _remove(root, "edXMLHeader/MessageHeader/To", "OrganId")))
    assert problems == ("Thiếu MessageHeader/To[1]/OrganId.",)


def test_a_missing_header_or_manifest_is_named():
    problems = _problems(_edit(lambda root: _remove(root, "edXMLHeader", "MessageHeader")))
    assert problems == ("Thiếu edXMLHeader/MessageHeader.",)
    problems = _problems(_edit(lambda root: _remove(root, "edXMLBody", "edXMLManifest")))
    assert "Thiếu edXMLBody/edXMLManifest." in problems


def test_an_impossible_date_is_refused():
    def bad_date(root):
        _find(root, "edXMLHeader/MessageHeader/PromulgationInfo/PromulgationDate").text = "2026-13-01"

    assert _problems(_edit(bad_date)) == (
        "MessageHeader/PromulgationInfo/PromulgationDate '2026-13-01' không phải ngày hợp lệ (yyyy-mm-dd).",
    )


@pytest.mark.parametrize(
    ("written", "read"),
    [("2026-03-05", date(2026, 3, 5)), ("2026/3/5", date(2026, 3, 5)), ("05/03/2026", date(2026, 3, 5)),
     ("2026-03-05T00:00:00+07:00", date(2026, 3, 5)), ("2026/03/05 08:00:00", date(2026, 3, 5))],
)  # fmt: skip
def test_dates_are_read_in_the_forms_senders_use(written, read):
    def set_date(root):
        _find(root, "edXMLHeader/MessageHeader/PromulgationInfo/PromulgationDate").text = written

    assert parse(_edit(set_date)).promulgation_date == read


def test_bad_base64_is_refused():
    def corrupt(root):
        _find(root, "edXMLBody/AttachmentEncoded/Attachment/ContentTransferEncoded").text = "@@không phải base64@@"

    assert _problems(_edit(corrupt)) == ("Tệp đính kèm 'quyet-dinh-123.pdf': nội dung base64 không hợp lệ.",)


def test_a_manifest_that_does_not_match_the_attachments_is_refused():
    def mismatch(root):
        references = root.findall("e:edXMLBody/e:edXMLManifest/e:Reference", NS)
        _find(references[1], "ContentId").text = "3"
        _find(references[0], "AttachmentName").text = "khac.pdf"

    problems = _problems(_edit(mismatch))
    assert set(problems) == {
        "Reference ContentId 1: AttachmentName 'khac.pdf' khác với tệp đính kèm 'quyet-dinh-123.pdf'.",
        "Tệp đính kèm 'phu-luc.docx' (ContentId 2) không có Reference tương ứng trong edXMLManifest.",
        "Reference ContentId 3 không có tệp đính kèm tương ứng.",
    }


def test_duplicate_content_ids_are_refused():
    def duplicate(root):
        _find(root, "edXMLBody/AttachmentEncoded").findall("e:Attachment", NS)[1].find("e:ContentId", NS).text = "1"

    problems = _problems(_edit(duplicate))
    assert "ContentId 1 bị trùng giữa các tệp đính kèm." in problems
    assert "Reference ContentId 2 không có tệp đính kèm tương ứng." in problems


def test_all_problems_are_reported_at_once():
    def several(root):
        _find(root, "edXMLHeader/MessageHeader/From/OrganId").text = "000.00.13.h30"
        _find(root, "edXMLHeader/MessageHeader/DueDate").text = "31/02/2026"
        _find(root, "edXMLHeader/MessageHeader/OtherInfo/Priority").text = "7"
        _find(root, "edXMLHeader/MessageHeader/OtherInfo/PageAmount").text = "hai"
        _find(root, "edXMLBody/AttachmentEncoded/Attachment/ContentTransferEncoded").text = "===="

    problems = _problems(_edit(several))
    assert len(problems) == 5
    assert problems[0].startswith("MessageHeader/From/OrganId '000.00.13.h30' không đúng định dạng mã định danh")
    assert "MessageHeader/DueDate '31/02/2026' không phải ngày hợp lệ (yyyy-mm-dd)." in problems
    assert (
        "MessageHeader/OtherInfo/Priority '7' không hợp lệ (0: thường, 1: khẩn, 2: thượng khẩn, 3: hỏa tốc)."
        in problems
    )
    assert "MessageHeader/OtherInfo/PageAmount 'hai' không phải số nguyên không âm." in problems
    assert "Tệp đính kèm 'quyet-dinh-123.pdf': nội dung base64 không hợp lệ." in problems


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<edXMLEnvelope xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLHeader><MessageHeader>
<Subject>&lol9;</Subject></MessageHeader></edXMLHeader></edXMLEnvelope>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE edXMLEnvelope [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<edXMLEnvelope xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><Subject>&secret;</Subject></edXMLEnvelope>"""


@pytest.mark.parametrize("attack", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "external-entity"])
def test_entity_attacks_are_refused_with_a_message(attack):
    started = time.perf_counter()
    assert _problems(attack) == (
        "Gói edXML chứa khai báo DOCTYPE/thực thể (DTD); không được chấp nhận vì lý do an toàn.",
    )
    assert time.perf_counter() - started < 1


def test_an_oversize_package_is_refused_before_reading():
    data = build(EXAMPLE)
    size = f"{len(data):,}".replace(",", ".")
    limit = f"{len(data) - 1:,}".replace(",", ".")
    assert _problems(data, max_bytes=len(data) - 1) == (
        f"Gói edXML có dung lượng {size} byte, vượt giới hạn {limit} byte.",
    )
    assert parse(data, max_bytes=len(data)) == EXAMPLE


def test_an_empty_attachment_is_refused():
    def empty(root):
        _find(root, "edXMLBody/AttachmentEncoded/Attachment/ContentTransferEncoded").text = ""

    assert _problems(_edit(empty)) == ("Tệp đính kèm 'quyet-dinh-123.pdf': thiếu nội dung ContentTransferEncoded.",)


# ---------------------------------------------------------------------------------------------------------
# Building refuses what could not be read back


def test_building_an_incomplete_message_lists_every_problem():
    broken = Message(
        sender=Organ("sở nội vụ", ""),
        recipients=(),
        code_number=" ",
        code_notation="QĐ-SNV",
        place="",
        promulgation_date=date(2026, 3, 5),
        type_code="2",
        type_name="Quyết định",
        subject="Có ký tự điều khiển \x07",
        priority=4,
        page_amount=-1,
        attachments=(Attachment("a.pdf", "application/pdf", b""), Attachment("b.pdf", "", b"x", content_id="1")),
    )
    problems = check(broken)
    assert problems == (
        "MessageHeader/Subject chứa ký tự không được phép trong XML (U+0007).",
        "MessageHeader/From/OrganId 'sở nội vụ' không đúng định dạng mã định danh cơ quan "
        "(ví dụ 000.00.00.H30; tối đa 35 ký tự gồm dấu chấm, chữ số 0–9 và chữ in hoa A–Z).",
        "Thiếu MessageHeader/From/OrganName.",
        "Thiếu MessageHeader/To (cần ít nhất một cơ quan nhận).",
        "Thiếu MessageHeader/Code/CodeNumber.",
        "MessageHeader/OtherInfo/Priority '4' không hợp lệ (0: thường, 1: khẩn, 2: thượng khẩn, 3: hỏa tốc).",
        "MessageHeader/OtherInfo/PageAmount '-1' không phải số nguyên không âm.",
        "Tệp đính kèm 'a.pdf' rỗng (0 byte).",
        "Thiếu ContentType của tệp đính kèm 'b.pdf'.",
        "ContentId 1 bị trùng giữa các tệp đính kèm.",
    )
    with pytest.raises(PackageError) as caught:
        build(broken)
    assert caught.value.problems == problems


def test_building_trims_text():
    padded = Message(**{**EXAMPLE.__dict__, "subject": "  Trích yếu  ", "sender": Organ(" 000.00.13.H30 ", " Sở ")})
    m = parse(build(padded))
    assert (m.subject, m.sender.organ_id, m.sender.name) == ("Trích yếu", "000.00.13.H30", "Sở")
