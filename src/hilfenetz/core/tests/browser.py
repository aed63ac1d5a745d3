"""What the browser tests of every app share: a page for one more person, the check that a page
fits a phone's 320 px wide screen, and the check that its text is drawn with our own fonts."""

from django.conf import settings
from django.test import Client


def page_for(browser, live_server, user, language):
    """A page in a browser context of its own for one more person (logged in if ``user``)."""
    context = browser.new_context()
    cookies = [{"name": "hilfenetz_language", "value": language, "url": live_server.url}]
    if user is not None:
        client = Client()
        client.force_login(user)
        cookies.append(
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        )
    context.add_cookies(cookies)
    return context.new_page()


def fits_320(page, label=""):
    """The page needs no sideways scrolling at 320 px; the viewport is put back afterwards."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(size)
    assert width <= 320, f"{label or page.url}: {width}px wide at 320 px"


# What Chromium draws a text with: our self-hosted fonts, never a system fallback (which on a
# phone without the script draws empty boxes).
OWN_FONTS = {"Noto Sans", "Noto Sans Arabic", "Noto Sans Ethiopic"}
TEXT = ["h1", "h2", "h3", "p", "a", "label", "legend", "button", "summary", "th", "td", "li"]
FIXED_WIDTH = ["code", "kbd", "samp", "pre", ".slip-code"]


def drawn_with_own_fonts(page, label="", per_selector=15):
    """Every text of the page's headings, paragraphs, links, labels, buttons and cells (up to
    ``per_selector`` of each) is drawn with ``OWN_FONTS``, as Chromium itself reports it; only
    a fixed-width element (a web address, a code) may use the system's fixed-width font."""
    page.evaluate("document.fonts.ready")
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        used, texts = set(), []
        for selector in TEXT:
            found = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})
            for node in found["nodeIds"][:per_selector]:
                fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
                names = {font["familyName"] for font in fonts}
                if names - OWN_FONTS:  # named in the failure: which text it is
                    html = cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"]
                    texts.append(html[:200])
                used |= names
        # a web address or a code (Latin only) in the system's fixed-width font
        fixed = set()
        for selector in FIXED_WIDTH:
            found = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})
            for node in found["nodeIds"]:
                fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
                fixed |= {font["familyName"] for font in fonts} - OWN_FONTS
    finally:
        cdp.detach()
    other = used - OWN_FONTS - fixed
    assert not other, f"{label or page.url}: drawn with {sorted(other)}: {texts}"
    return used
