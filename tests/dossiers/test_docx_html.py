"""The HTML-to-Word converter on the small pieces of HTML the form templates are made of."""

from __future__ import annotations

import io

import docx
import segno
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from motcua.dossiers.docx_html import convert, to_bytes


def paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def test_paragraphs_keep_their_text_with_whitespace_collapsed_as_in_html():
    document = convert("<p>  Xin   chào\n  <strong>Trần Thị Mai</strong> </p><div>Địa chỉ:&nbsp;Hà Giang</div>")
    assert paragraphs(document) == ["Xin chào Trần Thị Mai", "Địa chỉ:\xa0Hà Giang"]


def test_bold_and_italic_become_runs_and_a_line_break_a_break():
    document = convert("<p>Ông/Bà: <b>Trần <em>Thị</em> Mai</b><br>  Dòng hai</p>")
    runs = [(r.text, bool(r.bold), bool(r.italic)) for r in document.paragraphs[0].runs]
    assert runs == [("Ông/Bà: ", False, False), ("Trần ", True, False), ("Thị", True, True), (" Mai", True, False),
                    ("\n", False, False), ("Dòng hai", False, False)]


def test_alignment_and_size_classes_and_headings():
    document = convert('<h1 class="center">GIẤY TIẾP NHẬN</h1><div class="right"><p class="small">Trang</p></div>'
                       '<p class="large">To</p>', size=12)
    title, right, large = document.paragraphs
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.runs[0].bold and title.runs[0].font.size == Pt(15)
    assert right.alignment == WD_ALIGN_PARAGRAPH.RIGHT and right.runs[0].font.size == Pt(10)
    assert large.runs[0].font.size == Pt(14)


def test_head_style_and_script_are_left_out():
    document = convert("<html><head><title>Mẫu 01</title><style>p { color: red }</style></head>"
                       "<body><script>alert(1)</script><p>Nội dung</p></body></html>")
    assert paragraphs(document) == ["Nội dung"]


def test_table_cells_keep_their_text_and_header_cells_are_bold_and_centred():
    document = convert('<table class="grid"><thead><tr><th>STT</th><th>Tên giấy tờ</th></tr></thead>'
                       "<tbody><tr><td>1</td><td>Tờ trình <strong>đề nghị</strong></td></tr>"
                       "<tr><td>2</td><td><p>Quyết định</p><p>tuyển dụng</p></td></tr></tbody></table>")
    table = document.tables[0]
    assert table.style.name == "Table Grid"
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["STT", "Tên giấy tờ"], ["1", "Tờ trình đề nghị"], ["2", "Quyết định\ntuyển dụng"]]
    header = table.cell(0, 1).paragraphs[0]
    assert header.alignment == WD_ALIGN_PARAGRAPH.CENTER and header.runs[0].bold


def test_colspan_merges_cells_across_the_row():
    document = convert('<table><tr><td colspan="3">Không có hồ sơ nào</td></tr>'
                       "<tr><td>a</td><td>b</td><td>c</td></tr></table>")
    table = document.tables[0]
    assert len(table.columns) == 3
    first = table.rows[0].cells
    assert first[0]._tc is first[2]._tc and first[0].grid_span == 3 and first[0].text == "Không có hồ sơ nào"
    assert [c.text for c in table.rows[1].cells] == ["a", "b", "c"]
    assert table.style.name != "Table Grid"  # a layout table has no borders


def test_percent_widths_set_the_columns():
    document = convert('<table><tr><td width="25%">trái</td><td>phải</td></tr></table>')
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    left, right = document.tables[0].columns
    assert abs(left.width - text_width * 0.25) < 1000 and abs(right.width - text_width * 0.75) < 1000


def test_a_png_data_uri_becomes_a_picture_and_other_images_are_left_out():
    png = segno.make("https://motcua.example/tra-cuu/?ma=1").png_data_uri()
    document = convert(f'<p><img src="{png}" style="width: 30mm"> <img src="https://example.com/x.png" alt="QR">'
                       '<img src="data:image/svg+xml,%3Csvg%3E%3C/svg%3E"></p>')
    assert len(document.inline_shapes) == 1 and round(document.inline_shapes[0].width.mm) == 30
    assert "QR" in document.paragraphs[0].text


def test_page_size_and_orientation_and_a_document_that_opens_again():
    document = convert("<table><tr><td>x</td></tr></table>", page_size="A4", landscape=True)
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and round(section.page_width.mm) == 297
    reopened = docx.Document(io.BytesIO(to_bytes(document)))
    assert reopened.tables[0].cell(0, 0).text == "x"
    assert reopened.element.body[-2].tag.endswith("}p")  # a paragraph after the last table, before sectPr
    a5 = convert("<p>x</p>", page_size="A5").sections[0]
    assert (round(a5.page_width.mm), round(a5.page_height.mm)) == (148, 210)


def test_unclosed_and_stray_tags_do_not_lose_text():
    document = convert("<p>một <b>hai</p></span><p>ba")
    assert paragraphs(document) == ["một hai", "ba"]
