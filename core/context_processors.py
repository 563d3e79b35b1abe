from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": "MECC Portal",
        "debug": settings.DEBUG,
        "support_email": settings.SUPPORT_EMAIL,
    }
