"""/openreferral/...: the Open Referral UK API (no trailing slashes, as the standard has it)."""

from django.urls import path, re_path

from referrals.api import oruk

app_name = "openreferral"

urlpatterns = [
    path("", oruk.ApiRoot.as_view(), name="root"),
    path("services", oruk.ServiceList.as_view(), name="services"),
    path("services/<str:id>", oruk.ServiceDetail.as_view(), name="service"),
    path(
        "service_at_locations",
        oruk.ServiceAtLocationList.as_view(),
        name="service_at_locations",
    ),
    path(
        "service_at_locations/<str:id>",
        oruk.ServiceAtLocationDetail.as_view(),
        name="service_at_location",
    ),
    path("taxonomies", oruk.TaxonomyList.as_view(), name="taxonomies"),
    path("taxonomies/<str:id>", oruk.TaxonomyDetail.as_view(), name="taxonomy"),
    path("taxonomy_terms", oruk.TaxonomyTermList.as_view(), name="taxonomy_terms"),
    path("taxonomy_terms/<str:id>", oruk.TaxonomyTermDetail.as_view(), name="taxonomy_term"),
    # Anything else under /openreferral/ is a JSON 404 that still allows any origin.
    re_path(r"^(?P<rest>.*)$", oruk.not_found),
]
