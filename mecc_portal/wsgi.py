import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mecc_portal.settings")

application = get_wsgi_application()

# Import every view now, as each worker starts, not on its first request: the first person a
# new worker serves does not wait for it, and memory measured during a request (the bench's
# CSV export) is the request's own (the URLconf's imports are about 50 MB per worker).
get_resolver().url_patterns  # noqa: B018 - loading it is the point
