import html

from django import template
from django.conf import settings
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockNode
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from hilfenetz.core import frame, i18n, moderation, page_cache
from hilfenetz.core.page_cache import CSRF_MARK
from hilfenetz.core.predicates import allowed as allowed_rule
from hilfenetz.core.scoping import coordinator_scope

register = template.Library()


@register.simple_tag(takes_context=True)
def allowed(context, rule_name, obj=None):
    """``{% allowed "rule.name" obj as ok %}``: the same rules the views use."""
    return allowed_rule(rule_name, context["request"].user, obj)


@register.simple_tag(takes_context=True)
def frame_viewer(context) -> str:
    """Who the frame is for (``core.frame.viewer``): a visitor on the pages that must render
    without a session, which have no user."""
    return frame.viewer(context.get("user"))


@register.simple_tag(takes_context=True)
def moderation_waiting(context):
    """How many things wait in the moderation queue of the viewer (None: they have none). The
    same for everyone of a scope, so counted once for them all until one of them changes."""
    user = getattr(context.get("request"), "user", None)  # none on an early error page
    if user is None or not allowed_rule("core.moderation_queue", user):
        return None
    return page_cache.same_for_group(
        "moderation-waiting", coordinator_scope(user).key, lambda: moderation.waiting(user)
    )


@register.simple_tag
def user_text(text, lang="", element="span"):
    """User-written text, escaped, with its language and ``dir="auto"``. (Built with
    ``html.escape`` rather than ``format_html``: a list page shows it once per card; plain text,
    what it nearly always is, needs none of ``conditional_escape``'s checks.)"""
    if element not in {"span", "p", "div", "bdi", "h1", "h2", "h3"}:
        element = "span"
    language = f' lang="{html.escape(str(lang))}"' if lang else ""
    text = html.escape(text) if type(text) is str else conditional_escape(text)
    return SafeString(f'<{element}{language} dir="auto">{text}</{element}>')


@register.simple_tag(takes_context=True)
def person_name(context, person):
    """A person's display name where the viewer may see it (the rule ``accounts.see_name``),
    otherwise a neutral label: visitors never learn who wrote on the platform."""
    if person is not None and allowed_rule(
        "accounts.see_name", getattr(context.get("request"), "user", None), person
    ):
        return user_text(person.display_name)
    return _("A member")


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


class KeepNode(template.Node):
    def __init__(self, nodelist, kind, parts, reads):
        self.nodelist, self.kind, self.parts, self.reads = nodelist, kind, parts, reads
        self.blocks = tuple(node.name for node in nodelist.get_nodes_by_type(BlockNode))

    def render(self, context):
        request = context.get("request")
        if settings.PAGE_CACHE_SECONDS <= 0:  # off: rendered on each page
            with context.push(here=request.get_full_path() if request is not None else ""):
                return self.nodelist.render(context)
        parts = tuple(str(part.resolve(context)) for part in self.parts)
        if self.blocks:
            parts += self._fillers(context)
        # Kept with stand-ins for the request's own nonce and CSRF token, which go in afterwards.
        # Asked by key only: reading them would make the request use a nonce and set a cookie.
        marks = {
            name: mark
            for name, mark in (("csp_nonce", page_cache.NONCE_MARK), ("csrf_token", CSRF_MARK))
            if name in context
        }
        if request is not None:
            marks["here"] = page_cache.HERE_MARK
        with context.push(marks):
            markup = page_cache.kept(
                self.kind,
                parts,
                lambda: self.nodelist.render(context),
                reads=page_cache.model_tables(*self.reads),
            )
        return page_cache.fill_in(
            markup, context.get("csp_nonce"), context.get("csrf_token"), request
        )

    def _fillers(self, context) -> tuple:
        """The templates whose {% block %}s fill the blocks inside: a page that extends the
        layout may fill them otherwise (core/minimal_base.html leaves the menu out)."""
        blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
        if blocks is None:
            return ()
        origins = (getattr(blocks.get_block(name), "origin", None) for name in self.blocks)
        return tuple(getattr(origin, "template_name", None) for origin in origins)


@register.tag
def keep(parser, token):
    """``{% keep "kind" part… reads="app.Model …" %}…{% endkeep %}``: the block rendered once per
    language, host, day, parts and data version of the tables it reads (core/page_cache.py),
    and per the templates that fill the {% block %}s inside it. ``reads`` names models whose
    objects reach the block already loaded (prefetched). Inside, ``{{ here }}`` is the
    request's path and query (put in per request, like its nonce and CSRF token). With the page
    cache off (``PAGE_CACHE_SECONDS`` 0) the block is rendered on each page."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("keep needs a kind")
    kind = bits[1].strip("\"'")
    reads = ()
    parts = []
    for bit in bits[2:]:
        if bit.startswith("reads="):
            reads = tuple(bit.removeprefix("reads=").strip("\"'").split())
        else:
            parts.append(parser.compile_filter(bit))
    nodelist = parser.parse(("endkeep",))
    parser.delete_first_token()
    return KeepNode(nodelist, kind, parts, reads)


# Values embedded in translated sentences: without isolation an Arabic or Persian sentence
# splits and reorders an e-mail address, "83.4 KB · 0:04" or a German name.
@register.filter
def isolate(value):
    """``{{ name|isolate }}``: a name, title or date in its own direction (``<bdi>``)."""
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def isolate_ltr(value):
    """``{{ email|isolate_ltr }}``: e-mail addresses, phone numbers, sizes and durations,
    which always read left to right, also when they hold no Latin letter."""
    return format_html('<bdi dir="ltr">{}</bdi>', value)


@register.filter
def isolate_text(value):
    """``{{ name|isolate_text }}`` in plain-text mails: the Unicode isolates FSI…PDI."""
    return i18n.isolate(value)


@register.filter
def isolate_ltr_text(value):
    """``{{ email|isolate_ltr_text }}`` in plain-text mails: LRI…PDI."""
    return i18n.isolate_ltr(value)


@register.filter
def language(code):
    """A language named in its own language and script, marked with its ``lang``:
    ``{{ "de"|language }}`` is ``<bdi lang="de">Deutsch</bdi>`` on every page."""
    return format_html('<bdi lang="{}">{}</bdi>', code, i18n.language_name(code))


@register.filter
def languages(codes):
    """A list of language codes as their names (``language``), separated by commas."""
    return format_html_join(", ", "{}", ((language(code),) for code in codes or ()))
