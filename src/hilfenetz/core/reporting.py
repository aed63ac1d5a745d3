"""Keep credentials out of error reports: the DEBUG page, the error mails and the logs.

Django hides settings whose name looks secret, but not ``REDIS_URL`` or a ``CACHES`` location
with a password in it, nor the ``DATABASE_URL`` that ``runserver`` copies from the environment
into every request's META. Here every value named like a credential is hidden, and the
password of any ``scheme://user:password@host`` address is masked wherever it appears.
"""

import logging
import re

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

MASK = "********************"
SECRET_NAMES = re.compile(
    r"API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|CREDENTIAL|DATABASE_URL|REDIS_URL|DSN",
    flags=re.IGNORECASE,
)
# scheme://user:password@ — the password may hold anything but the @ and whitespace.
URL_CREDENTIALS = re.compile(r"([a-z][a-z0-9+.-]*://[^\s:/@'\"<>]*:)[^\s@'\"<>]+@", re.IGNORECASE)


def mask_credentials(text: str) -> str:
    """``text`` with the password of every address with credentials masked."""
    return URL_CREDENTIALS.sub(rf"\g<1>{MASK}@", text)


class CredentialsFilter(SafeExceptionReporterFilter):
    """Settings, request META, cookies and local variables, with credentials hidden."""

    cleansed_substitute = MASK
    hidden_settings = SECRET_NAMES

    def cleanse_setting(self, key, value):
        cleansed = super().cleanse_setting(key, value)
        return mask_credentials(cleansed) if type(cleansed) is str else cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        return [
            (name, self.cleanse_setting(name, value))
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]


class CredentialsReporter(ExceptionReporter):
    """The DEBUG page and the error mails, with any address's password masked also where no
    filter reaches (an exception's message, the repr of an object)."""

    def get_traceback_html(self):
        return mask_credentials(super().get_traceback_html())

    def get_traceback_text(self):
        return mask_credentials(super().get_traceback_text())


class MaskCredentialsLogFilter(logging.Filter):
    """Masks addresses with credentials in log lines and their tracebacks."""

    def filter(self, record):
        record.msg = mask_credentials(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_credentials(record.exc_text)
        return True
