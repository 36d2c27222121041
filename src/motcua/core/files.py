"""Checks on uploaded files (pure): the type is read from the content, not trusted from the name."""

from __future__ import annotations

from dataclasses import dataclass

# The first bytes of each accepted kind of document.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
}


@dataclass(frozen=True)
class FileProblem:
    message: str


def check_document(name: str, head: bytes, size: int, *, max_bytes: int,
                   allowed: tuple[str, ...] = tuple(SIGNATURES)) -> FileProblem | None:
    """None when a document is acceptable; otherwise why not, in Vietnamese."""
    if size == 0:
        return FileProblem("Tệp rỗng.")
    if size > max_bytes:
        return FileProblem(f"Tệp {size / 1e6:.1f} MB, vượt giới hạn {max_bytes / 1e6:.0f} MB.")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in allowed:
        return FileProblem(f"Chỉ nhận tệp {', '.join(allowed).upper()}.")
    if not any(head.startswith(sig) for sig in SIGNATURES[extension]):
        return FileProblem(f"Nội dung tệp không phải {extension.upper()} (tên tệp không khớp với nội dung).")
    return None
