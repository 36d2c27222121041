"""edXML packages (QCVN 102:2016): build the package an official document travels in, and read one back.

Pure: no Django, no database, no clock. Parsing goes through ``defusedxml`` only (a package that declares a
DTD or entities, e.g. a "billion laughs" bomb, is refused with a message); building uses ElementTree.

**Shape written by** :func:`build` (namespace ``http://www.mic.gov.vn/TBT/QCVN_102_2016``, prefix ``edXML``)::

    edXMLEnvelope                                   <- document root
      edXMLHeader
        MessageHeader    From, To…, Code, PromulgationInfo, DocumentType, Subject, Content, SignerInfo,
                         DueDate?, ToPlaces, OtherInfo, ResponseFor?, SteeringType?, DocumentId
        TraceHeaderList  TraceHeader (OrganId, Timestamp?), Bussiness (BussinessDocType 0 = văn bản mới)
      edXMLBody
        edXMLManifest    Reference… (ContentId, ContentType, AttachmentName)
        AttachmentEncoded
          Attachment…    ContentId, ContentType, AttachmentName, ContentTransferEncoded (base64)

**Shapes accepted by** :func:`parse`: the root above, or the same ``edXMLEnvelope`` wrapped in an ``edXML``
element (the reference gives the path ``edXML/edXMLEnvelope/edXMLHeader/MessageHeader``, and the vendor
SDK samples put ``AttachmentEncoded`` beside the envelope inside that wrapper). ``AttachmentEncoded`` is
looked for in ``edXMLBody``, in ``edXMLEnvelope`` and in the ``edXML`` wrapper. The root must be in the
edXML namespace; elements below it are matched by name in that namespace or in no namespace (SDK samples
leave the attachment elements unqualified). A ``ContentId`` matches its ``Reference`` with or without a
``cid:`` prefix, and a ``Reference`` may give its id in ``xlink:href`` instead of a ``ContentId`` child.

**Text**: every text value is trimmed and NFC-normalised, on building and on reading, so
``parse(build(m)) == m`` holds for any message whose texts are already trimmed NFC (line ends read back as
``\\n``: XML normalises them). Control characters XML cannot carry are refused by :func:`check`.

**Dates** are written ``yyyy-mm-dd``; ``yyyy-mm-dd``, ``yyyy/mm/dd`` (what the vendor SDK samples write) and
``dd/mm/yyyy`` are read, a trailing time of day is ignored. ``DocumentId`` is written as
``OrganId,yyyy/MM/dd,Number/Notation`` (see :func:`document_id`) and is not read back: senders in the wild
put other identifiers there.

**Priority** (``OtherInfo/Priority``): 0 thường, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc. This mapping is
(unverified): no primary text confirmed it; other numbers are refused rather than guessed at.

Attachment bytes are returned as decoded from base64; some senders zip the file first, and unzipping is
left to the caller.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
import xml.etree.ElementTree as ET  # building only; everything read goes through defusedxml
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

__all__ = [
    "MAX_BYTES",
    "NAMESPACE",
    "PRIORITY_FLASH",
    "PRIORITY_NAMES",
    "PRIORITY_NORMAL",
    "PRIORITY_URGENT",
    "PRIORITY_VERY_URGENT",
    "Attachment",
    "Message",
    "Organ",
    "PackageError",
    "ResponseFor",
    "build",
    "check",
    "document_id",
    "parse",
    "valid_organ_id",
]

NAMESPACE = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
PREFIX = "edXML"
MAX_BYTES = 50_000_000

# OtherInfo/Priority (unverified mapping, see the module docstring).
PRIORITY_NORMAL = 0  # thường
PRIORITY_URGENT = 1  # khẩn
PRIORITY_VERY_URGENT = 2  # thượng khẩn
PRIORITY_FLASH = 3  # hỏa tốc
PRIORITY_NAMES = {
    PRIORITY_NORMAL: "Thường",
    PRIORITY_URGENT: "Khẩn",
    PRIORITY_VERY_URGENT: "Thượng khẩn",
    PRIORITY_FLASH: "Hỏa tốc",
}

# TraceHeaderList/Bussiness/BussinessDocType for a new document, as the vendor SDK samples send it (unverified).
_NEW_DOCUMENT = "0"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_MAX_INT_DIGITS = 9

ET.register_namespace(PREFIX, NAMESPACE)


# ---------------------------------------------------------------------------------------------------------
# The message


@dataclass(frozen=True)
class Organ:
    """An agency as edXML names it in ``From`` and ``To``."""

    organ_id: str
    name: str
    in_charge: str = ""
    address: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass(frozen=True)
class Attachment:
    """One file of the package. An empty ``content_id`` becomes the attachment's position ("1", "2", …)
    when the :class:`Message` is made."""

    name: str
    content_type: str
    data: bytes
    content_id: str = ""


@dataclass(frozen=True)
class ResponseFor:
    """The document this one answers (``MessageHeader/ResponseFor``); ``code`` is "Number/Notation"."""

    organ_id: str
    code: str
    promulgation_date: date
    document_id: str = ""


@dataclass(frozen=True, kw_only=True)
class Message:
    """The MessageHeader of an edXML package and its attachments. Sequences are kept as tuples."""

    sender: Organ
    recipients: tuple[Organ, ...]
    code_number: str
    code_notation: str
    place: str
    promulgation_date: date
    type_code: str
    type_name: str
    type_detail: str = ""
    subject: str
    content: str = ""
    signer_competence: str = ""
    signer_position: str = ""
    signer_name: str = ""
    due_date: date | None = None
    to_places: tuple[str, ...] = ()
    priority: int = PRIORITY_NORMAL
    steering_type: int | None = None
    page_amount: int | None = None
    promulgation_amount: int | None = None
    response_for: ResponseFor | None = None
    attachments: tuple[Attachment, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "recipients", tuple(self.recipients))
        object.__setattr__(self, "to_places", tuple(self.to_places))
        object.__setattr__(
            self,
            "attachments",
            tuple(a if a.content_id else replace(a, content_id=str(i)) for i, a in enumerate(self.attachments, 1)),
        )


class PackageError(Exception):
    """A package that cannot be read or built; ``problems`` lists every problem found, one Vietnamese
    sentence each, naming the element."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        super().__init__("\n".join(self.problems))


