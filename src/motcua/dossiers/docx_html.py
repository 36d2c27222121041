"""The printed forms as Word documents: a small converter from the HTML our form templates use to a
python-docx ``Document``, so that one template gives both the PDF (WeasyPrint) and the DOCX an officer can
still edit before signing.

Pure (no Django). It understands only what the templates use, and ignores the rest rather than failing:

- blocks ``h1``–``h3``, ``p``, ``div`` (and any other unknown element, treated as a ``div``); ``head``,
  ``style``, ``script`` and ``title`` are skipped;
- inline ``strong``/``b``, ``em``/``i``, ``u``, ``span``, ``br`` and ``img`` with a ``data:`` PNG or JPEG
  (other images, SVG included, are left out: Word cannot show them);
- ``table``/``thead``/``tbody``/``tfoot``/``tr``/``th``/``td`` with ``colspan``; ``class="grid"`` on the
  table draws its borders; ``width="NN%"`` on a cell sets its column's width;
- classes ``center``, ``right``, ``left``, ``justify`` (alignment, inherited) and ``xsmall``, ``small``,
  ``large``, ``xlarge`` (font size relative to the body size, inherited) — the same classes the forms'
  CSS defines, so the two outputs agree.

Whitespace collapses as in HTML.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.shared import Emu, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

__all__ = ["PAGE_SIZES", "convert", "to_bytes"]

PAGE_SIZES = {"A4": (210, 297), "A5": (148, 210)}  # portrait width, height in mm
VOID = frozenset({"br", "img", "hr", "meta", "link", "col", "input", "wbr"})
SKIPPED = frozenset({"head", "style", "script", "title", "template"})
INLINE = frozenset({"strong", "b", "em", "i", "u", "span", "br", "img", "a", "small", "sup", "sub", "wbr"})
TABLE_PARTS = frozenset({"thead", "tbody", "tfoot"})
ALIGN = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
         "left": WD_ALIGN_PARAGRAPH.LEFT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}
SIZE_STEPS = {"xsmall": -3, "small": -2, "large": 2, "xlarge": 4}
HEADING_STEPS = {"h1": 3, "h2": 2, "h3": 1}
_SPACE = re.compile(r"[ \t\n\r\f]+")  # not \s: a non-breaking space is kept, as in HTML
_LENGTH = re.compile(r"width\s*:\s*([\d.]+)\s*(mm|cm|in|pt|px)", re.IGNORECASE)
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|jpg|gif|bmp);base64,(.*)$", re.IGNORECASE | re.DOTALL)


# --------------------------------------------------------------------------------------------------------
# Parsing into a small tree


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def elements(self, *tags: str) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node) and (not tags or c.tag in tags)]


class _TreeBuilder(HTMLParser):
    """Lenient: an end tag closes the nearest open element of that name; stray end tags are ignored."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping or tag in SKIPPED:
            self.skipping += tag in SKIPPED and tag not in VOID
            return
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.skipping and tag not in SKIPPED:
            self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.skipping -= tag in SKIPPED
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


# --------------------------------------------------------------------------------------------------------
# Writing


@dataclass(frozen=True)
class Format:
    bold: bool = False
    italic: bool = False
    underline: bool = False
    step: int = 0                      # points above or below the body size
    align: WD_ALIGN_PARAGRAPH | None = None

    def inherit(self, node: Node) -> Format:
        f = self
        tag, classes = node.tag, node.classes
        if tag in ("strong", "b", "th") or tag in HEADING_STEPS:
            f = replace(f, bold=True)
        if tag in ("em", "i"):
            f = replace(f, italic=True)
        if tag == "u":
            f = replace(f, underline=True)
        if tag in HEADING_STEPS:
            f = replace(f, step=f.step + HEADING_STEPS[tag])
        if tag == "th":
            f = replace(f, align=WD_ALIGN_PARAGRAPH.CENTER)
        for name in classes:
            if name in ALIGN:
                f = replace(f, align=ALIGN[name])
            if name in SIZE_STEPS:
                f = replace(f, step=SIZE_STEPS[name])
        return f


@dataclass
class _Piece:
    kind: str                          # "text", "break" or "image"
    text: str = ""
    fmt: Format = Format()
    image: bytes = b""
    width: Emu | None = None


