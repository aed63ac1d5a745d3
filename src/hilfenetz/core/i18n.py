"""Strings of Django itself that its catalogues do not translate into all our languages yet.

Django 6.1's blank choice of every select ("- Select an option -") has no German, Arabic,
Farsi or Ukrainian translation; naming it here puts it into our catalogue, which Django
consults as well.
"""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = [gettext_noop("- Select an option -")]
