"""Media-centre workflows, one module per step (uploads, publishing, moderation, finding,
counts, freshness). Views, the API, the admin, the demo and the tasks call these."""

from hilfenetz.media.services.common import ITEM_FIELDS, REVIEW_INTERVAL
from hilfenetz.media.services.counts import count_download, download_statistics
from hilfenetz.media.services.finding import Filters, browse, platform_document
from hilfenetz.media.services.freshness import needing_attention, remind_reviews
from hilfenetz.media.services.moderation import approve, mark_reviewed, publish, withdraw
from hilfenetz.media.services.publishing import (
    add_captions,
    add_language,
    create_item,
    delete_file,
    update_item,
)
from hilfenetz.media.services.uploads import Upload, reindex

__all__ = [
    "Filters",
    "ITEM_FIELDS",
    "REVIEW_INTERVAL",
    "Upload",
    "add_captions",
    "add_language",
    "approve",
    "browse",
    "count_download",
    "create_item",
    "delete_file",
    "download_statistics",
    "mark_reviewed",
    "needing_attention",
    "platform_document",
    "publish",
    "reindex",
    "remind_reviews",
    "update_item",
    "withdraw",
]
