"""The text of an official document, for search and preview: the PDF's own text layer where it has one, and
Vietnamese OCR (Tesseract ``-l vie``) where a page is a scan or the file is a photo.

Tesseract and Poppler's ``pdftoppm`` run as subprocesses (no shell, in a temporary directory, with a deadline per
page) rather than through ocrmypdf: we only want the text, not a rebuilt PDF, and the two commands are all the
OCR stack ocrmypdf would drive anyway, without its Ghostscript, qpdf and Python dependency chain.

Uploaded files are hostile until proven otherwise: the number of pages OCR'd is capped (``OCR_MAX_PAGES``), each
page has a time limit (``OCR_TIMEOUT_SECONDS``), rasterised pages and decoded images are bounded in pixels, and
the text returned is bounded in length. No Django models; settings are read when a file is read, not at import.
"""

from __future__ import annotations

import io
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

TEXT_LAYER = "pdf-text"  # the file's own text (a PDF's text layer, a DOCX body): exact
OCR = "ocr"  # at least one page was read by OCR: close, not exact
NONE = "none"  # nothing was read (OCR off for a scan, a kind we do not read)

LANGUAGE = "vie"
MAX_CHARS = 1_000_000
DPI = 300
# Longest side, in pixels, of a page or image handed to Tesseract: A3 at 300 dpi. Larger pages are rendered at
# a lower resolution, larger images scaled down, so that a 200-inch page or a "decompression bomb" PNG cannot
# make a worker allocate gigabytes.
MAX_SIDE_PX = 7016
MAX_IMAGE_PIXELS = 89_478_485  # refused above this, before decoding: Pillow's own "decompression bomb" threshold
MIN_PAGE_CHARS = 16  # a page whose text layer has fewer letters and digits than this is treated as a scan
MAX_DOCX_XML_BYTES = 64 * 1024 * 1024  # uncompressed XML in a DOCX (a zip bomb is refused before parsing)

# The kinds of file (``motcua.core.files``) that hold text we can read; the others give method "none".
READABLE_KINDS = frozenset({"pdf", "png", "jpeg", "docx"})
_KNOWN_KINDS = READABLE_KINDS | {"xlsx", "odt", "doc", "xls"}

# C0/C1 control characters other than tab and newline (PostgreSQL refuses NUL in text), the byte-order mark,
# and what a PDF font without a Unicode map yields: U+FFFD and private-use code points.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufffd\ue000-\uf8ff]")
_BLANK_RUNS = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class Extracted:
    """``text`` is NFC, one space between words, at most one blank line between blocks, at most ``MAX_CHARS``.
    ``pages`` is the number of pages in the file (an image is one page; a DOCX has none until laid out: 0)."""

    text: str
    method: str  # "pdf-text" | "ocr" | "none"
    pages: int


