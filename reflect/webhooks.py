"""Webhook delivery: a signed JSON POST to a URL the person chose.

The receiver checks `X-Reflect-Signature: sha256=<hex>`, an HMAC-SHA256 of
`<X-Reflect-Timestamp>.<body>` with the person's webhook secret.

A webhook URL is a request the server makes on a person's behalf, so it must not reach the
internal network: the host is resolved once, every address is checked (loopback, private,
link-local, and the IPv6 forms that embed those: IPv4-mapped, NAT64, 6to4), the connection
goes to the address that was checked (no second lookup for a rebinding DNS to change), and
redirects are never followed.
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# IPv6 prefixes that carry an IPv4 address a gateway would reach for us.
NAT64 = [ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48")]


class WebhookRefused(Exception):
    """The URL may not be called at all (bad scheme, private address): never retried."""


class WebhookFailed(Exception):
    """The receiver could not be reached or answered with an error: worth retrying."""


@dataclass(frozen=True)
class Destination:
    scheme: str
    host: str
    port: int
    path: str
    address: str


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if address.version != 6:
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in network for network in NAT64):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_internal(address: IPAddress) -> bool:
    """True for an address that leads into this machine or its private network."""
    embedded = _embedded_ipv4(address)
    if embedded is not None and is_internal(embedded):
        return True
    if any(address in network for network in NAT64):
        return (
            True  # a NAT64 gateway reaches whatever IPv4 it embeds: never needed here
        )
    return not address.is_global or address.is_multicast


def check_destination(url: str, *, allow_private: bool) -> Destination:
    """Resolve the URL's host once and check every address; the one to connect to.

    Refuses schemes other than http(s) and, unless allowed, hosts that resolve to loopback,
    private, link-local or otherwise internal addresses."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise WebhookRefused("webhook URL must be http:// or https:// with a host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise WebhookRefused("webhook URL has an invalid port") from None
    try:
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise WebhookFailed(f"cannot resolve {parts.hostname}: {error}") from None
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not allow_private:
        for address in addresses:
            if is_internal(address):
                raise WebhookRefused(
                    f"webhook host {parts.hostname} resolves to a private address "
                    f"({address}); refused unless REFLECT_WEBHOOK_ALLOW_PRIVATE is set"
                )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Destination(parts.scheme, parts.hostname, port, path, str(addresses[0]))


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """TLS to a fixed address, with the certificate checked against the URL's host name."""

    def __init__(self, destination: Destination, *, timeout: float) -> None:
        super().__init__(destination.host, destination.port, timeout=timeout)
        self.destination = destination

    def connect(self) -> None:
        sock = socket.create_connection(
            (self.destination.address, self.destination.port), self.timeout
        )
        self.sock = ssl.create_default_context().wrap_socket(
            sock, server_hostname=self.destination.host
        )


def _connection(
    destination: Destination, *, timeout: float
) -> http.client.HTTPConnection:
    if destination.scheme == "https":
        return _PinnedHTTPSConnection(destination, timeout=timeout)
    # Plain HTTP: connect to the checked address; the Host header still names the host.
    return http.client.HTTPConnection(
        destination.address, destination.port, timeout=timeout
    )


def post(*, url: str, secret: str, payload: dict, delivery_id: str = "") -> int:
    destination = check_destination(
        url, allow_private=settings.REFLECT_WEBHOOK_ALLOW_PRIVATE
    )
    body = json.dumps(payload, sort_keys=True).encode()
    timestamp = str(int(time.time()))
    host = destination.host if ":" not in destination.host else f"[{destination.host}]"
    default_port = 443 if destination.scheme == "https" else 80
    headers = {
        "Host": host
        if destination.port == default_port
        else f"{host}:{destination.port}",
        "Content-Type": "application/json",
        "User-Agent": "Reflect-Webhook/1",
        "X-Reflect-Timestamp": timestamp,
        "X-Reflect-Signature": signature(secret, timestamp, body),
        # The same on every attempt of one delivery: receivers drop duplicates by it.
        "X-Reflect-Delivery": delivery_id,
    }
    connection = _connection(destination, timeout=settings.REFLECT_WEBHOOK_TIMEOUT)
    try:
        connection.request("POST", destination.path, body=body, headers=headers)
        status = connection.getresponse().status
    except (OSError, http.client.HTTPException) as error:
        raise WebhookFailed(f"webhook not delivered: {error}") from None
    finally:
        connection.close()
    if 300 <= status < 400:
        raise WebhookRefused(
            f"webhook receiver answered a redirect ({status}); redirects are not followed"
        )
    if 400 <= status < 500 and status not in (408, 429):
        raise WebhookRefused(f"webhook receiver answered {status}")
    if status >= 400:
        raise WebhookFailed(f"webhook receiver answered {status}")
    return status
