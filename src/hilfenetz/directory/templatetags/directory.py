from django import template

register = template.Library()


@register.simple_tag
def contact_finder_form():
    """The "who is my contact?" form, for pages that are not the directory's own."""
    from hilfenetz.directory.forms import ContactFinderForm

    return ContactFinderForm()
