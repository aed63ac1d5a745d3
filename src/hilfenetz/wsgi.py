import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hilfenetz.settings")
application = get_wsgi_application()

# Each web worker loads the similarity index as it starts, not on a visitor's request.
from hilfenetz.exchange import similarity  # noqa: E402  (needs the apps loaded above)

similarity.warm_up()

# Every view and what it imports is loaded now, not on the worker's first request; then all of
# it (some 180,000 objects that live as long as the worker) is left out of the garbage
# collector's passes: a full pass walked them every hundred or so list pages, about 80 ms each.
import_module(settings.ROOT_URLCONF)
gc.freeze()
