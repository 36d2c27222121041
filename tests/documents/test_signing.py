"""Signing official documents (PAdES) and checking the signatures, on real PDFs made by WeasyPrint."""

from __future__ import annotations

import datetime as dt
import re
import stat
from io import BytesIO
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from motcua.documents import signing
from motcua.documents.demo_keys import demo_root, ensure_demo_keys
from motcua.documents.signing import SigningError, SigningKey, configured_key, sign_pdf, trust_roots, verify_pdf

AGENCY = "Sở Nội vụ tỉnh Quảng Ngãi"
SIGNED_AT = dt.datetime(2026, 3, 5, 1, 30, tzinfo=dt.UTC)  # 08:30 in Việt Nam


@pytest.fixture(scope="module")
def key_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("keys")


@pytest.fixture(scope="module")
def key(key_dir: Path) -> SigningKey:
    return ensure_demo_keys(key_dir, agency_name=AGENCY)


@pytest.fixture(scope="module")
def roots(key_dir: Path, key: SigningKey) -> list[Path]:
    return [demo_root(key_dir)]


@pytest.fixture(scope="module")
def stranger_key(tmp_path_factory: pytest.TempPathFactory) -> SigningKey:
    """A certificate from a CA nobody configured as trusted."""
    return ensure_demo_keys(tmp_path_factory.mktemp("stranger"), agency_name="Công ty Lạ")


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return HTML(string='<p>Quyết định số 12/QĐ-SNV</p><p style="break-before: page">Nơi nhận: như trên</p>').write_pdf()


def _sign(pdf: bytes, key: SigningKey, **kwargs) -> bytes:
    args = {"signer_name": "Nguyễn Văn Đức", "position": "Giám đốc", "agency_name": AGENCY, "at": SIGNED_AT}
    return sign_pdf(pdf, key=key, **(args | kwargs))


@pytest.fixture(scope="module")
def signed(pdf: bytes, key: SigningKey) -> bytes:
    return _sign(pdf, key, location="Quang Ngai")


def _signature_widgets(pdf: bytes, page: int) -> list:
    annots = PdfReader(BytesIO(pdf)).pages[page].get("/Annots") or []
    return [a.get_object() for a in annots if a.get_object().get("/FT") == "/Sig"]


def test_a_signed_document_verifies_as_valid_and_trusted(signed: bytes, roots: list[Path]) -> None:
    [report] = verify_pdf(signed, roots=roots)

    assert (report.intact, report.valid, report.trusted, report.whole_document) == (True, True, True, True)
    assert report.ok and report.problems == ()
    assert report.field == "ChuKy1"
    assert report.signer == AGENCY and report.organisation == AGENCY
    assert report.signed_at is not None and abs(report.signed_at - SIGNED_AT) <= dt.timedelta(seconds=1)
    assert report.summary.startswith("Chữ ký hợp lệ của Sở Nội vụ tỉnh Quảng Ngãi, ký lúc 05/03/2026 08:30")


def test_signing_adds_an_incremental_update_and_keeps_the_original_bytes(pdf: bytes, signed: bytes) -> None:
    assert signed.startswith(pdf)
    assert b"/ETSI.CAdES.detached" in signed


def test_the_stamp_shows_who_signed_in_vietnamese_at_the_bottom_right_of_the_last_page(signed: bytes) -> None:
    reader = PdfReader(BytesIO(signed))
    assert _signature_widgets(signed, 0) == []
    [widget] = _signature_widgets(signed, -1)

    text = reader.pages[-1].extract_xform_text(widget["/AP"]["/N"].get_object())
    assert "Ký bởi: Nguyễn Văn Đức" in text
    assert "Giám đốc — Sở Nội vụ tỉnh Quảng Ngãi" in text
    assert "Thời gian: 05/03/2026 08:30" in text  # Việt Nam time, not UTC

    x0, y0, x1, y1 = (float(v) for v in widget["/Rect"])
    width, height = (float(v) for v in reader.pages[-1].mediabox.upper_right)
    assert x0 > width / 2 and y1 < height / 4
    assert 190 < x1 - x0 < 210 and 65 < y1 - y0 < 76  # about 70 × 25 mm


def test_the_stamp_font_is_embedded_with_widths_in_pdf_units(signed: bytes) -> None:
    """pyHanko copies widths in the font's own units (2048 per em for DejaVu): letters drawn far apart."""
    [widget] = _signature_widgets(signed, -1)
    fonts = widget["/AP"]["/N"].get_object()["/Resources"]["/Font"]
    [cid_font] = [f.get_object()["/DescendantFonts"][0].get_object() for f in fonts.values()]
    widths = [w for item in cid_font["/W"] if isinstance(item, list) for w in item]
    assert widths and max(widths) <= 1000
    assert "/FontFile2" in cid_font["/FontDescriptor"].get_object()


def _flip_content_byte(signed: bytes) -> bytes:
    at = signed.index(b"stream\n") + 40  # inside the first page's compressed content
    return signed[:at] + bytes([signed[at] ^ 0x01]) + signed[at + 1 :]


def _change_location(signed: bytes) -> bytes:
    assert signed.count(b"(Quang Ngai)") == 1
    return signed.replace(b"(Quang Ngai)", b"(Quang Nam!)")