# ---------------------------------------------------------------------------------------------------------
# Small rules

_ORGAN_ID = re.compile(r"[0-9A-Z]+(?:\.[0-9A-Z]+)*")
_LEGACY_ORGAN_ID = re.compile(r"\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}", re.ASCII)  # 000.00.00.H30 (QCVN 102:2016)
_ORGAN_ID_MAX = 35


def valid_organ_id(value: str) -> bool:
    """An agency code: the QCVN 102:2016 form (``000.00.00.H30``) or the QĐ 20/2020/QĐ-TTg form, at most 35
    characters of ``.``, 0–9 and A–Z in dot-separated, non-empty groups. The legacy form is a case of the
    second; both are accepted as written (no case folding)."""
    if _LEGACY_ORGAN_ID.fullmatch(value):
        return True
    return len(value) <= _ORGAN_ID_MAX and _ORGAN_ID.fullmatch(value) is not None


def document_id(m: Message) -> str:
    """``MessageHeader/DocumentId``: "OrganId,yyyy/MM/dd,Number/Notation" of the sender and the promulgation."""
    d = m.promulgation_date
    return (
        f"{_clean(m.sender.organ_id)},{d.year:04d}/{d.month:02d}/{d.day:02d},"
        f"{_clean(m.code_number)}/{_clean(m.code_notation)}"
    )


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def _xml_illegal(text: str) -> str | None:
    """The first character XML 1.0 cannot carry, if any."""
    for ch in text:
        o = ord(ch)
        if o in (0x9, 0xA, 0xD) or 0x20 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD or 0x10000 <= o <= 0x10FFFF:
            continue
        return ch
    return None


