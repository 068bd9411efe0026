"""The client's address, the same for every part of the portal that counts per address (the
public page's rate limit, the login lockouts of django-axes)."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _ip(teks: str) -> str | None:
    try:
        return str(ipaddress.ip_address(teks.strip()))
    except ValueError:
        return None


def alamat_klien(request) -> str | None:
    """REMOTE_ADDR, or behind ``PORTAL_PROXY_TEPERCAYA`` = N trusted reverse proxies the Nth
    address from the right of X-Forwarded-For: each trusted proxy appends the address it got
    the request from, so addresses further left were written by the client and can be forged.
    With fewer addresses than proxies (a request that bypassed the proxy), or something that is
    not an IP address there, REMOTE_ADDR. None when no address is known (an internal request)."""
    n = getattr(settings, "PORTAL_PROXY_TEPERCAYA", 0)
    if n:
        alamat = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        alamat = [a for a in alamat if a]
        if len(alamat) >= n:
            ip = _ip(alamat[-n])
            if ip is not None:
                return ip
    return _ip(request.META.get("REMOTE_ADDR", "") or "")
