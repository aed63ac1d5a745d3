"""One-click links in mails that act without a login: the signature is the authority.

A :class:`SignedLinks` family allows a fixed set of actions on one subject (a listing, an
invitation of one person to one meeting), for a limited time; the page that acts hands out an
undo token for a shorter time. :class:`SignedLinkView` is the one page behind all of them: it
acts only on POST.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache


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


class SignedLinkView(View):
    """The page behind a one-click link of a mail. GET and HEAD only show what the link will do,
    with one button: mail security scanners and link previews open every link of a mail, and
    must not answer or withdraw anything for the recipient. The button POSTs (CSRF-protected,
    no login: the signed token is the authority) and acts once; a second POST of the same
    action says it is done already. A POST with the undo token that the done page hands out
    takes the action back.

    A subclass names its ``links`` and ``template_name`` and says how to find the subject and
    what acting and undoing mean; the template gets ``subject``, ``action`` and one of the flags
    ``invalid``, ``confirm``, ``already``, ``done`` (with ``undo_token``) or ``undone``."""

    links: SignedLinks
    template_name: str
    http_method_names = ["get", "head", "post"]

    def get_subject(self, pk: int):
        """The subject with this id, or None."""
        raise NotImplementedError

    def is_done(self, subject, action: str) -> bool:
        """Whether the action needs doing no more (shown on GET instead of the button)."""
        raise NotImplementedError

    def act(self, subject, action: str) -> dict | None:
        """Carry the action out; the state its undo needs, or None if it was done already.
        Raises ValidationError when it cannot be done."""
        raise NotImplementedError

    def undo(self, subject, action: str, state: dict) -> None:
        raise NotImplementedError

    def get_context_data(self, subject, action: str) -> dict:
        return {"subject": subject, "action": action}

    @method_decorator(never_cache)
    def dispatch(self, request, pk, token):
        action = self.links.action(pk, token)
        subject = self.get_subject(pk) if action is not None else None
        if subject is None:
            return self._render({"invalid": True}, status=404)
        return super().dispatch(request, subject, action)

    def get(self, request, subject, action):
        flag = "already" if self.is_done(subject, action) else "confirm"
        return self._render({**self.get_context_data(subject, action), flag: True})

    def post(self, request, subject, action):
        context = self.get_context_data(subject, action)
        pk = subject.pk
        try:
            if "undo" in request.POST:
                undo = self.links.undo(pk, request.POST["undo"])
                if undo is None or undo[0] != action:
                    return self._render({"invalid": True}, status=400)
                self.undo(subject, action, undo[1])
                context["undone"] = True
            else:
                state = self.act(subject, action)
                if state is None:
                    context["already"] = True
                else:
                    context["done"] = True
                    context["undo_token"] = self.links.undo_token(pk, action, state)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        subject.refresh_from_db()
        return self._render(context)

    def _render(self, context, status=200):
        return render(self.request, self.template_name, context, status=status)
