"""A throw-away certificate authority and agency signing certificate, for the demo and the tests.

A real deployment signs with a certificate from a licensed Vietnamese CA; the demo must still show
a valid, trusted signature without one. The demo root's name says it must not be used for real, and
its private key is never written: it signs the one agency certificate and is forgotten, so nobody
can issue more certificates under a root some machine may have been told to trust.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from motcua.documents.signing import SigningKey

ROOT_NAME = "motcua demo CA — KHÔNG dùng thật"
VALIDITY = dt.timedelta(days=5 * 365)


def demo_root(directory: Path) -> Path:
    """The demo root certificate, to put in ``SIGNING_TRUST_ROOTS``."""
    return Path(directory) / "root.pem"


def ensure_demo_keys(directory: Path, *, agency_name: str) -> SigningKey:
    """Create ``root.pem``, ``agency.pem`` and ``agency.key`` in ``directory`` unless all three exist.

    If any is missing all three are made anew, because the root key needed to re-issue the agency
    certificate was not kept.
    """
    directory = Path(directory)
    root_file, cert_file, key_file = demo_root(directory), directory / "agency.pem", directory / "agency.key"
    if not (root_file.is_file() and cert_file.is_file() and key_file.is_file()):
        directory.mkdir(parents=True, exist_ok=True)
        root_cert, agency_cert, agency_key = _issue(agency_name)
        root_file.write_bytes(root_cert.public_bytes(serialization.Encoding.PEM))
        cert_file.write_bytes(agency_cert.public_bytes(serialization.Encoding.PEM))
        _write_private(
            key_file,
            agency_key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ),
        )
    return SigningKey(cert_file=cert_file, key_file=key_file, passphrase=None, chain_files=(root_file,))


def _issue(agency_name: str) -> tuple[x509.Certificate, x509.Certificate, rsa.RSAPrivateKey]:
    now = dt.datetime.now(dt.UTC)
    not_before, not_after = now - dt.timedelta(minutes=5), now + VALIDITY  # a few minutes for clock skew
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    agency_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "motcua demo"),
            x509.NameAttribute(NameOID.COMMON_NAME, ROOT_NAME),
        ]
    )
    agency_subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, agency_name),
            x509.NameAttribute(NameOID.COMMON_NAME, agency_name),
        ]
    )
    root_ski = x509.SubjectKeyIdentifier.from_public_key(root_key.public_key())
    root_cert = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(root_ski, critical=False)
        .sign(root_key, hashes.SHA256())
    )
    agency_cert = (
        x509.CertificateBuilder()
        .subject_name(agency_subject)
        .issuer_name(root_name)
        .public_key(agency_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(agency_key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(root_ski), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    return root_cert, agency_cert, agency_key


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    """A CA signs certificates; the agency signs documents (digitalSignature + nonRepudiation, which
    pyHanko's validator requires of a document signer)."""
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _write_private(path: Path, data: bytes) -> None:
    """Write with mode 0600 from the first byte, not chmod after: the key is never world-readable."""
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
