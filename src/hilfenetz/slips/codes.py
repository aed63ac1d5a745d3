"""The short code on a slip: eight characters in two groups, typed on any phone.

The alphabet leaves out what is easily mistaken (0/O/Q/D, 1/I/L, 2/Z, 5/S, 8/B, U/V): 21
characters, so 21**8 (about 38 billion) codes against at most a handful of tries a minute
(``slips.services.ENTRY_LIMIT``). The code is derived from a random value stored with the slip
and the site's secret key, and looked up by a keyed digest: a copy of the database alone
neither shows nor, by trying, reveals a code.
"""

import secrets

from django.utils.crypto import salted_hmac

ALPHABET = "ACEFGHJKMNPRTWXY34679"
LENGTH = 8
GROUP = 4


def new_secret() -> str:
    return secrets.token_hex(16)


def code_for(secret: str) -> str:
    """The code (without its separator) that belongs to a slip's stored secret."""
    number = int.from_bytes(
        salted_hmac("hilfenetz.slips.code", secret, algorithm="sha256").digest(), "big"
    )
    chars = []
    for _ in range(LENGTH):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    return "".join(chars)


def digest(code: str) -> str:
    return salted_hmac("hilfenetz.slips.lookup", code, algorithm="sha256").hexdigest()


def normalise(typed: str) -> str:
    """What was typed, as a code: capitals, without spaces and dashes; "" if that is no code."""
    cleaned = "".join(ch for ch in typed.upper() if ch not in " -–·.")
    return cleaned if len(cleaned) == LENGTH and all(ch in ALPHABET for ch in cleaned) else ""


def grouped(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
