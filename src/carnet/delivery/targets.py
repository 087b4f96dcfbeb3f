"""Where a webhook may send: ``http(s)`` URLs whose host is a public address.

A webhook's URL is judged when it is added and again before every delivery
(a name may resolve elsewhere by then). Private, loopback, link-local and
other non-public addresses are refused, so that a webhook cannot make carnet
call into the network it runs in, unless ``CARNET_WEBHOOK_ALLOW_PRIVATE=1``.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from carnet.contract import WEBHOOK_URL_MAX


class TargetRefused(ValueError):
    """The URL is not one a webhook may send to; ``str()`` says why."""


def _addresses(host: str, port: int) -> list[str] | None:
    """The addresses ``host`` names (itself when it is one); None when it does not resolve."""
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return None
    return [str(info[4][0]) for info in found]


def check_target(url: str, *, allow_private: bool, must_resolve: bool = False) -> str:
    """``url`` trimmed when a webhook may send to it, else :class:`TargetRefused`.

    A host that does not resolve passes unless ``must_resolve`` (at delivery
    time): DNS may not answer when the webhook is added.
    """
    text = url.strip()
    if len(text) > WEBHOOK_URL_MAX:
        raise TargetRefused(f"at most {WEBHOOK_URL_MAX} characters")
    if not text.isascii() or any(c.isspace() or not c.isprintable() for c in text):
        raise TargetRefused("must be an http:// or https:// URL without spaces")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise TargetRefused("is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused("must be an http:// or https:// URL with a host")
    port = port or (443 if parts.scheme == "https" else 80)
    addresses = _addresses(parts.hostname, port)
    if addresses is None:
        if must_resolve:
            raise TargetRefused(f"host {parts.hostname} does not resolve")
        return text
    if not allow_private:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
            if not ip.is_global:
                raise TargetRefused("must not point to a private, loopback or link-local address")
    return text
