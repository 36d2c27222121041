"""Digital signatures on official documents: sign a PDF (PAdES) and check the signatures in one.

An adapter around pyHanko with no models and no database: services decide *who* may sign *what* and
record it; this module only turns bytes into signed bytes and signed bytes into a report people can read.

- Signing is PAdES baseline (``ETSI.CAdES.detached``) in an incremental update, so that earlier
  signatures stay valid, with a visible stamp in Vietnamese on the last page. pyHanko's built-in
  fonts have no Vietnamese glyphs, so the stamp embeds a TrueType font (DejaVu Sans by default).
- Verifying never fetches anything (government intranets are offline): trust is decided only against
  the roots configured in ``SIGNING_TRUST_ROOTS``; revocation is checked in soft-fail mode with the
  information the file carries.

Settings (read at call time): ``SIGNING_CERT_FILE``, ``SIGNING_KEY_FILE``, ``SIGNING_KEY_PASSPHRASE``,
``SIGNING_CHAIN_FILES``, ``SIGNING_TRUST_ROOTS``, ``SIGNING_FONT_FILE``.

pyHanko's synchronous entry points call ``asyncio.run``; inside a running event loop they are run in a thread of
their own (``_outside_event_loop``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import datetime as dt
import functools
import string
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any, TypeVar

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.utils import timezone
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from pyhanko.keys import load_cert_from_pemder, load_certs_from_pemder, load_private_key_from_pemder
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import LayoutError
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError as PyHankoSigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from motcua.core import clock

T = TypeVar("T")

DEFAULT_FONT_FILE = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DEFAULT_REASON = "Ký ban hành văn bản"

_MM = 72 / 25.4
STAMP_WIDTH = 70 * _MM
STAMP_HEIGHT = 25 * _MM
STAMP_MARGIN = 12 * _MM
STAMP_GAP = 3 * _MM
STAMP_FONT_SIZE = 9
STAMP_LEADING = 11


class SigningError(Exception):
    """A PDF or a key that cannot be used; the message is Vietnamese, for the person who asked."""


@dataclass(frozen=True)
class SigningKey:
    """The agency's certificate and private key, as files (PEM or DER); ``chain_files`` are embedded
    in each signature so that a verifier can build the path to the root."""

    cert_file: Path
    key_file: Path
    passphrase: bytes | None
    chain_files: tuple[Path, ...] = ()


def configured_key() -> SigningKey | None:
    """The key from settings, or ``None`` when the deployment has none (signing is then unavailable)."""
    cert = getattr(settings, "SIGNING_CERT_FILE", None)
    key = getattr(settings, "SIGNING_KEY_FILE", None)
    if not cert or not key:
        return None
    passphrase = getattr(settings, "SIGNING_KEY_PASSPHRASE", None) or None
    if isinstance(passphrase, str):
        passphrase = passphrase.encode()
    chain = tuple(Path(p) for p in getattr(settings, "SIGNING_CHAIN_FILES", ()) or ())
    return SigningKey(cert_file=Path(cert), key_file=Path(key), passphrase=passphrase, chain_files=chain)


def trust_roots() -> list[Path]:
    """The root certificates this deployment trusts (e.g. the national root CA), from settings."""
    return [Path(p) for p in getattr(settings, "SIGNING_TRUST_ROOTS", ()) or ()]


# --- signing ------------------------------------------------------------------------------------------


def _outside_event_loop(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """pyHanko's synchronous calls run ``asyncio.run``, which refuses to start inside a running event loop (an
    async view, or a thread that drives a browser through Playwright's sync API): there, run them in a thread
    of their own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


