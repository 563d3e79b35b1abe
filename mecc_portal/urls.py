from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from training.views.learner import certificate_verify

urlpatterns = [
    path("", include("core.urls")),
    path("", include("accounts.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script from a URL: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("accounts/", include("allauth.urls")),
    path("accounts/sessions/", include("allauth.usersessions.urls")),
    path("admin/", admin.site.urls),
    path("training/", include("training.urls")),
    path("", include("referrals.urls")),
    path("", include("evaluation.urls")),
    path("openreferral/", include("referrals.api.oruk_urls")),
    path("certificates/verify/<str:code>/", certificate_verify, name="certificate_verify"),
]

# A database error raised in a middleware is answered with the 503 page, not a 500.
handler500 = "core.views.server_error"
