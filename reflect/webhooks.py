"""Webhook delivery: a signed JSON POST to a URL the person chose.

The receiver checks `X-Reflect-Signature: sha256=<hex>`, an HMAC-SHA256 of
`<X-Reflect-Timestamp>.<body>` with the person's webhook secret.
"""

import hashlib
import hmac
import ipaddress
import json
import socket
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings


class WebhookRefused(Exception):
    """The URL may not be called at all (bad scheme, private address): never retried."""


class WebhookFailed(Exception):
    """The receiver could not be reached or answered with an error: worth retrying."""


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def check_destination(url: str, *, allow_private: bool) -> None:
    """Refuse schemes other than http(s) and, unless allowed, hosts that resolve to loopback,
    private, link-local or otherwise internal addresses."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise WebhookRefused("webhook URL must be http:// or https:// with a host")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(
            parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP
        )
    except socket.gaierror as error:
        raise WebhookFailed(f"cannot resolve {parts.hostname}: {error}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            raise WebhookRefused(
                f"webhook host {parts.hostname} resolves to a private address ({address}); "
                "refused unless REFLECT_WEBHOOK_ALLOW_PRIVATE is set"
            )


def post(*, url: str, secret: str, payload: dict, delivery_id: str = "") -> int:
    check_destination(url, allow_private=settings.REFLECT_WEBHOOK_ALLOW_PRIVATE)
    body = json.dumps(payload, sort_keys=True).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Reflect-Webhook/1",
            "X-Reflect-Timestamp": timestamp,
            "X-Reflect-Signature": signature(secret, timestamp, body),
            # The same on every attempt of one delivery: receivers drop duplicates by it.
            "X-Reflect-Delivery": delivery_id,
        },
    )
    try:
        with urllib.request.urlopen(
            request, timeout=settings.REFLECT_WEBHOOK_TIMEOUT
        ) as response:
            return response.status
    except urllib.error.HTTPError as error:
        if 400 <= error.code < 500 and error.code not in (408, 429):
            raise WebhookRefused(f"webhook receiver answered {error.code}") from None
        raise WebhookFailed(f"webhook receiver answered {error.code}") from None
    except (urllib.error.URLError, OSError) as error:
        raise WebhookFailed(f"webhook not delivered: {error}") from None