class _Box:
    """Where paragraphs and tables go: the document body or a table cell (which starts with an empty
    paragraph that must be used first)."""

    def __init__(self, target: DocxDocument | _Cell) -> None:
        self.target = target
        self.fresh: Paragraph | None = target.paragraphs[0] if isinstance(target, _Cell) else None

    def paragraph(self) -> Paragraph:
        if self.fresh is not None:
            paragraph, self.fresh = self.fresh, None
            return paragraph
        return self.target.add_paragraph()

    def table(self, rows: int, cols: int) -> Table:
        return self.target.add_table(rows=rows, cols=cols)


class _Writer:
    def __init__(self, document: DocxDocument, size: float) -> None:
        self.document = document
        self.size = size
        section = document.sections[-1]
        self.text_width = section.page_width - section.left_margin - section.right_margin

    # Blocks ------------------------------------------------------------------------------------------

    def blocks(self, node: Node, box: _Box, fmt: Format) -> None:
        """Inline content gathers into paragraphs; each block child ends the current one."""
        pieces: list[_Piece] = []
        for child in node.children:
            if isinstance(child, str) or child.tag in INLINE:
                self.inline(child, fmt, pieces)
                continue
            self.flush(pieces, box, fmt)
            pieces = []
            self.block(child, box, fmt)
        self.flush(pieces, box, fmt)

    def block(self, node: Node, box: _Box, fmt: Format) -> None:
        if node.tag == "hr":
            return
        if node.tag == "table":
            self.table(node, box, fmt)
            return
        self.blocks(node, box, fmt.inherit(node))

    def flush(self, pieces: list[_Piece], box: _Box, fmt: Format) -> None:
        pieces = _collapse(pieces)
        if not pieces:
            return
        paragraph = box.paragraph()
        if fmt.align is not None:
            paragraph.alignment = fmt.align
        for piece in pieces:
            if piece.kind == "break":
                paragraph.add_run().add_break()
            elif piece.kind == "image":
                paragraph.add_run().add_picture(io.BytesIO(piece.image), width=piece.width)
            else:
                run = paragraph.add_run(piece.text)
                run.bold = piece.fmt.bold or None
                run.italic = piece.fmt.italic or None
                run.underline = piece.fmt.underline or None
                if piece.fmt.step:
                    run.font.size = Pt(max(self.size + piece.fmt.step, 5))

    # Inline ------------------------------------------------------------------------------------------

    def inline(self, node: Node | str, fmt: Format, pieces: list[_Piece]) -> None:
        if isinstance(node, str):
            pieces.append(_Piece("text", node, fmt))
        elif node.tag == "br":
            pieces.append(_Piece("break"))
        elif node.tag == "img":
            image = _image(node.attrs.get("src", ""))
            if image is not None:
                pieces.append(_Piece("image", image=image, width=_length(node.attrs.get("style", ""))))
            elif alt := node.attrs.get("alt", "").strip():
                pieces.append(_Piece("text", alt, fmt))
        else:
            inner = fmt.inherit(node)
            for child in node.children:
                self.inline(child, inner, pieces)

    # Tables ------------------------------------------------------------------------------------------

    def table(self, node: Node, box: _Box, fmt: Format) -> None:
        rows = [row for row in _rows(node) if row.elements("td", "th")]
        if not rows:
            return
        width = max(sum(_span(cell) for cell in row.elements("td", "th")) for row in rows)
        table = box.table(len(rows), width)
        if "grid" in node.classes:
            table.style = self.document.styles["Table Grid"]
        fmt = fmt.inherit(node)
        widths: dict[int, Emu] = {}
        trs = table._tbl.tr_lst  # once: python-docx rebuilds its row and cell lists on every access
        for r, row in enumerate(rows):
            row_fmt = fmt.inherit(row)
            column = 0
            for cell_node in row.elements("td", "th"):
                span = min(_span(cell_node), width - column)
                if span <= 0:
                    break
                cell = _cell_at(table, trs[r], column)
                if span > 1:
                    cell = cell.merge(_cell_at(table, trs[r], column + span - 1))
                elif (share := _percent(cell_node.attrs.get("width", ""))) is not None:
                    widths.setdefault(column, Emu(int(self.text_width * share)))
                self.blocks(cell_node, _Box(cell), row_fmt.inherit(cell_node))
                column += span
        if widths:
            self.set_widths(table, widths, width)

    def set_widths(self, table: Table, widths: dict[int, Emu], count: int) -> None:
        """Columns given a share keep it; the others share what is left equally."""
        rest = [c for c in range(count) if c not in widths]
        if rest:
            left = max(self.text_width - sum(widths.values()), Mm(5) * len(rest))
            widths = {**widths, **{c: Emu(int(left / len(rest))) for c in rest}}
        table.autofit = False
        for column, value in widths.items():
            table.columns[column].width = value
            for cell in table.columns[column].cells:
                cell.width = value


