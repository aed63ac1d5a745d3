"""Form widgets shared by the apps."""

from django import forms


class Select(forms.Select):
    """A select rendered by one template instead of one template per option: a list page's
    filter form has some 70 options, and Django's per-option templates cost more than the rest
    of the page. Options carry no attributes of their own (Django's would)."""

    template_name = "core/widgets/select.html"
