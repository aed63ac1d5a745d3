"""The address of the person making a request, for the login throttle and rate limits.

Behind ``TRUSTED_PROXIES`` reverse proxies, REMOTE_ADDR is the nearest proxy and the client is
the entry that many places from the right of X-Forwarded-For: each proxy appends the address it
was connected from, and entries further left come from the client and can be forged. With no
trusted proxy (the default) the header is ignored altogether.
"""

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a]
        # fewer entries than proxies: the request did not come through all of them
        if len(forwarded) >= proxies:
            return _valid(forwarded[-proxies]) or remote
    return remote