class ExtractionError(Exception):
    """The file could not be read (damaged, encrypted, too large) or OCR is not installed; the message is for
    people, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --------------------------------------------------------------------------------------------------------
# Settings and tools


def _setting(name: str, default: int) -> int:
    """A positive integer setting; defaults when Django is not configured (a script, a benchmark)."""
    try:
        from django.conf import settings

        value = getattr(settings, name, default)
    except Exception:  # ImproperlyConfigured outside Django
        value = default
    try:
        value = int(value)
    except (TypeError, ValueError):
        return default
    return value if value > 0 else default


def _max_pages() -> int:
    return _setting("OCR_MAX_PAGES", 50)


def _timeout() -> int:
    return _setting("OCR_TIMEOUT_SECONDS", 120)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # Tesseract's OpenMP threads fight over a small machine: one A4 page takes ~13 s with them and ~2 s without
    # on 2 cores. Parallelism belongs to the workers, one file each.
    env["OMP_THREAD_LIMIT"] = "1"
    env.setdefault("LC_ALL", "C.UTF-8")
    return env


def _run(argv: list[str], cwd: str, timeout: float, what: str) -> bytes:
    """Run a tool without a shell; its stdout, or an ExtractionError that says ``what`` failed."""
    if timeout <= 0:
        raise ExtractionError(f"{what}: quá thời gian cho phép.")
    try:
        done = subprocess.run(  # noqa: S603 — argv is a list, the program an absolute path from shutil.which
            argv, cwd=cwd, env=_env(), stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, check=False,
        )
    except subprocess.TimeoutExpired as exc:  # subprocess.run has killed the tool
        raise ExtractionError(f"{what}: quá thời gian cho phép (tối đa {_timeout()} giây mỗi trang).") from exc
    except OSError as exc:
        raise ExtractionError(f"{what}: máy chủ không chạy được {Path(argv[0]).name}.") from exc
    if done.returncode != 0:
        # The tool's own words (English, with temporary paths) go to the log, not to the person.
        logger.warning("%s exited with %s: %s", argv[0], done.returncode, done.stderr[-2000:])
        raise ExtractionError(f"{what}: không thành công (tệp có thể bị hỏng).")
    return done.stdout


def ocr_available() -> bool:
    """Whether Tesseract is on PATH with the Vietnamese model (``tesseract-ocr-vie``)."""
    return _tesseract() is not None


def _tesseract() -> str | None:
    exe = shutil.which("tesseract")
    if exe is None:
        return None
    try:
        done = subprocess.run(  # noqa: S603
            [exe, "--list-langs"], env=_env(), stdin=subprocess.DEVNULL, capture_output=True, timeout=30, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    # The list goes to stdout in Tesseract 4/5 and to stderr in 3; its first line is a heading.
    listed = (done.stdout + b"\n" + done.stderr).decode("utf-8", "replace").split()
    return exe if LANGUAGE in listed else None


def _require_tesseract() -> str:
    exe = _tesseract()
    if exe is None:
        raise ExtractionError(
            "Máy chủ chưa cài phần mềm nhận dạng chữ Tesseract với dữ liệu tiếng Việt "
            "(gói tesseract-ocr và tesseract-ocr-vie), nên chưa đọc được tệp quét hoặc ảnh chụp.",
        )
    return exe


def _require_pdftoppm() -> str:
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise ExtractionError(
            "Máy chủ chưa cài công cụ chuyển trang PDF thành ảnh (gói poppler-utils), nên chưa nhận dạng được "
            "chữ trên trang PDF quét.",
        )
    return exe


# --------------------------------------------------------------------------------------------------------
# Text clean-up


def _clean(text: str) -> str:
    """NFC; control characters gone; each line single-spaced and trimmed; no more than one blank line."""
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def _join(parts: list[str]) -> str:
    return _clean("\n\n".join(part for part in parts if part))[:MAX_CHARS].rstrip()


def _has_text(text: str) -> bool:
    """Whether a page's text layer is real text: enough letters and digits, and not mostly unmapped glyphs
    (U+FFFD, private-use code points), which a PDF made with fonts lacking a Unicode map yields."""
    meaningful = sum(ch.isalnum() for ch in text)
    if meaningful < MIN_PAGE_CHARS:
        return False
    junk = sum(ch == "\ufffd" or unicodedata.category(ch) == "Co" for ch in text)
    return junk * 3 < meaningful


# --------------------------------------------------------------------------------------------------------
# OCR


def _ocr_file(tesseract: str, path: Path, workdir: str, deadline: float, what: str, dpi: int | None = None) -> str:
    argv = [tesseract, str(path), "stdout", "-l", LANGUAGE]
    if dpi:
        argv += ["--dpi", str(dpi)]
    out = _run(argv, workdir, deadline - time.monotonic(), what)
    return out.decode("utf-8", "replace")


def _image_for_ocr(data: bytes, workdir: str) -> tuple[Path, int | None]:
    """The image decoded with Pillow and written back as a plain grey PNG: EXIF rotation applied (phone photos),
    transparency flattened on white (Tesseract sees transparent pixels as black), size bounded."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    too_large = "Ảnh quá lớn ({} điểm ảnh); hãy chụp hoặc quét lại ở độ phân giải thấp hơn."
    try:
        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ExtractionError(too_large.format(f"{width}×{height}"))
            dpi = img.info.get("dpi")
            if max(width, height) > MAX_SIDE_PX:
                img.draft("L", (MAX_SIDE_PX, MAX_SIDE_PX))  # JPEG: decode at a reduced scale
                dpi = None
            img = ImageOps.exif_transpose(img)
            if img.mode in {"RGBA", "LA", "PA"} or (img.mode == "P" and "transparency" in img.info):
                rgba = img.convert("RGBA")
                img = Image.new("RGBA", rgba.size, "white")
                img.alpha_composite(rgba)
            img = img.convert("L")
            if max(img.size) > MAX_SIDE_PX:
                img.thumbnail((MAX_SIDE_PX, MAX_SIDE_PX))
            path = Path(workdir) / "image.png"
            img.save(path, "PNG", compress_level=1)
    except ExtractionError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own check when it reads the header: an error above twice its limit, a warning above it (which
        # the test suite, and a strict deployment, turn into an exception).
        raise ExtractionError(too_large.format("hàng trăm triệu")) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ExtractionError("Không đọc được ảnh: tệp bị hỏng hoặc không đúng định dạng.") from exc
    resolution = None
    if dpi and isinstance(dpi, tuple) and 70 <= round(float(dpi[0])) <= 1200:
        resolution = round(float(dpi[0]))
    return path, resolution


def _ocr_image(data: bytes) -> Extracted:
    tesseract = _require_tesseract()
    with tempfile.TemporaryDirectory(prefix="motcua-ocr-") as workdir:
        path, dpi = _image_for_ocr(data, workdir)
        text = _ocr_file(tesseract, path, workdir, time.monotonic() + _timeout(), "Nhận dạng chữ trên ảnh", dpi)
    return Extracted(text=_join([text]), method=OCR, pages=1)


# --------------------------------------------------------------------------------------------------------
# PDF


def _page_dpi(page: Any) -> int:
    """300 dpi, or less for a page so large that 300 dpi would exceed ``MAX_SIDE_PX``."""
    try:
        box = page.mediabox
        longest = max(abs(float(box.width)), abs(float(box.height))) * float(page.user_unit or 1)
    except Exception:  # a damaged box: pdftoppm's crop (-W/-H) still bounds the pixels
        return DPI
    if not longest or longest != longest:  # zero or NaN
        return DPI
    return max(1, min(DPI, int(MAX_SIDE_PX * 72 / longest)))


def _pdf_reader(data: bytes) -> Any:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractionError("Tệp PDF được đặt mật khẩu; hãy gửi bản không đặt mật khẩu.")
        count = len(reader.pages)
    except ExtractionError:
        raise
    except Exception as exc:  # pypdf raises many kinds on damaged files (PdfReadError, KeyError, ValueError…)
        raise ExtractionError("Không đọc được tệp PDF: tệp bị hỏng hoặc không đúng định dạng.") from exc
    if count == 0:
        raise ExtractionError("Không đọc được tệp PDF: tệp không có trang nào.")
    return reader


def _page_text(page: Any) -> str:
    try:
        return page.extract_text() or ""
    except Exception:  # one damaged content stream: treat the page as having no text layer
        logger.info("pypdf could not read a page's text layer", exc_info=True)
        return ""


def _pdf(data: bytes, ocr: bool) -> Extracted:
    reader = _pdf_reader(data)
    pages = list(reader.pages)
    texts: list[str] = []
    to_ocr: list[int] = []  # indexes of pages whose text layer is (almost) empty
    total = 0
    for index, page in enumerate(pages):
        if total >= MAX_CHARS:
            break
        text = _page_text(page)
        if not _has_text(text):
            to_ocr.append(index)  # its few words (a page number, a stamp) stay unless OCR reads the page
        total += len(text)
        texts.append(text)
    if not to_ocr or not ocr:
        text = _join(texts)
        return Extracted(text=text, method=TEXT_LAYER if text else NONE, pages=len(pages))

    # Only the first OCR_MAX_PAGES pages without text are OCR'd: OCR is the costly part, a text layer is cheap.
    to_ocr = to_ocr[:_max_pages()]
    tesseract, pdftoppm = _require_tesseract(), _require_pdftoppm()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="motcua-ocr-") as workdir:
        source = Path(workdir) / "input.pdf"
        source.write_bytes(data)
        for index in to_ocr:
            if sum(map(len, texts)) >= MAX_CHARS:
                break
            texts[index] = _ocr_pdf_page(tesseract, pdftoppm, source, workdir, index, _page_dpi(pages[index]))
    logger.info("OCR of %d PDF page(s) took %.1f s", len(to_ocr), time.monotonic() - started)
    return Extracted(text=_join(texts), method=OCR, pages=len(pages))


