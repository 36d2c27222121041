"""The text of a document: PDF text layer, Vietnamese OCR of scans and photos, DOCX, and hostile input.

These tests need Tesseract with the Vietnamese model and Poppler (``make test`` installs tesseract-ocr,
tesseract-ocr-vie and poppler-utils). They fail, not skip, when those are missing: a suite that skips OCR
would pass on a server that cannot read a single scan.
"""

from __future__ import annotations

import io
import os
import struct
import time
import zlib

import docx
import pytest
import weasyprint
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter

from motcua.core.text import fold_key
from motcua.documents import extract
from motcua.documents.extract import Extracted, ExtractionError, ocr_available, text_of

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
TITLE = "CÔNG VĂN SỐ 12/SNV-VP"
SUBJECT = "Về việc tuyển dụng công chức năm 2026"


def page_image(lines: list[str], size: int = 50, width: int | None = None) -> Image.Image:
    """Black DejaVu Sans on white: ``size`` px is 12 pt at 300 dpi."""
    font = ImageFont.truetype(FONT, size)
    width = width or int(size * 0.7 * max(map(len, lines))) + 2 * size
    img = Image.new("L", (width, int(size * 1.8 * len(lines)) + 2 * size), 255)
    draw = ImageDraw.Draw(img)
    for n, line in enumerate(lines):
        draw.text((size, size + int(n * size * 1.8)), line, font=font, fill=0)
    return img


def encoded(img: Image.Image, fmt: str, **options) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **options)
    return buf.getvalue()


def scanned_pdf(*images: Image.Image) -> bytes:
    """What a scanner makes: each page one image, no text layer."""
    first, *rest = images
    return encoded(first, "PDF", resolution=300, save_all=True, append_images=rest)


def text_pdf(body: str) -> bytes:
    return weasyprint.HTML(string=f"<html><body style='font-family: DejaVu Sans'>{body}</body></html>").write_pdf()


def test_ocr_is_installed():
    assert ocr_available(), "cài Tesseract tiếng Việt: apt-get install tesseract-ocr tesseract-ocr-vie poppler-utils"


@pytest.mark.parametrize("size", [28, 50])
def test_a_vietnamese_image_is_read_with_its_diacritics(size):
    got = text_of(encoded(page_image([TITLE, SUBJECT], size), "PNG"), "png")

    assert (got.method, got.pages) == ("ocr", 1)
    folded = fold_key(got.text)
    assert "cong van so 12" in folded
    assert "tuyen dung cong chuc" in folded
    # Tesseract's vie model reads clean DejaVu text exactly, tone marks and đ included, from 12 px to 64 px.
    assert "tuyển dụng công chức" in got.text
    assert TITLE in got.text


def test_a_phone_photo_is_turned_upright_from_its_exif_orientation():
    upright = page_image([TITLE, SUBJECT], 40)
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display": what a phone held upright writes
    photo = encoded(upright.rotate(90, expand=True).convert("RGB"), "JPEG", quality=90, exif=exif)

    got = text_of(photo, "jpeg")

    assert "tuyen dung cong chuc" in fold_key(got.text)


def test_a_pdf_with_a_text_layer_gives_its_exact_text_without_ocr(monkeypatch):
    pdf = text_pdf(f"<p>{TITLE}</p><p>Về   việc tuyển dụng\tcông chức năm 2026</p>")
    monkeypatch.setattr(extract, "_require_tesseract", lambda: pytest.fail("OCR ran on a PDF with text"))

    got = text_of(pdf, "pdf")

    assert got == Extracted(text=f"{TITLE}\n{SUBJECT}", method="pdf-text", pages=1)


def test_a_scanned_pdf_is_read_by_ocr():
    got = text_of(scanned_pdf(page_image([TITLE, SUBJECT], 50)), "pdf")

    assert (got.method, got.pages) == ("ocr", 1)
    assert "tuyen dung cong chuc" in fold_key(got.text)
    assert "cong van so 12" in fold_key(got.text)


def test_only_the_pages_without_text_are_ocr_d_and_the_order_is_kept():
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(text_pdf("<p>Trang một có lớp chữ: Sở Nội vụ tỉnh Bắc Ninh</p>"))))
    writer.append(PdfReader(io.BytesIO(scanned_pdf(page_image(["Trang hai là bản quét", SUBJECT], 40)))))
    buf = io.BytesIO()
    writer.write(buf)

    got = text_of(buf.getvalue(), "pdf")

    assert (got.method, got.pages) == ("ocr", 2)
    assert got.text.startswith("Trang một có lớp chữ: Sở Nội vụ tỉnh Bắc Ninh\n\n")
    assert "tuyen dung cong chuc" in fold_key(got.text.split("\n\n", 1)[1])


def test_without_ocr_a_scan_gives_no_text_and_says_so():
    scan = scanned_pdf(page_image([SUBJECT], 40))

    assert text_of(scan, "pdf", ocr=False) == Extracted(text="", method="none", pages=1)
    assert text_of(encoded(page_image([SUBJECT], 40), "PNG"), "png", ocr=False) == Extracted("", "none", 1)


