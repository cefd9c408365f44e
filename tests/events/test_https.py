"""HTTPS webhooks are verified: against ``webhook_ca_file`` when set, else the system store.

A real TLS server on 127.0.0.1 with a certificate made here (a private CA signs a
``127.0.0.1`` server certificate; ``cryptography`` is already a dependency of the store).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.events.sink import DeliveryError
from kiosk.events.webhook import WebhookSink
from tests.events.conftest import SECRET, verify_signature
from tests.events.receiver import Receiver


def _cert(subject: str, key, issuer_name, issuer_key, *, ca: bool) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ca:
        builder = builder.add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
    else:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


@pytest.fixture
def tls_receiver(tmp_path):
    ca_key, server_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kiosk test CA")])
    ca = _cert("kiosk test CA", ca_key, ca_name, ca_key, ca=True)
    server = _cert("127.0.0.1", server_key, ca_name, ca_key, ca=False)
    ca_file, cert_file, key_file = tmp_path / "ca.pem", tmp_path / "server.pem", tmp_path / "server.key"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(server.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(server_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    rx = Receiver()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    rx.server.socket = context.wrap_socket(rx.server.socket, server_side=True)
    with rx:
        yield rx, f"https://127.0.0.1:{rx.port}/hook", ca_file


def test_https_with_the_ca_file_delivers(tls_receiver):
    rx, url, ca_file = tls_receiver
    WebhookSink(url, SECRET, ca_file=ca_file).send("e-1", b'{"id":"e-1"}')
    assert len(rx.accepted()) == 1 and verify_signature(rx.accepted()[0])


def test_https_with_an_unknown_ca_is_refused(tls_receiver):
    rx, url, _ = tls_receiver
    with pytest.raises(DeliveryError, match="TLS to 127.0.0.1 failed"):
        WebhookSink(url, SECRET).send("e-1", b'{"id":"e-1"}')  # the system store does not know our CA
    assert rx.accepted() == []
