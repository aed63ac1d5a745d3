"""What the browser tests of every app share: a page for one more person, and the check that a
page fits a phone's 320 px wide screen."""

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
