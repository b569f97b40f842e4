"""The form's HTTPS certificate: the clinic's own, or one the form makes on its first start.

Beyond this computer the password, the session cookie and every handout cross the clinic network, so
the form speaks only HTTPS there. A clinic that has a certificate for the desk computer names it and its
key in the settings (or with --certificate and --key). Otherwise the form makes a self-signed one on
its first start and keeps it (the key readable by this account only) in the settings file's folder or
the `certificate_folder` named there; later starts use the same one. A browser cannot vouch for a
self-signed certificate, so `serve` prints its SHA-256 fingerprint: the therapist compares it with the
one the browser shows once, and accepts it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import os
import re
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path

from handouts.errors import HandoutError, Problem
from handouts.inputs.settings import DeskSettings

CERTIFICATE_FILE = "handouts-https-certificate.pem"
KEY_FILE = "handouts-https-key.pem"
VALID_DAYS = 825
"""How long a made certificate lasts (about 27 months); delete both files to make a new one."""


@dataclass(frozen=True)
class Certificate:
    certificate: Path
    key: Path
    fingerprint: str
    """SHA-256 of the certificate, as browsers show it: 32 pairs of hex digits."""
    made: bool = False
    """Made on this start (else the clinic's, or one made before)."""


def certificate_for(settings: DeskSettings, host: str) -> Certificate:
    """The clinic's certificate when the settings name one; else the one made before; else a new one."""
    if settings.certificate or settings.key:
        if not (settings.certificate and settings.key):
            missing = "key" if settings.certificate else "certificate"
            raise HandoutError(
                Problem("settings file", "give the certificate's key too: both `certificate` and `key`", None, missing)
            )
        return _checked(settings.certificate, settings.key)
    folder = settings.certificate_folder or Path.cwd()
    cert, key = folder / CERTIFICATE_FILE, folder / KEY_FILE
    if cert.is_file() and key.is_file():
        return _checked(cert, key)
    _make(cert, key, host, settings.hostnames)
    return _checked(cert, key, made=True)


def server_context(certificate: Certificate) -> ssl.SSLContext:
    """TLS 1.2 or newer, with Python's default ciphers."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(str(certificate.certificate), str(certificate.key))
    return context


def _checked(cert: Path, key: Path, made: bool = False) -> Certificate:
    """Load the pair now, so a wrong file stops the start with its name rather than every connection."""
    try:
        pem = cert.read_text(encoding="ascii")
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(str(cert), str(key))
    except ssl.SSLError as exc:
        reason = (
            "that key is not this certificate's"
            if exc.reason == "KEY_VALUES_MISMATCH"
            else "one of the two is not a PEM file, or the key has a password (the form can't ask for one)"
        )
        said = f"can't be used as the HTTPS certificate with the key {key}: {reason}"
        raise HandoutError(Problem(str(cert), said, None, "certificate")) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        said = f"can't be used as the HTTPS certificate with the key {key}: {reason}"
        raise HandoutError(Problem(str(cert), said, None, "certificate")) from None
    first = re.search(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", pem, re.S)
    if first is None:
        raise HandoutError(Problem(str(cert), "holds no PEM certificate", None, "certificate"))
    return Certificate(cert, key, fingerprint(ssl.PEM_cert_to_DER_cert(first.group(0))), made)


def fingerprint(der: bytes) -> str:
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def _make(cert: Path, key: Path, host: str, hostnames: list[str]) -> None:
    """A self-signed certificate for every name and address the desk computer may be reached by."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    names, addresses = _names(host, hostnames)
    private = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"handouts discharge form on {names[0]}"[:64])])
    now = dt.datetime.now(dt.UTC)
    alternative = [x509.DNSName(n) for n in names] + [x509.IPAddress(ipaddress.ip_address(a)) for a in addresses]
    made = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(alternative), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(private, hashes.SHA256())
    )
    key_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    try:
        cert.parent.mkdir(parents=True, exist_ok=True)
        _write(key, key_pem, private=True)
        _write(cert, made.public_bytes(serialization.Encoding.PEM))
    except OSError as exc:
        raise HandoutError(
            Problem(
                str(cert.parent),
                f"can't keep the HTTPS certificate here: {exc.strerror or exc}",
                None,
                "certificate_folder",
            )
        ) from None


def _write(path: Path, data: bytes, private: bool = False) -> None:
    """Whole or not at all; the key readable by this account only (where the system has such modes)."""
    partial = path.with_name(path.name + ".partial")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    fd = os.open(partial, flags, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(partial, path)


def _names(host: str, hostnames: list[str]) -> tuple[list[str], list[str]]:
    """DNS names and IP addresses the certificate names: the settings' hostnames, this computer's names
    and addresses, and loopback."""
    names = [*hostnames, socket.gethostname(), socket.getfqdn(), "localhost"]
    addresses = ["127.0.0.1", "::1", *_own_addresses()]
    if _is_address(host):
        addresses.insert(0, host)
    elif host:
        names.insert(0, host)
    everywhere = {"0.0.0.0", "::"}
    names = [n.lower() for n in dict.fromkeys(names) if re.fullmatch(r"[A-Za-z0-9.-]+", n) and not _is_address(n)]
    return names, [a for a in dict.fromkeys(addresses) if a not in everywhere]


def _own_addresses() -> list[str]:
    """This computer's addresses as its name resolves, and the one it reaches the network by (no packet
    is sent: connecting a UDP socket only picks the route)."""
    found: list[str] = []
    try:
        found += [str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None)]
    except OSError:
        pass
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            found.append(probe.getsockname()[0])
    except OSError:
        pass
    return [a.split("%")[0] for a in found if _is_address(a.split("%")[0])]


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
