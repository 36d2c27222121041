import io

import pytest

from motcua.core.files import CheckedFile, FileProblem, check_upload, sniff
from tests import samples

DOSSIER = ("pdf", "jpeg", "png", "docx", "xlsx")


def check(name: str, content: bytes, *, size: int | None = None, allowed=DOSSIER, max_bytes=20 * samples.MB):
    return check_upload(name, io.BytesIO(content), len(content) if size is None else size, max_bytes=max_bytes,
                        allowed=allowed)


@pytest.mark.parametrize(("name", "make", "kind"), [
    ("scan.pdf", samples.pdf, "pdf"), ("anh.PNG", samples.png, "png"), ("anh.jpg", samples.jpeg, "jpeg"),
    ("anh.jpeg", samples.jpeg, "jpeg"), ("don.docx", samples.docx, "docx"), ("bang.xlsx", samples.xlsx, "xlsx"),
])
def test_real_files_are_accepted_with_their_kind_and_digest(name, make, kind):
    import hashlib

    content = make()
    checked = check(name, content)
    assert isinstance(checked, CheckedFile)
    assert checked.kind == kind and checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize(("name", "make", "message"), [
    ("scan.pdf", lambda: samples.EXECUTABLE, "không phải PDF"),       # an executable named .pdf
    ("scan.pdf", samples.png, "không phải PDF"),                      # a picture named .pdf
    ("bang.xlsx", samples.docx, "không phải XLSX"),                   # a Word file named .xlsx
    ("don.docx", samples.zip_archive, "không phải DOCX"),             # any zip named .docx
    ("virus.exe", lambda: samples.EXECUTABLE, "Chỉ nhận tệp PDF, JPG, PNG, DOCX, XLSX"),
    ("khongcoduoi", samples.pdf, "Chỉ nhận tệp"),
    ("scan.pdf", lambda: b"", "Tệp rỗng"),
])
def test_files_that_lie_or_are_empty_are_refused(name, make, message):
    problem = check(name, make())
    assert isinstance(problem, FileProblem) and message in problem.message


def test_a_file_over_the_limit_is_refused_before_reading_it():
    problem = check("scan.pdf", samples.pdf(), size=21 * samples.MB)
    assert isinstance(problem, FileProblem) and "vượt giới hạn 20 MB" in problem.message


def test_old_office_files_are_accepted_where_allowed():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    assert sniff(io.BytesIO(ole)) in {"doc", "xls", "ole"}
    assert isinstance(check("don.doc", ole, allowed=("doc", "xls")), CheckedFile)
    assert isinstance(check("don.doc", ole), FileProblem)  # not for dossiers