_DATE_FORMS = (
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII), (1, 2, 3)),
    (re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})", re.ASCII), (1, 2, 3)),
    (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII), (3, 2, 1)),
)
_TIME_OF_DAY = re.compile(r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?", re.ASCII)


def _read_date(text: str) -> date | None:
    for pattern, (y, mo, d) in _DATE_FORMS:
        found = pattern.match(text)
        if found and _TIME_OF_DAY.fullmatch(text, found.end()):
            try:
                return date(int(found.group(y)), int(found.group(mo)), int(found.group(d)))
            except ValueError:
                return None
    return None


def _read_count(text: str) -> int | None:
    if text.isascii() and text.isdigit() and len(text) <= _MAX_INT_DIGITS:
        return int(text)
    return None


# ---------------------------------------------------------------------------------------------------------
# Problems, worded once for both directions


def _missing(path: str) -> str:
    return f"Thiếu {path}."


def _bad_organ_id(path: str, value: str) -> str:
    return (
        f"{path} '{value}' không đúng định dạng mã định danh cơ quan "
        "(ví dụ 000.00.00.H30; tối đa 35 ký tự gồm dấu chấm, chữ số 0–9 và chữ in hoa A–Z)."
    )


def _bad_date(path: str, value: str) -> str:
    return f"{path} '{value}' không phải ngày hợp lệ (yyyy-mm-dd)."


def _bad_priority(value: object) -> str:
    return f"MessageHeader/OtherInfo/Priority '{value}' không hợp lệ (0: thường, 1: khẩn, 2: thượng khẩn, 3: hỏa tốc)."


def _bad_count(path: str, value: object) -> str:
    return f"{path} '{value}' không phải số nguyên không âm."


def _no_attachment() -> str:
    return "Gói edXML không có tệp đính kèm nào (cần ít nhất một AttachmentEncoded/Attachment)."


def _attachment_label(name: str, position: int) -> str:
    return f"'{name}'" if name else f"thứ {position}"


def _empty_attachment(label: str) -> str:
    return f"Tệp đính kèm {label} rỗng (0 byte)."


def _duplicate_content_id(content_id: str) -> str:
    return f"ContentId {content_id} bị trùng giữa các tệp đính kèm."


# ---------------------------------------------------------------------------------------------------------
# Building


def _organ_fields(organ: Organ, path: str) -> Iterator[tuple[str, str]]:
    yield f"{path}/OrganId", organ.organ_id
    yield f"{path}/OrganizationInCharge", organ.in_charge
    yield f"{path}/OrganName", organ.name
    yield f"{path}/OrganAdd", organ.address
    yield f"{path}/Email", organ.email
    yield f"{path}/Telephone", organ.telephone
    yield f"{path}/Fax", organ.fax
    yield f"{path}/Website", organ.website


def _texts(m: Message) -> Iterator[tuple[str, str]]:
    """Every text of the message with the path it is written at."""
    yield from _organ_fields(m.sender, "MessageHeader/From")
    for i, organ in enumerate(m.recipients, 1):
        yield from _organ_fields(organ, _to_path(i, len(m.recipients)))
    yield "MessageHeader/Code/CodeNumber", m.code_number
    yield "MessageHeader/Code/CodeNotation", m.code_notation
    yield "MessageHeader/PromulgationInfo/Place", m.place
    yield "MessageHeader/DocumentType/Type", m.type_code
    yield "MessageHeader/DocumentType/TypeDetail", m.type_detail
    yield "MessageHeader/DocumentType/TypeName", m.type_name
    yield "MessageHeader/Subject", m.subject
    yield "MessageHeader/Content", m.content
    yield "MessageHeader/SignerInfo/Competence", m.signer_competence
    yield "MessageHeader/SignerInfo/Position", m.signer_position
    yield "MessageHeader/SignerInfo/FullName", m.signer_name
    for place in m.to_places:
        yield "MessageHeader/ToPlaces/Place", place
    if m.response_for is not None:
        yield "MessageHeader/ResponseFor/OrganId", m.response_for.organ_id
        yield "MessageHeader/ResponseFor/Code", m.response_for.code
        yield "MessageHeader/ResponseFor/DocumentId", m.response_for.document_id
    for i, a in enumerate(m.attachments, 1):
        yield f"AttachmentEncoded/Attachment[{i}]/ContentId", a.content_id
        yield f"AttachmentEncoded/Attachment[{i}]/ContentType", a.content_type
        yield f"AttachmentEncoded/Attachment[{i}]/AttachmentName", a.name


def _to_path(position: int, count: int) -> str:
    return "MessageHeader/To" if count == 1 else f"MessageHeader/To[{position}]"


def check(m: Message) -> tuple[str, ...]:
    """Every reason :func:`build` would refuse ``m``, worded as :func:`parse` words them; empty if none."""
    problems: list[str] = []
    for path, text in _texts(m):
        bad = _xml_illegal(text)
        if bad is not None:
            problems.append(f"{path} chứa ký tự không được phép trong XML (U+{ord(bad):04X}).")

    def organ_id(path: str, value: str) -> None:
        value = _clean(value)
        if not value:
            problems.append(_missing(path))
        elif not valid_organ_id(value):
            problems.append(_bad_organ_id(path, value))

    def required(path: str, value: str) -> None:
        if not _clean(value):
            problems.append(_missing(path))

    organ_id("MessageHeader/From/OrganId", m.sender.organ_id)
    required("MessageHeader/From/OrganName", m.sender.name)
    if not m.recipients:
        problems.append(_missing("MessageHeader/To (cần ít nhất một cơ quan nhận)"))
    for i, organ in enumerate(m.recipients, 1):
        organ_id(f"{_to_path(i, len(m.recipients))}/OrganId", organ.organ_id)
    required("MessageHeader/Code/CodeNumber", m.code_number)
    required("MessageHeader/Code/CodeNotation", m.code_notation)
    required("MessageHeader/DocumentType/Type", m.type_code)
    required("MessageHeader/Subject", m.subject)
    if m.priority not in PRIORITY_NAMES:
        problems.append(_bad_priority(m.priority))
    for path, count in (
        ("MessageHeader/SteeringType", m.steering_type),
        ("MessageHeader/OtherInfo/PageAmount", m.page_amount),
        ("MessageHeader/OtherInfo/PromulgationAmount", m.promulgation_amount),
    ):
        if count is not None and not 0 <= count < 10**_MAX_INT_DIGITS:
            problems.append(_bad_count(path, count))
    if m.response_for is not None:
        organ_id("MessageHeader/ResponseFor/OrganId", m.response_for.organ_id)
        required("MessageHeader/ResponseFor/Code", m.response_for.code)
    if not m.attachments:
        problems.append(_no_attachment())
    seen: set[str] = set()
    for i, a in enumerate(m.attachments, 1):
        name = _clean(a.name)
        label = _attachment_label(name, i)
        if not name:
            problems.append(f"Thiếu AttachmentName của tệp đính kèm thứ {i}.")
        if not _clean(a.content_type):
            problems.append(f"Thiếu ContentType của tệp đính kèm {label}.")
        if not a.data:
            problems.append(_empty_attachment(label))
        content_id = _clean(a.content_id)
        if not content_id:
            problems.append(f"Thiếu ContentId của tệp đính kèm {label}.")
        elif _content_key(content_id) in seen:
            problems.append(_duplicate_content_id(content_id))
        seen.add(_content_key(content_id))
    return tuple(problems)


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def _sub(parent: Element, tag: str, text: str | None = None) -> Element:
    element = ET.SubElement(parent, _q(tag))
    if text is not None:
        element.text = _clean(text)
    return element


def _write_organ(parent: Element, tag: str, organ: Organ) -> None:
    element = _sub(parent, tag)
    _sub(element, "OrganId", organ.organ_id)
    _sub(element, "OrganizationInCharge", organ.in_charge)
    _sub(element, "OrganName", organ.name)
    _sub(element, "OrganAdd", organ.address)
    _sub(element, "Email", organ.email)
    _sub(element, "Telephone", organ.telephone)
    _sub(element, "Fax", organ.fax)
    _sub(element, "Website", organ.website)


def build(m: Message, *, sent_at: datetime | None = None) -> bytes:
    """The package for ``m``: UTF-8 XML with its declaration, ``edXMLEnvelope`` as root.

    ``sent_at``, when given, is written as ``TraceHeader/Timestamp`` ("yyyy/MM/dd HH:mm:ss", as in the
    vendor SDK samples); this module never reads a clock. Raises :class:`PackageError` with every problem
    :func:`check` finds, so whatever is built can be parsed back.
    """
    problems = check(m)
    if problems:
        raise PackageError(problems)

    envelope = ET.Element(_q("edXMLEnvelope"))
    header = _sub(envelope, "edXMLHeader")
    mh = _sub(header, "MessageHeader")
    _write_organ(mh, "From", m.sender)
    for organ in m.recipients:
        _write_organ(mh, "To", organ)
    code = _sub(mh, "Code")
    _sub(code, "CodeNumber", m.code_number)
    _sub(code, "CodeNotation", m.code_notation)
    promulgation = _sub(mh, "PromulgationInfo")
    _sub(promulgation, "Place", m.place)
    _sub(promulgation, "PromulgationDate", m.promulgation_date.isoformat())
    doc_type = _sub(mh, "DocumentType")
    _sub(doc_type, "Type", m.type_code)
    _sub(doc_type, "TypeDetail", m.type_detail)
    _sub(doc_type, "TypeName", m.type_name)
    _sub(mh, "Subject", m.subject)
    _sub(mh, "Content", m.content)
    signer = _sub(mh, "SignerInfo")
    _sub(signer, "Competence", m.signer_competence)
    _sub(signer, "Position", m.signer_position)
    _sub(signer, "FullName", m.signer_name)
    if m.due_date is not None:
        _sub(mh, "DueDate", m.due_date.isoformat())
    to_places = _sub(mh, "ToPlaces")
    for place in m.to_places:
        _sub(to_places, "Place", place)
    other = _sub(mh, "OtherInfo")
    _sub(other, "Priority", str(m.priority))
    if m.promulgation_amount is not None:
        _sub(other, "PromulgationAmount", str(m.promulgation_amount))
    if m.page_amount is not None:
        _sub(other, "PageAmount", str(m.page_amount))
    if m.response_for is not None:
        response = _sub(mh, "ResponseFor")
        _sub(response, "OrganId", m.response_for.organ_id)
        _sub(response, "Code", m.response_for.code)
        _sub(response, "PromulgationDate", m.response_for.promulgation_date.isoformat())
        _sub(response, "DocumentId", m.response_for.document_id)
    if m.steering_type is not None:
        _sub(mh, "SteeringType", str(m.steering_type))
    _sub(mh, "DocumentId", document_id(m))

    traces = _sub(header, "TraceHeaderList")
    trace = _sub(traces, "TraceHeader")
    _sub(trace, "OrganId", m.sender.organ_id)
    if sent_at is not None:
        _sub(trace, "Timestamp", sent_at.strftime("%Y/%m/%d %H:%M:%S"))
    business = _sub(traces, "Bussiness")  # sic: the standard's spelling
    _sub(business, "BussinessDocType", _NEW_DOCUMENT)

    body = _sub(envelope, "edXMLBody")
    manifest = _sub(body, "edXMLManifest")
    for a in m.attachments:
        reference = _sub(manifest, "Reference")
        _sub(reference, "ContentId", a.content_id)
        _sub(reference, "ContentType", a.content_type)
        _sub(reference, "AttachmentName", a.name)
    encoded = _sub(body, "AttachmentEncoded")
    for a in m.attachments:
        attachment = _sub(encoded, "Attachment")
        _sub(attachment, "ContentId", a.content_id)
        _sub(attachment, "ContentType", a.content_type)
        _sub(attachment, "AttachmentName", a.name)
        _sub(attachment, "ContentTransferEncoded").text = base64.b64encode(a.data).decode("ascii")

    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(envelope, encoding="unicode").encode("utf-8")


# ---------------------------------------------------------------------------------------------------------
# Parsing


def _split(tag: object) -> tuple[str | None, str]:
    """(namespace, local name) of an element's tag; ``None`` namespace when it has none."""
    if not isinstance(tag, str):
        return None, ""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return None, tag


def _children(element: Element | None, name: str) -> list[Element]:
    if element is None:
        return []
    found = []
    for child in element:
        namespace, local = _split(child.tag)
        if local == name and namespace in (NAMESPACE, None):
            found.append(child)
    return found


def _child(element: Element | None, path: str) -> Element | None:
    for name in path.split("/"):
        matches = _children(element, name)
        element = matches[0] if matches else None
    return element


def _raw_text(element: Element | None) -> str:
    return "" if element is None else "".join(element.itertext())


def _text(element: Element | None, path: str = "") -> str:
    return _clean(_raw_text(_child(element, path) if path else element))


def _content_key(content_id: str) -> str:
    return content_id[4:].strip() if content_id[:4].lower() == "cid:" else content_id


def _grouped(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _read_xml(data: bytes, max_bytes: int) -> Element:
    if len(data) > max_bytes:
        size, limit = _grouped(len(data)), _grouped(max_bytes)
        raise PackageError((f"Gói edXML có dung lượng {size} byte, vượt giới hạn {limit} byte.",))
    if not data.strip():
        raise PackageError(("Tệp rỗng, không phải gói edXML.",))
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except (DTDForbidden, EntitiesForbidden):
        raise PackageError(
            ("Gói edXML chứa khai báo DOCTYPE/thực thể (DTD); không được chấp nhận vì lý do an toàn.",)
        ) from None
    except ExternalReferenceForbidden:
        raise PackageError(("Gói edXML tham chiếu tới tài nguyên bên ngoài; không được chấp nhận.",)) from None
    except DefusedXmlException:
        raise PackageError(("Gói edXML chứa cấu trúc XML không an toàn; không được chấp nhận.",)) from None
    except ET.ParseError as error:
        line, column = error.position
        raise PackageError((f"Tệp không phải XML hợp lệ (lỗi ở dòng {line}, cột {column}).",)) from None
    except ValueError:
        raise PackageError(("Tệp không phải XML hợp lệ.",)) from None


def _envelope(root: Element) -> tuple[Element, Element | None]:
    """(edXMLEnvelope, the edXML wrapper or None)."""
    namespace, local = _split(root.tag)
    if local not in ("edXMLEnvelope", "edXML"):
        raise PackageError((f"Không phải gói edXML (phần tử gốc là '{local}').",))
    if namespace != NAMESPACE:
        raise PackageError(
            (f"Không phải gói edXML: phần tử gốc '{local}' thuộc namespace '{namespace or ''}', cần '{NAMESPACE}'.",)
        )
    if local == "edXMLEnvelope":
        return root, None
    inner = _children(root, "edXMLEnvelope")
    if not inner:
        raise PackageError(("Thiếu edXMLEnvelope trong phần tử gốc edXML.",))
    return inner[0], root


class _Reader:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def required(self, element: Element | None, base: str, path: str) -> str:
        value = _text(element, path)
        if not value:
            self.problems.append(_missing(f"{base}/{path}"))
        return value

    def organ_id(self, element: Element | None, base: str) -> str:
        value = self.required(element, base, "OrganId")
        if value and not valid_organ_id(value):
            self.problems.append(_bad_organ_id(f"{base}/OrganId", value))
        return value

    def read_date(self, element: Element | None, base: str, path: str, *, required: bool) -> date | None:
        value = self.required(element, base, path) if required else _text(element, path)
        if not value:
            return None
        parsed = _read_date(value)
        if parsed is None:
            self.problems.append(_bad_date(f"{base}/{path}", value))
        return parsed

    def read_count(self, element: Element | None, base: str, path: str) -> int | None:
        value = _text(element, path)
        if not value:
            return None
        parsed = _read_count(value)
        if parsed is None:
            self.problems.append(_bad_count(f"{base}/{path}", value))
        return parsed

    def organ(self, element: Element | None, base: str, *, name_required: bool) -> Organ:
        return Organ(
            organ_id=self.organ_id(element, base),
            name=self.required(element, base, "OrganName") if name_required else _text(element, "OrganName"),
            in_charge=_text(element, "OrganizationInCharge"),
            address=_text(element, "OrganAdd"),
            email=_text(element, "Email"),
            telephone=_text(element, "Telephone"),
            fax=_text(element, "Fax"),
            website=_text(element, "Website"),
        )

    def priority(self, mh: Element) -> int:
        value = _text(mh, "OtherInfo/Priority")
        if not value:
            return PRIORITY_NORMAL
        parsed = _read_count(value)
        if parsed not in PRIORITY_NAMES:
            self.problems.append(_bad_priority(value))
            return PRIORITY_NORMAL
        return parsed

    def response_for(self, mh: Element) -> ResponseFor | None:
        element = _child(mh, "ResponseFor")
        if element is None:
            return None
        base = "MessageHeader/ResponseFor"
        organ_id = self.organ_id(element, base)
        code = self.required(element, base, "Code")
        promulgated = self.read_date(element, base, "PromulgationDate", required=True)
        if promulgated is None:
            return None
        return ResponseFor(organ_id, code, promulgated, _text(element, "DocumentId"))

    def header(self, envelope: Element) -> dict[str, object] | None:
        header = _child(envelope, "edXMLHeader")
        if header is None:
            self.problems.append(_missing("edXMLHeader"))
            return None
        mh = _child(header, "MessageHeader")
        if mh is None:
            self.problems.append(_missing("edXMLHeader/MessageHeader"))
            return None
        base = "MessageHeader"
        sender = self.organ(_child(mh, "From"), f"{base}/From", name_required=True)
        tos = _children(mh, "To")
        if not tos:
            self.problems.append(_missing(f"{base}/To (cần ít nhất một cơ quan nhận)"))
        recipients = tuple(self.organ(to, _to_path(i, len(tos)), name_required=False) for i, to in enumerate(tos, 1))
        fields: dict[str, object] = {
            "sender": sender,
            "recipients": recipients,
            "code_number": self.required(mh, base, "Code/CodeNumber"),
            "code_notation": self.required(mh, base, "Code/CodeNotation"),
            "place": _text(mh, "PromulgationInfo/Place"),
            "promulgation_date": self.read_date(mh, base, "PromulgationInfo/PromulgationDate", required=True),
            "type_code": self.required(mh, base, "DocumentType/Type"),
            "type_detail": _text(mh, "DocumentType/TypeDetail"),
            "type_name": _text(mh, "DocumentType/TypeName"),
            "subject": self.required(mh, base, "Subject"),
            "content": _text(mh, "Content"),
            "signer_competence": _text(mh, "SignerInfo/Competence"),
            "signer_position": _text(mh, "SignerInfo/Position"),
            "signer_name": _text(mh, "SignerInfo/FullName"),
            "due_date": self.read_date(mh, base, "DueDate", required=False),
            "to_places": tuple(p for p in map(_text, _children(_child(mh, "ToPlaces"), "Place")) if p),
            "priority": self.priority(mh),
            "steering_type": self.read_count(mh, base, "SteeringType"),
            "page_amount": self.read_count(mh, base, "OtherInfo/PageAmount"),
            "promulgation_amount": self.read_count(mh, base, "OtherInfo/PromulgationAmount"),
            "response_for": self.response_for(mh),
        }
        return fields

    def attachments(self, envelope: Element, wrapper: Element | None) -> tuple[Attachment, ...]:
        body = _child(envelope, "edXMLBody")
        if body is None:
            self.problems.append(_missing("edXMLBody"))
        manifest = _child(body, "edXMLManifest")
        if body is not None and manifest is None:
            self.problems.append(_missing("edXMLBody/edXMLManifest"))

        references: dict[str, Element] = {}
        for i, reference in enumerate(_children(manifest, "Reference"), 1):
            content_id = _text(reference, "ContentId") or _clean(reference.get(_XLINK_HREF, ""))
            if not content_id:
                self.problems.append(f"Thiếu ContentId trong Reference thứ {i} của edXMLManifest.")
                continue
            references.setdefault(_content_key(content_id), reference)

        elements = [
            attachment
            for holder in (body, envelope, wrapper)
            for encoded in _children(holder, "AttachmentEncoded")
            for attachment in _children(encoded, "Attachment")
        ]
        if not elements:
            self.problems.append(_no_attachment())

        found: list[Attachment] = []
        seen: set[str] = set()
        for i, element in enumerate(elements, 1):
            content_id = _text(element, "ContentId")
            key = _content_key(content_id)
            reference = references.get(key) if content_id else None
            name = _text(element, "AttachmentName") or _text(reference, "AttachmentName")
            content_type = _text(element, "ContentType") or _text(reference, "ContentType")
            label = _attachment_label(name, i)
            if not name:
                self.problems.append(f"Thiếu AttachmentName của tệp đính kèm thứ {i}.")
            if not content_type:
                self.problems.append(f"Thiếu ContentType của tệp đính kèm {label}.")
            if not content_id:
                self.problems.append(f"Thiếu ContentId của tệp đính kèm {label}.")
            elif key in seen:
                self.problems.append(_duplicate_content_id(content_id))
            elif reference is None:
                self.problems.append(
                    f"Tệp đính kèm {label} (ContentId {content_id}) không có Reference tương ứng trong edXMLManifest."
                )
            else:
                self.consistent(reference, content_id, name, content_type)
            seen.add(key)
            data = self.data(element, label)
            if data is not None:
                found.append(Attachment(name, content_type, data, content_id))
        for key in references:
            if key not in seen:
                self.problems.append(f"Reference ContentId {key} không có tệp đính kèm tương ứng.")
        return tuple(found)

    def consistent(self, reference: Element, content_id: str, name: str, content_type: str) -> None:
        listed_name = _text(reference, "AttachmentName")
        if listed_name and listed_name != name:
            self.problems.append(
                f"Reference ContentId {content_id}: AttachmentName '{listed_name}' khác với tệp đính kèm '{name}'."
            )
        listed_type = _text(reference, "ContentType")
        if listed_type and listed_type.lower() != content_type.lower():
            self.problems.append(
                f"Reference ContentId {content_id}: ContentType '{listed_type}' khác với tệp đính kèm '{content_type}'."
            )

    def data(self, element: Element, label: str) -> bytes | None:
        encoded_element = _child(element, "ContentTransferEncoded")
        encoded = re.sub(r"\s+", "", _raw_text(encoded_element))
        if not encoded:
            self.problems.append(f"Tệp đính kèm {label}: thiếu nội dung ContentTransferEncoded.")
            return None
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            self.problems.append(f"Tệp đính kèm {label}: nội dung base64 không hợp lệ.")
            return None
        if not data:
            self.problems.append(_empty_attachment(label))
            return None
        return data


def parse(data: bytes, *, max_bytes: int = MAX_BYTES) -> Message:
    """Read an edXML package (see the module docstring for the shapes accepted).

    Raises :class:`PackageError` listing every problem found: not XML, DTD or entities, wrong root or
    namespace, a missing required element (From/OrganId, From/OrganName, a To with OrganId,
    Code/CodeNumber, Code/CodeNotation, PromulgationInfo/PromulgationDate, DocumentType/Type, Subject, at
    least one attachment), a malformed agency code, date or number, bad base64, a manifest that does not
    match the attachments, or a package larger than ``max_bytes``.
    """
    envelope, wrapper = _envelope(_read_xml(data, max_bytes))
    reader = _Reader()
    fields = reader.header(envelope)
    attachments = reader.attachments(envelope, wrapper)
    if reader.problems or fields is None:
        raise PackageError(reader.problems)
    return Message(**fields, attachments=attachments)  # type: ignore[arg-type]