def test_the_ocr_page_cap_is_honoured(settings):
    settings.OCR_MAX_PAGES = 2
    pages = [page_image([f"Trang số {n}"], 40, width=600) for n in ("một", "hai", "ba")]

    got = text_of(scanned_pdf(*pages), "pdf")

    assert got.pages == 3
    folded = fold_key(got.text)
    assert "trang so mot" in folded
    assert "trang so hai" in folded
    assert "trang so ba" not in folded


def test_a_docx_gives_its_paragraphs_and_table_cells_in_order():
    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph("Về   việc\ttuyển dụng công chức năm 2026")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Họ và tên"
    table.cell(0, 2).text = "Chức vụ"
    table.cell(1, 0).text = "Nguyễn Văn An"
    table.cell(1, 1).text = "Trưởng phòng"
    table.cell(1, 2).add_table(rows=1, cols=1).cell(0, 0).text = "Bảng lồng: Đặng Thị Bình"
    document.add_paragraph("Nguye\u0302\u0303n Thị Hoa")  # decomposed, as some editors save it
    buf = io.BytesIO()
    document.save(buf)

    got = text_of(buf.getvalue(), "docx")

    assert got.method == "pdf-text"  # the file's own text: exact
    assert got.text == (
        f"{TITLE}\n{SUBJECT}\nHọ và tên | Chức vụ\nNguyễn Văn An | Trưởng phòng |\n"
        "Bảng lồng: Đặng Thị Bình\nNguyễn Thị Hoa"
    )


def test_text_is_capped(monkeypatch):
    monkeypatch.setattr(extract, "MAX_CHARS", 100)
    document = docx.Document()
    for _ in range(50):
        document.add_paragraph("Văn bản dài " * 5)
    buf = io.BytesIO()
    document.save(buf)

    assert len(text_of(buf.getvalue(), "docx").text) <= 100


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "pdf"),
        (text_pdf("<p>Nội dung</p>")[:400], "pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "png"),
        (b"PK\x03\x04 not really a zip", "docx"),
        (b"", "pdf"),
    ],
    ids=["garbage-pdf", "truncated-pdf", "broken-png", "broken-docx", "empty"],
)
def test_a_damaged_file_is_refused_with_a_vietnamese_message(data, kind):
    with pytest.raises(ExtractionError) as refused:
        text_of(data, kind)

    assert any(word in refused.value.message for word in ("Không đọc được", "Tệp rỗng"))


def test_an_encrypted_pdf_is_read_when_it_opens_without_a_password_and_refused_otherwise():
    def encrypted(**passwords) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(f"<p>{SUBJECT}</p>"))))
        writer.encrypt(**passwords, algorithm="AES-128")
        buf = io.BytesIO()
        writer.write(buf)
        return buf.getvalue()

    assert text_of(encrypted(user_password="", owner_password="chu-so-huu"), "pdf").text == SUBJECT
    with pytest.raises(ExtractionError, match="mật khẩu"):
        text_of(encrypted(user_password="bi-mat", owner_password="chu-so-huu"), "pdf")


@pytest.mark.parametrize(("width", "height"), [(11_000, 10_000), (20_000, 20_000)])
def test_an_image_too_large_to_decode_is_refused_before_decoding(width, height):
    # A PNG header that claims 110 M or 400 M pixels (as many bytes to decode) and has no pixel data.
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"\x00" * 100)) + chunk(b"IEND", b""))

    with pytest.raises(ExtractionError, match="Ảnh quá lớn"):
        text_of(png, "png")


def test_a_huge_pdf_page_is_rendered_at_a_bounded_resolution():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)  # A4
    writer.add_blank_page(width=14_400, height=14_400)  # 200 × 200 inches

    a4, poster = writer.pages
    assert extract._page_dpi(a4) == 300
    assert extract._page_dpi(poster) * 14_400 / 72 <= extract.MAX_SIDE_PX


@pytest.fixture
def fake_tesseract(tmp_path, monkeypatch):
    """A ``tesseract`` that has Vietnamese but never finishes."""
    script = tmp_path / "tesseract"
    script.write_text('#!/bin/sh\nif [ "$1" = --list-langs ]; then echo vie; exit 0; fi\nexec sleep 30\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    return script


def test_a_page_that_takes_too_long_is_stopped(fake_tesseract, settings):
    settings.OCR_TIMEOUT_SECONDS = 1
    started = time.monotonic()

    with pytest.raises(ExtractionError, match="quá thời gian"):
        text_of(encoded(page_image([SUBJECT], 28), "PNG"), "png")

    assert time.monotonic() - started < 10


def test_without_tesseract_ocr_is_refused_clearly_but_text_layers_are_still_read(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing on it

    assert not ocr_available()
    with pytest.raises(ExtractionError, match="Tesseract"):
        text_of(encoded(page_image([SUBJECT], 28), "PNG"), "png")
    assert text_of(text_pdf(f"<p>{SUBJECT}</p>"), "pdf").text == SUBJECT


def test_kinds_without_readable_text_give_nothing_and_unknown_kinds_are_a_bug():
    assert text_of(b"PK\x03\x04...", "xlsx") == Extracted(text="", method="none", pages=0)
    with pytest.raises(ValueError, match="unknown file kind"):
        text_of(b"data", "exe")
