"""The client address behind a configured number of reverse proxies (core/client_ip.py)."""

import pytest
from django.test import RequestFactory

from hilfenetz.core.client_ip import client_ip


def request(forwarded=None, remote="10.0.0.2"):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (0, None, "10.0.0.2"),
        (0, "203.0.113.9", "10.0.0.2"),  # without a trusted proxy the header is anyone's
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # the forged part is on the left
        (2, "198.51.100.1, 203.0.113.9, 10.0.0.7", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.2"),  # did not pass both proxies
        (1, "not-an-address", "10.0.0.2"),
        (1, "", "10.0.0.2"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_is_counted_from_the_right_past_the_trusted_proxies(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXIES = proxies
    assert client_ip(request(forwarded)) == expected


def test_allauths_rate_limits_count_the_same_address(settings):
    from allauth.account.adapter import get_adapter

    settings.TRUSTED_PROXIES = 1
    assert get_adapter().get_client_ip(request("198.51.100.1, 203.0.113.9")) == "203.0.113.9"
