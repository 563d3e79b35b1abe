"""Production settings for the portal server the fault tests start, less one thing.

The compressed manifest storage needs `collectstatic` first, which takes minutes; pages
render the same without it (static files are not what these tests exercise).
"""

from mecc_portal.settings import *  # noqa: F403
from mecc_portal.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
