"""Checks on uploaded files: the type is read from the content (libmagic, and the parts inside an Office
Open XML or OpenDocument zip), never trusted from the name, and the name must agree with the content."""

from __future__ import annotations

import functools
import hashlib
import zipfile
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, BinaryIO

import magic
from django.db import transaction

# Kinds of file, the extensions that name them and the MIME type they are served with.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "pdf": ("pdf",), "jpeg": ("jpg", "jpeg"), "png": ("png",), "docx": ("docx",), "xlsx": ("xlsx",),
    "odt": ("odt",), "doc": ("doc",), "xls": ("xls",),
}
MIME_TYPES: dict[str, str] = {
    "pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text", "doc": "application/msword", "xls": "application/vnd.ms-excel",
}
_MAGIC_KINDS = {"application/pdf": "pdf", "image/jpeg": "jpeg", "image/png": "png"}
_OLE = {"application/msword", "application/vnd.ms-excel", "application/x-ole-storage", "application/CDFV2",
        "application/vnd.ms-office"}
HEAD_BYTES = 8192


@dataclass(frozen=True)
class Upload:
    """A file a person sent, before it is checked: its name, its bytes and their size."""

    name: str
    stream: BinaryIO
    size: int


@dataclass(frozen=True)
class FileProblem:
    message: str


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    content_type: str
    size: int
    sha256: str


def _zip_kind(stream: BinaryIO) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names and archive.read("mimetype").strip() == MIME_TYPES["odt"].encode():
                return "odt"
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def sniff(stream: BinaryIO) -> str | None:
    """The kind of file the content is (one of ``EXTENSIONS``), or None for anything else."""
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    if not head:
        return None
    mime = magic.from_buffer(head, mime=True)
    if mime in _MAGIC_KINDS:
        return _MAGIC_KINDS[mime]
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(stream)
        stream.seek(0)
        return kind
    if mime in _OLE or head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc" if mime == "application/msword" else ("xls" if mime == "application/vnd.ms-excel" else "ole")
    return None


def _sha256(stream: BinaryIO) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def check_upload(name: str, stream: BinaryIO, size: int, *, max_bytes: int,
                 allowed: tuple[str, ...]) -> CheckedFile | FileProblem:
    """What an upload is, or why it is refused (in Vietnamese): empty, too big, a kind not accepted, or a
    name that does not match the content (an executable called ``scan.pdf``)."""
    accepted = ", ".join(ext.upper() for kind in allowed for ext in EXTENSIONS[kind][:1])
    if size == 0:
        return FileProblem("Tệp rỗng.")
    if size > max_bytes:
        return FileProblem(f"Tệp {size / 1e6:.1f} MB, vượt giới hạn {max_bytes / 1e6:.0f} MB.")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    named = next((kind for kind in allowed if extension in EXTENSIONS[kind]), None)
    if named is None:
        return FileProblem(f"Chỉ nhận tệp {accepted}.")
    actual = sniff(stream)
    # Old Office files share one container; libmagic does not always tell a .doc from a .xls.
    if actual == "ole" and named in {"doc", "xls"}:
        actual = named
    if actual != named:
        return FileProblem(f"Nội dung tệp không phải {extension.upper()} (tên tệp không khớp với nội dung).")
    return CheckedFile(kind=actual, content_type=MIME_TYPES[actual], size=size, sha256=_sha256(stream))


# --------------------------------------------------------------------------------------------------------
# Files saved by a transaction that fails: storage is not transactional, so a use case that saves files runs
# under ``use_case``, which deletes them again when its transaction does not commit.

_stored: ContextVar[list[tuple[Any, str]] | None] = ContextVar("stored_files", default=None)


def use_case(fn: Callable[..., Any]) -> Callable[..., Any]:
    """One transaction per use case; files saved during it are deleted again if it does not commit."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        outer = _stored.get()
        if outer is not None:  # inside another use case: its transaction and its clean-up
            return fn(*args, **kwargs)
        stored: list[tuple[Any, str]] = []
        token = _stored.set(stored)
        try:
            with transaction.atomic():
                return fn(*args, **kwargs)
        except BaseException:
            for storage, name in stored:
                storage.delete(name)
            raise
        finally:
            _stored.reset(token)

    return wrapper


def delete_if_rolled_back(field_file: Any) -> None:
    """Remember a file just saved, to be deleted if the enclosing ``use_case`` fails."""
    stored = _stored.get()
    if stored is not None:
        stored.append((field_file.storage, field_file.name))