def sign_pdf(
    pdf: bytes,
    *,
    key: SigningKey,
    signer_name: str,
    position: str,
    agency_name: str,
    reason: str = DEFAULT_REASON,
    location: str = "",
    field_name: str | None = None,
    at: dt.datetime | None = None,
) -> bytes:
    """Return ``pdf`` with one more signature, appended as an incremental update.

    The stamp names the person and position while the certificate is the agency's: in Vietnamese
    practice the agency's seal-certificate signs an official document issued by a named official.
    ``at`` (aware; default: now) is both the claimed signing time and the time printed on the stamp.
    """
    at = at or clock.now()
    if timezone.is_naive(at):
        raise ValueError("sign_pdf needs an aware datetime")
    signer = _load_signer(key)
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
    except Exception as exc:  # pyHanko raises many types for a broken file
        raise SigningError("Không mở được tệp PDF để ký: tệp bị hỏng hoặc không phải PDF.") from exc
    if writer.prev.encrypted:
        raise SigningError("Tệp PDF đã được mã hoá (đặt mật khẩu) nên không ký được; hãy dùng bản không mã hoá.")

    try:
        existing = [name for name, _value, _ref in fields.enumerate_sig_fields(writer.prev)]
        name = field_name or _new_field_name(existing)
        spec = fields.SigFieldSpec(name, on_page=-1, box=_stamp_box(writer, slot=len(existing)))
        meta = signers.PdfSignatureMetadata(
            field_name=name,
            name=signer_name or None,  # /Name: who signed, when the certificate is the agency's
            reason=reason or None,
            location=location or None,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
        )
        text = f"Ký bởi: {signer_name}\n{position} — {agency_name}\nThời gian: {timezone.localtime(at):%d/%m/%Y %H:%M}"
        pdf_signer = _PdfSignerAt(meta, signer, stamp_style=_stamp_style(text), new_field_spec=spec, at=at)
        output = _outside_event_loop(pdf_signer.sign_pdf, writer, appearance_text_params={"text": text})
    except (PdfError, PyHankoSigningError, LayoutError, ValueError, KeyError) as exc:
        raise SigningError(f"Không ký được tệp PDF: {exc}") from exc
    return output.getvalue()