@pytest.mark.parametrize("tamper", [_flip_content_byte, _change_location])
def test_a_document_changed_inside_the_signed_bytes_is_reported_not_intact(
    signed: bytes, roots: list[Path], tamper
) -> None:
    [report] = verify_pdf(tamper(signed), roots=roots)

    assert not report.intact and not report.valid and not report.ok
    assert signing.TAMPERED in report.problems
    assert "KHÔNG hợp lệ" in report.summary


def test_a_certificate_from_an_unconfigured_root_is_valid_but_not_trusted(
    pdf: bytes, stranger_key: SigningKey, roots: list[Path]
) -> None:
    [report] = verify_pdf(_sign(pdf, stranger_key), roots=roots)

    assert report.intact and report.valid and report.whole_document
    assert not report.trusted and not report.ok
    assert report.problems == (signing.UNTRUSTED,)
    assert report.signer == "Công ty Lạ"


def test_with_no_roots_configured_nothing_is_trusted(signed: bytes, settings) -> None:
    settings.SIGNING_TRUST_ROOTS = []
    [report] = verify_pdf(signed)
    assert report.valid and not report.trusted


def test_page_content_added_after_signing_makes_the_signature_not_cover_the_document(
    signed: bytes, roots: list[Path]
) -> None:
    writer = IncrementalPdfFileWriter(BytesIO(signed))
    forged = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 600 Td (DA SUA) Tj ET"))
    writer.add_stream_to_page(0, forged)
    out = BytesIO()
    writer.write(out)

    [report] = verify_pdf(out.getvalue(), roots=roots)

    assert report.intact and report.valid and report.trusted
    assert not report.whole_document and not report.ok
    assert signing.MODIFIED_AFTER in report.problems


def test_a_second_signature_keeps_the_first_one_valid(signed: bytes, key: SigningKey, roots: list[Path]) -> None:
    twice = _sign(signed, key, signer_name="Trần Thị Bình", position="Phó Giám đốc")

    reports = verify_pdf(twice, roots=roots)

    assert [r.field for r in reports] == ["ChuKy1", "ChuKy2"]
    assert all(r.ok for r in reports), [r.problems for r in reports]
    first, second = _signature_widgets(twice, -1)
    assert float(second["/Rect"][1]) > float(first["/Rect"][3])  # stacked, not on top of each other


def test_an_unsigned_pdf_has_no_signatures(pdf: bytes, roots: list[Path]) -> None:
    assert verify_pdf(pdf, roots=roots) == []


def test_a_damaged_signed_pdf_is_reported_not_raised(signed: bytes, roots: list[Path]) -> None:
    reports = verify_pdf(signed[: len(signed) * 2 // 3], roots=roots)
    assert reports and not any(r.ok for r in reports)


@pytest.mark.parametrize("data", [b"", b"hello", b"\x89PNG\r\n\x1a\n" + b"\0" * 100])
def test_bytes_that_are_not_a_pdf_are_refused(data: bytes, key: SigningKey) -> None:
    with pytest.raises(SigningError, match="PDF"):
        verify_pdf(data, roots=[])
    with pytest.raises(SigningError, match="PDF"):
        _sign(data, key)


def test_an_encrypted_pdf_cannot_be_signed(pdf: bytes, key: SigningKey) -> None:
    writer = PdfWriter(clone_from=BytesIO(pdf))
    writer.encrypt(user_password="", owner_password="chu-so-huu", algorithm="AES-128")
    out = BytesIO()
    writer.write(out)

    with pytest.raises(SigningError, match="mã hoá"):
        _sign(out.getvalue(), key)


def test_a_key_that_does_not_match_the_certificate_is_refused(
    pdf: bytes, key: SigningKey, stranger_key: SigningKey
) -> None:
    mismatched = SigningKey(cert_file=key.cert_file, key_file=stranger_key.key_file, passphrase=None)
    with pytest.raises(SigningError, match="không khớp"):
        _sign(pdf, mismatched)


def test_a_missing_key_file_is_refused(pdf: bytes, key: SigningKey, tmp_path: Path) -> None:
    missing = SigningKey(cert_file=key.cert_file, key_file=tmp_path / "none.key", passphrase=None)
    with pytest.raises(SigningError, match="Không đọc được"):
        _sign(pdf, missing)


def test_the_key_and_roots_come_from_settings(settings, key: SigningKey, roots: list[Path]) -> None:
    settings.SIGNING_CERT_FILE = None
    assert configured_key() is None

    settings.SIGNING_CERT_FILE = str(key.cert_file)
    settings.SIGNING_KEY_FILE = str(key.key_file)
    settings.SIGNING_KEY_PASSPHRASE = "bí mật"
    settings.SIGNING_CHAIN_FILES = [str(p) for p in key.chain_files]
    settings.SIGNING_TRUST_ROOTS = [str(p) for p in roots]

    assert configured_key() == SigningKey(key.cert_file, key.key_file, "bí mật".encode(), key.chain_files)
    assert trust_roots() == roots


def test_demo_keys_are_made_once_with_a_private_key_only_the_owner_can_read(key_dir: Path, key: SigningKey) -> None:
    before = {p.name: p.read_bytes() for p in key_dir.iterdir()}

    again = ensure_demo_keys(key_dir, agency_name=AGENCY)

    assert again == key
    assert {p.name: p.read_bytes() for p in key_dir.iterdir()} == before
    assert sorted(before) == ["agency.key", "agency.pem", "root.pem"]
    assert stat.S_IMODE(key.key_file.stat().st_mode) == 0o600
    assert re.search(rb"-----BEGIN CERTIFICATE-----", before["root.pem"])