def _cell_at(table: Table, tr: CT_Row, column: int) -> _Cell:
    """The cell of row ``tr`` that covers grid ``column``, found in that row alone: python-docx's
    ``Table.cell`` lists every cell of the table on each call, which made a 700-row dossier log take minutes."""
    seen = 0
    for tc in tr.tc_lst:
        if seen <= column < seen + tc.grid_span:
            return _Cell(tc, table)
        seen += tc.grid_span
    raise IndexError(f"no cell at grid column {column}")


def _rows(table: Node) -> list[Node]:
    rows: list[Node] = []
    for child in table.elements():
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in TABLE_PARTS:
            rows.extend(child.elements("tr"))
    return rows


def _span(cell: Node) -> int:
    try:
        return max(1, min(int(cell.attrs.get("colspan", "1")), 63))
    except ValueError:
        return 1


def _percent(value: str) -> float | None:
    match = re.fullmatch(r"\s*([\d.]+)\s*%\s*", value)
    if not match:
        return None
    share = float(match[1]) / 100
    return share if 0 < share <= 1 else None


def _length(style: str) -> Emu | None:
    match = _LENGTH.search(style)
    if not match:
        return None
    value, unit = float(match[1]), match[2].lower()
    mm = {"mm": 1, "cm": 10, "in": 25.4, "pt": 25.4 / 72, "px": 25.4 / 96}[unit] * value
    return Mm(mm) if mm > 0 else None


def _image(src: str) -> bytes | None:
    match = _DATA_IMAGE.match(src.strip())
    if not match:
        return None
    try:
        return base64.b64decode(match[2], validate=False)
    except (binascii.Error, ValueError):
        return None


def _collapse(pieces: list[_Piece]) -> list[_Piece]:
    """HTML whitespace: runs of spaces become one, none at the start or end of a line."""
    out: list[_Piece] = []
    at_line_start = True
    for piece in pieces:
        if piece.kind != "text":
            if piece.kind == "break" and out and out[-1].kind == "text":
                out[-1].text = out[-1].text.rstrip(" ")
            out.append(piece)
            at_line_start = piece.kind == "break"
            continue
        text = _SPACE.sub(" ", piece.text)
        if at_line_start:
            text = text.lstrip(" ")
        if not text:
            continue
        out.append(_Piece("text", text, piece.fmt))
        at_line_start = text.endswith(" ")
    while out and out[-1].kind == "text":
        out[-1].text = out[-1].text.rstrip(" ")
        if out[-1].text:
            break
        out.pop()
    return [p for p in out if p.kind != "text" or p.text]


# --------------------------------------------------------------------------------------------------------
# Entry points


def convert(html: str, *, page_size: str = "A4", landscape: bool = False, font: str = "Times New Roman",
            size: float = 12, margins_mm: tuple[float, float, float, float] = (20, 15, 20, 25)) -> DocxDocument:
    """A Word document of ``html`` on the given page (``margins_mm``: top, right, bottom, left)."""
    document = Document()
    section = document.sections[0]
    width, height = PAGE_SIZES.get(page_size, PAGE_SIZES["A4"])
    if landscape:
        width, height = height, width
        section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin, section.right_margin, section.bottom_margin, section.left_margin = (Mm(m) for m in margins_mm)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = font, Pt(size)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    normal.paragraph_format.space_after = Pt(2)
    normal.paragraph_format.space_before = Pt(0)
    _Writer(document, size).blocks(parse(html), _Box(document), Format())
    if document.element.body.xpath("./*[not(self::w:sectPr)][last()][self::w:tbl]"):
        document.add_paragraph()  # Word wants a paragraph after a table that ends the document
    return document


def to_bytes(document: DocxDocument) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
