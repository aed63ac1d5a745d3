import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hilfenetz.settings")
application = get_wsgi_application()

# Each web worker loads the similarity index as it starts, not on a visitor's request.
from hilfenetz.exchange import similarity  # noqa: E402  (needs the apps loaded above)

similarity.warm_up()
