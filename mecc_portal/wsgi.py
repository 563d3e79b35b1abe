import gc
import os

import redis  # noqa: F401 - the cache's client library, imported by its first use otherwise
from django.core.wsgi import get_wsgi_application
from django.template import engines
from django.urls import get_resolver, reverse

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mecc_portal.settings")

application = get_wsgi_application()

# Everything a new worker would otherwise do on its first requests, done as it starts:
# - import every view: the first person a worker serves does not wait for it, and memory
#   measured during a request (the bench's CSV export) is the request's own (the URLconf's
#   imports are about 50 MB per worker);
# - build the URL resolver's reverse index: Django lets each thread that finds it missing
#   build its own, so a burst on a new worker (100 people booking at once) built it once per
#   thread, most of the first second's CPU;
# - finalise the Celery app (its task registry, canvas module and result backend, found by
#   scanning every installed package's entry points), load the template engine's tag
#   libraries and the Redis client, which the first email queued after a booking otherwise
#   paid for.
get_resolver().url_patterns  # noqa: B018 - loading it is the point
reverse("home")
engines.all()

from mecc_portal.celery import app as celery_app  # noqa: E402 - after Django is set up

celery_app.finalize(auto=True)
celery_app.backend  # noqa: B018 - loading it is the point

# What is loaded by now (about 200,000 objects: modules, classes, URL patterns, templates)
# lives as long as the worker. Frozen, the garbage collector's full collections no longer
# walk it: one such collection took 70-140 ms of the worker's GIL, which every request in
# the worker waited out, about once every 1,500 requests (docs/performance.md, seventh round).
# Collected first, so no garbage left over from start-up is frozen with it.
gc.collect()
gc.freeze()
