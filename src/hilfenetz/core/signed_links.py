"""One-click links in mails that act without a login: the signature is the authority.

A :class:`SignedLinks` family allows a fixed set of actions on one subject (a listing, an
invitation of one person to one meeting), for a limited time; the page that acts hands out an
undo token for a shorter time. Views act on GET only (never on HEAD: mail programs' link
checkers send HEAD) and undo on POST.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing


@dataclass(frozen=True)
class SignedLinks:
    salt: str
    actions: tuple[str, ...]
    max_age: timedelta = timedelta(days=30)
    undo_max_age: timedelta = timedelta(days=2)

    def token(self, subject_id: int, action: str) -> str:
        if action not in self.actions:
            raise ValueError(action)
        return signing.dumps({"l": subject_id, "a": action}, salt=self.salt)

    def action(self, subject_id: int, token: str) -> str | None:
        """The action ``token`` allows on ``subject_id``; None if it is forged, too old or
        made for another subject."""
        data = self._load(token, self.salt, self.max_age, subject_id)
        return data["a"] if data is not None else None

    def undo_token(self, subject_id: int, action: str, state: dict) -> str:
        return signing.dumps({"l": subject_id, "a": action, "s": state}, salt=self._undo_salt)

    def undo(self, subject_id: int, token: str) -> tuple[str, dict] | None:
        data = self._load(token, self._undo_salt, self.undo_max_age, subject_id)
        if data is None or not isinstance(data.get("s"), dict):
            return None
        return data["a"], data["s"]

    @property
    def _undo_salt(self) -> str:
        return f"{self.salt}.undo"

    def _load(self, token, salt, max_age, subject_id):
        try:
            data = signing.loads(token, salt=salt, max_age=max_age)
        except signing.BadSignature:
            return None
        if not isinstance(data, dict) or data.get("l") != subject_id:
            return None
        return data if data.get("a") in self.actions else None
