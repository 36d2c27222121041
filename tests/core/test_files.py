import pytest

from motcua.core.files import check_document

MB = 1_000_000


@pytest.mark.parametrize(("name", "head"), [("mau-01.pdf", b"%PDF-1.7\n"), ("to-khai.docx", b"PK\x03\x04rest"),
                                            ("don.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1...")])
def test_real_documents_are_accepted(name, head):
    assert check_document(name, head, 1000, max_bytes=MB) is None


@pytest.mark.parametrize(("name", "head", "size", "message"), [
    ("mau.pdf", b"MZ\x90\x00", 1000, "không phải PDF"),  # an executable named .pdf
    ("mau.exe", b"MZ", 1000, "Chỉ nhận tệp"),
    ("mau.pdf", b"", 0, "Tệp rỗng"),
    ("mau.pdf", b"%PDF-", 11 * MB, "vượt giới hạn 10 MB"),
    ("khongcoduoi", b"%PDF-", 10, "Chỉ nhận tệp"),
])
def test_files_that_lie_are_empty_or_too_big_are_refused(name, head, size, message):
    problem = check_document(name, head, size, max_bytes=10 * MB)
    assert problem is not None and message in problem.message
