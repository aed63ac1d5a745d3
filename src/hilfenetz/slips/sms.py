"""Text messages through the gateway the district configures, in seven.io's HTTP protocol:
``POST <SMS_GATEWAY_URL>`` (https://gateway.seven.io/api/sms) with the header ``X-Api-Key``
and a JSON body ``{"to", "text", "from"}``; the answer is JSON whose ``success`` is "100"
(sent) or "101" (sent in part), any other code a refusal. Without a configured gateway
nothing is sent (``services.sms_configured``)."""

import json
import urllib.error
import urllib.request

from django.conf import settings

TIMEOUT = 10
ACCEPTED = {"100", "101"}


class GatewayError(Exception):
    """The gateway could not be reached or refused the message."""


def send(to: str, text: str) -> dict:
    """Send one text message; the gateway's answer, or :class:`GatewayError`."""
    url = settings.SMS_GATEWAY_URL
    if not url.startswith(("https://", "http://")):
        raise GatewayError(f"SMS_GATEWAY_URL is not an http(s) address: {url!r}")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=json.dumps({"to": to, "text": text, "from": settings.SMS_SENDER}).encode(),
        headers={
            "X-Api-Key": settings.SMS_GATEWAY_KEY,
            "Content-Type": "application/json",
            "Accept": "application/json",
            "SentWith": "Hilfenetz",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            answer = json.loads(response.read().decode() or "{}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise GatewayError(f"{type(exc).__name__}: {exc}") from exc
    code = str(answer.get("success", "")) if isinstance(answer, dict) else ""
    if code not in ACCEPTED:
        raise GatewayError(f"refused with code {code or '?'}")
    return answer