def _ocr_pdf_page(tesseract: str, pdftoppm: str, source: Path, workdir: str, index: int, dpi: int) -> str:
    number = index + 1
    what = f"Nhận dạng chữ trang {number}"
    deadline = time.monotonic() + _timeout()
    stem = Path(workdir) / f"page-{number}"
    # Grey PGM (no compression to spend time on); -W/-H crop at MAX_SIDE_PX whatever the page claims its size is.
    argv = [pdftoppm, "-q", "-r", str(dpi), "-gray", "-f", str(number), "-l", str(number),
            "-x", "0", "-y", "0", "-W", str(MAX_SIDE_PX), "-H", str(MAX_SIDE_PX), "-singlefile", str(source), str(stem)]
    _run(argv, workdir, deadline - time.monotonic(), what)
    image = stem.with_suffix(".pgm")
    if not image.exists():
        raise ExtractionError(f"{what}: không chuyển được trang PDF thành ảnh.")
    try:
        return _ocr_file(tesseract, image, workdir, deadline, what, dpi)
    finally:
        image.unlink(missing_ok=True)


# --------------------------------------------------------------------------------------------------------
# DOCX


def _docx(data: bytes) -> Extracted:
    import docx

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml_bytes = sum(i.file_size for i in archive.infolist() if i.filename.endswith((".xml", ".rels")))
        if xml_bytes > MAX_DOCX_XML_BYTES:
            raise ExtractionError("Tệp DOCX quá lớn để đọc nội dung.")
        document = docx.Document(io.BytesIO(data))
        lines = list(_docx_lines(document))
    except ExtractionError:
        raise
    except Exception as exc:  # BadZipFile, KeyError (a missing part), lxml's XMLSyntaxError, ValueError…
        raise ExtractionError("Không đọc được tệp DOCX: tệp bị hỏng hoặc không đúng định dạng.") from exc
    text = _join(["\n".join(lines)])
    return Extracted(text=text, method=TEXT_LAYER if text else NONE, pages=0)


