"""The public JSON API, version 1. Each app contributes a router in its ``api.py``."""

from hilfenetz.core.api_errors import HilfenetzAPI
from hilfenetz.core.pagination import MAX_COUNT, MAX_LIMIT, MAX_OFFSET
from hilfenetz.directory.api import router as directory_router
from hilfenetz.exchange.api import router as exchange_router
from hilfenetz.media.api import router as media_router
from hilfenetz.network.api import router as network_router
from hilfenetz.regions.api import router as regions_router

api = HilfenetzAPI(
    title="Hilfenetz API",
    version="1",
    description="Public data of Hilfenetz. Lists are paginated with `limit` (at most "
    f"{MAX_LIMIT}) and `offset` (at most {MAX_OFFSET}) and answer "
    f'`{{"count": N, "items": [...]}}`; `count` stops at {MAX_COUNT}. The listings add `capped` '
    "and `next`: passed back as `cursor`, it continues the list newest first beyond any offset, "
    "each page at the cost of the first. No personal contact data is ever returned. Errors "
    'answer `{"detail": ...}` with the status codes documented for each operation.',
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
api.add_router("/", regions_router)
api.add_router("/", directory_router)
api.add_router("/", exchange_router)
api.add_router("/", network_router)
api.add_router("/", media_router)
