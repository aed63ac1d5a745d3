from hilfenetz.media.models import PlatformDocument
from hilfenetz.media.tests.factories import MediaFileFactory, MediaItemFactory


def standards(district, title="Standards Bürgerschaftliches Engagement"):
    """The district's published BE standards with one German file."""
    item = MediaItemFactory(
        district=district, platform_document=PlatformDocument.VOLUNTEER_STANDARDS, title=title
    )
    MediaFileFactory(item=item)
    return item