def _docx_lines(container: Any) -> Iterator[str]:
    """Paragraphs and tables in document order (the body, or a table cell)."""
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            yield from _table_lines(block)
        else:
            yield block.text


def _table_lines(table: Any) -> Iterator[str]:
    """A row is one line, its cells separated by " | " (a merged cell once); a table inside a cell follows its
    row."""
    from docx.table import Table

    for row in table.rows:
        seen: set[Any] = set()  # the cells' XML elements (a cell merged across columns comes once per column)
        cells: list[str] = []
        nested: list[str] = []
        for cell in row.cells:
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            own: list[str] = []
            for inner in cell.iter_inner_content():
                if isinstance(inner, Table):
                    nested.extend(_table_lines(inner))
                else:
                    own.append(inner.text)
            cells.append(" ".join(" ".join(own).split()))
        if any(cells):
            yield " | ".join(cells)
        yield from nested


# --------------------------------------------------------------------------------------------------------


def text_of(data: bytes, kind: str, *, ocr: bool = True) -> Extracted:
    """The text of a file of ``kind`` (a ``motcua.core.files`` kind, already checked against the content).

    PDF: each page's text layer; a page with (almost) none is rasterised at 300 dpi and OCR'd in Vietnamese,
    up to ``OCR_MAX_PAGES`` pages, each within ``OCR_TIMEOUT_SECONDS``. PNG/JPEG: OCR. DOCX: paragraphs and
    table cells. With ``ocr=False`` nothing is OCR'd (a quick pass; run again later with OCR).
    XLSX, ODT, DOC, XLS are not read: method "none". Raises ExtractionError for a damaged or encrypted file,
    or when OCR is needed and Tesseract with ``vie`` (or pdftoppm, for a PDF) is not installed.
    """
    if kind not in _KNOWN_KINDS:
        raise ValueError(f"unknown file kind: {kind!r}")
    if not data:
        raise ExtractionError("Tệp rỗng.")
    if kind == "pdf":
        return _pdf(data, ocr)
    if kind in {"png", "jpeg"}:
        return _ocr_image(data) if ocr else Extracted(text="", method=NONE, pages=1)
    if kind == "docx":
        return _docx(data)
    return Extracted(text="", method=NONE, pages=0)