class _PdfSignerAt(signers.PdfSigner):
    """A PdfSigner whose signing time is given rather than read from the system clock: pyHanko takes
    the time from the local clock, but ours comes from ``motcua.core.clock`` (demo replay, tests) and
    must equal the one printed on the stamp."""

    def __init__(self, *args: Any, at: dt.datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._at = at

    def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self._at
        return session


def _load_signer(key: SigningKey) -> signers.SimpleSigner:
    """The signer for ``key``, loaded once per version of its files: loading and checking an RSA key costs
    ~70 ms, which every signature paid again (a clerk issuing a batch, the demo's year)."""
    try:
        versions = tuple(Path(p).stat().st_mtime_ns for p in (key.cert_file, key.key_file, *key.chain_files))
    except OSError as exc:
        raise SigningError(
            "Không đọc được chứng thư số hoặc khoá ký (sai tệp, sai định dạng hoặc sai mật khẩu)."
        ) from exc
    return _signer(key, versions)


@functools.lru_cache(maxsize=4)
def _signer(key: SigningKey, versions: tuple[int, ...]) -> signers.SimpleSigner:
    """Load the key material ourselves (pyHanko's ``SimpleSigner.load`` only logs and returns None)
    and refuse a certificate that does not belong to the key, which would make every signature invalid."""
    try:
        private_key = load_private_key_from_pemder(str(key.key_file), passphrase=key.passphrase)
        cert = load_cert_from_pemder(str(key.cert_file))
        chain = list(load_certs_from_pemder([str(p) for p in key.chain_files]))
    except (OSError, ValueError, TypeError) as exc:
        raise SigningError(
            "Không đọc được chứng thư số hoặc khoá ký (sai tệp, sai định dạng hoặc sai mật khẩu)."
        ) from exc
    try:
        key_public = serialization.load_der_private_key(private_key.dump(), password=None).public_key()
        matches = key_public == serialization.load_der_public_key(cert.public_key.dump())
    except (ValueError, TypeError):
        matches = False
    if not matches:
        raise SigningError("Khoá ký không khớp với chứng thư số đã cấu hình.")
    return signers.SimpleSigner(
        signing_cert=cert, signing_key=private_key, cert_registry=SimpleCertificateStore.from_certs(chain)
    )


def _new_field_name(existing: list[str]) -> str:
    n = len(existing) + 1
    while f"ChuKy{n}" in existing:
        n += 1
    return f"ChuKy{n}"


def _stamp_box(writer: IncrementalPdfFileWriter, *, slot: int) -> tuple[int, int, int, int]:
    """Bottom right of the last page; each further signature stacks above the previous one (up to half
    the page, then starts again at the bottom) so that stamps do not cover each other."""
    page_ref, _resources = writer.find_page_for_modification(-1)
    _x0, y0, x1, y1 = (float(v) for v in _inherited(page_ref.get_object(), "/MediaBox"))
    per_column = max(1, int(((y1 - y0) / 2 - STAMP_MARGIN) // (STAMP_HEIGHT + STAMP_GAP)))
    bottom = y0 + STAMP_MARGIN + (slot % per_column) * (STAMP_HEIGHT + STAMP_GAP)
    right = x1 - STAMP_MARGIN
    return round(right - STAMP_WIDTH), round(bottom), round(right), round(bottom + STAMP_HEIGHT)


def _inherited(page: generic.DictionaryObject, key: str) -> Any:
    node: Any = page
    while key not in node:
        node = node["/Parent"]
    return node[key]


def _stamp_style(text: str) -> TextStampStyle:
    font_file = Path(getattr(settings, "SIGNING_FONT_FILE", None) or DEFAULT_FONT_FILE)
    if not font_file.is_file():
        raise SigningError(f"Thiếu phông chữ tiếng Việt cho dấu chữ ký: {font_file} (gói fonts-dejavu-core).")
    font = _StampFont(str(font_file), font_size=STAMP_FONT_SIZE, text=text)
    return TextStampStyle(
        stamp_text="%(text)s",
        border_width=1,
        text_box_style=TextBoxStyle(font=font, font_size=STAMP_FONT_SIZE, leading=STAMP_LEADING),
    )


@dataclass(frozen=True)
class _StampFont(GlyphAccumulatorFactory):
    """pyHanko's glyph accumulator, fed a copy of the font cut down to the stamp's characters and
    rescaled to 1000 units per em.

    pyHanko (0.33, and its source today) writes glyph widths (/W) and kerning in the font's own units,
    but PDF glyph space is always 1/1000 em: with DejaVu Sans (2048 units per em) every letter is
    drawn twice as far apart and the text runs out of the box. A 1000-unit font makes both agree.
    Subsetting first keeps this at ~0.1 s instead of ~1.5 s for scaling the whole font.
    """

    text: str = ""

    def create_font_engine(self, writer: Any, obj_stream: Any = None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer,
            font_handle=BytesIO(_font_at_1000_upem(self.font_file, self.text)),
            font_size=self.font_size,
            obj_stream=obj_stream,
        )


def _font_at_1000_upem(font_file: str, text: str) -> bytes:
    """Cut down to the stamp's characters plus printable ASCII, so that stamps differing only in digits and Latin
    letters (times, numbers, symbols) share one cached font: cutting DejaVu Sans costs ~0.15 s."""
    return _font_for(font_file, "".join(sorted(set(text) | _ASCII)))


_ASCII = frozenset(string.printable.strip())


@functools.lru_cache(maxsize=64)
def _font_for(font_file: str, text: str) -> bytes:
    font = TTFont(font_file)
    options = subset.Options()
    options.name_IDs = ["*"]  # pyHanko needs the PostScript name
    options.layout_features = ["*"]  # keep every shaping feature (marks, kerning) for the kept glyphs
    options.drop_tables += ["FFTM"]  # a FontForge timestamp fontTools cannot subset; it only logs a warning
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    out = BytesIO()
    font.save(out)
    return out.getvalue()


# --- verifying ----------------------------------------------------------------------------------------

TAMPERED = "Nội dung đã ký bị thay đổi: chữ ký không còn khớp với tài liệu."
BAD_SIGNATURE = "Chữ ký số không hợp lệ về mặt mật mã."
UNTRUSTED = "Chứng thư số không được tin cậy (không chuỗi về gốc tin cậy đã cấu hình)."
REVOKED = "Chứng thư số đã bị thu hồi."
MODIFIED_AFTER = "Tài liệu đã bị sửa sau khi ký."
UNREADABLE = "Không kiểm tra được chữ ký: tệp PDF hoặc chữ ký bị hỏng, hoặc kiểu chữ ký không được hỗ trợ."


@dataclass(frozen=True)
class SignatureReport:
    """What a verifier found about one signature, in terms a department head can act on."""

    field: str
    signer: str  # certificate subject common name
    organisation: str  # certificate subject O, may be ""
    signed_at: dt.datetime | None  # the signing time the signer claims (aware), not a trusted timestamp
    intact: bool  # the signed bytes are unchanged
    valid: bool  # intact and the signature math is right
    trusted: bool  # the certificate chains to a configured trust root
    whole_document: bool  # nothing but allowed changes (e.g. later signatures) after this signature
    problems: tuple[str, ...]
    name: str = ""  # the signer's name written in the signature (/Name): the person, when the certificate is
    reason: str = ""  # the agency's; and why they signed (/Reason) — claimed by the signer, not certified

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and self.whole_document

    @property
    def summary(self) -> str:
        who = self.signer or "không rõ người ký"
        if self.organisation and self.organisation != self.signer:
            who = f"{who} ({self.organisation})"
        when = f", ký lúc {timezone.localtime(self.signed_at):%d/%m/%Y %H:%M}" if self.signed_at else ""
        if self.ok:
            return f"Chữ ký hợp lệ của {who}{when}."
        return f"Chữ ký của {who}{when} KHÔNG hợp lệ: {' '.join(self.problems)}"


def verify_pdf(pdf: bytes, *, roots: list[Path] | None = None) -> list[SignatureReport]:
    """One report per signature, oldest first; ``[]`` for an unsigned PDF.

    A damaged or tampered file is reported, never raised: the person checking needs to read what is
    wrong. Only bytes that are not a PDF at all, or unreadable trust-root files, raise SigningError.
    """
    if b"%PDF-" not in pdf[:1024]:
        raise SigningError("Tệp không phải là PDF.")
    root_certs = _load_roots(trust_roots() if roots is None else roots)
    try:
        reader = PdfFileReader(BytesIO(pdf))
        embedded = list(reader.embedded_regular_signatures)
    except Exception:  # any parse failure of a file that claims to be a PDF is a finding, not a crash
        return [_unreadable("")]
    return [_check(sig, root_certs) for sig in embedded]


def _load_roots(paths: list[Path]) -> list[Any]:
    try:
        return list(load_certs_from_pemder([str(p) for p in paths]))
    except (OSError, ValueError, TypeError) as exc:
        raise SigningError("Không đọc được tệp chứng thư gốc tin cậy đã cấu hình (SIGNING_TRUST_ROOTS).") from exc


def _check(sig: Any, root_certs: list[Any]) -> SignatureReport:
    field = str(sig.field_name or "")
    try:
        # A fresh context per signature: pyHanko caches validation results inside it.
        context = ValidationContext(trust_roots=root_certs, allow_fetching=False, revocation_mode="soft-fail")
        status = _outside_event_loop(validate_pdf_signature, sig, signer_validation_context=context)
    except Exception:  # a malformed signature dictionary or CMS blob: report it, keep the other reports
        return _unreadable(field, sig)
    report = _from_status(field, status)
    claimed = {key: str(sig.sig_object.get(f"/{key}", "") or "") for key in ("Name", "Reason")}
    return dataclasses.replace(report, name=claimed["Name"], reason=claimed["Reason"])


def _from_status(field: str, status: PdfSignatureStatus) -> SignatureReport:
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and bool(status.docmdp_ok)
    )
    problems: list[str] = []
    if not status.intact:
        problems.append(TAMPERED)
    elif not status.valid:
        problems.append(BAD_SIGNATURE)
    if status.revoked:
        problems.append(REVOKED)
    elif status.intact and status.valid and not status.trusted:
        problems.append(UNTRUSTED)
    if not whole:
        problems.append(MODIFIED_AFTER)
    signer, organisation = _names(status.signing_cert)
    return SignatureReport(
        field=field,
        signer=signer,
        organisation=organisation,
        signed_at=status.signer_reported_dt,
        intact=status.intact,
        valid=status.intact and status.valid,
        trusted=status.trusted,
        whole_document=whole,
        problems=tuple(problems),
    )


def _unreadable(field: str, sig: Any = None) -> SignatureReport:
    try:
        signer, organisation = _names(sig.signer_cert) if sig is not None else ("", "")
    except Exception:
        signer, organisation = "", ""
    return SignatureReport(
        field=field,
        signer=signer,
        organisation=organisation,
        signed_at=None,
        intact=False,
        valid=False,
        trusted=False,
        whole_document=False,
        problems=(UNREADABLE,),
    )


def _names(cert: Any) -> tuple[str, str]:
    subject = cert.subject.native
    return str(subject.get("common_name", "")), str(subject.get("organization_name", ""))
