from django.urls import path

from referrals.api.fhir import ServiceRequestView
from referrals.views import conversations, directory, directory_sections, referrals, topics

app_name = "referrals"

urlpatterns = [
    # Service directory
    path("directory/", directory.directory_search, name="directory_search"),
    path("directory/listings/", directory.my_listings, name="my_listings"),
    path("directory/import/", directory.directory_import, name="directory_import"),
    path(
        "directory/services/<uuid:service_uuid>/",
        directory.service_detail,
        name="service_detail",
    ),
    path(
        "directory/services/<uuid:service_uuid>/edit/",
        directory.service_edit,
        name="service_edit",
    ),
    path(
        "directory/services/<uuid:service_uuid>/verify/",
        directory.service_verify,
        name="service_verify",
    ),
    path(
        "directory/services/<uuid:service_uuid>/report/",
        directory.service_report_problem,
        name="service_report_problem",
    ),
    path(
        "directory/services/<uuid:service_uuid>/places/",
        directory_sections.service_locations_edit,
        name="service_locations_edit",
    ),
    path(
        "directory/services/<uuid:service_uuid>/hours/",
        directory_sections.service_hours_edit,
        name="service_hours_edit",
    ),
    path(
        "directory/services/<uuid:service_uuid>/contacts/",
        directory_sections.service_contacts_edit,
        name="service_contacts_edit",
    ),
    # Prevention topics (commissioners and administrators)
    path("directory/topics/", topics.topic_list, name="topic_list"),
    path("directory/topics/new/", topics.topic_create, name="topic_create"),
    path("directory/topics/<slug:slug>/edit/", topics.topic_edit, name="topic_edit"),
    # Public listing page (opened from a printed card's QR code; no sign-in).
    path("services/<uuid:service_uuid>/", directory.service_public, name="service_public"),
    # Conversations, signposts and sharing a service
    path("conversations/", conversations.conversation_list, name="conversation_list"),
    path("conversations/new/", conversations.conversation_log, name="conversation_log"),
    path(
        "conversations/services/",
        conversations.conversation_services,
        name="conversation_services",
    ),
    path(
        "conversations/organisation/",
        conversations.organisation_conversations,
        name="organisation_conversations",
    ),
    path(
        "conversations/organisation/export.csv",
        conversations.organisation_conversations_csv,
        name="organisation_conversations_csv",
    ),
    path(
        "conversations/<uuid:conversation_uuid>/",
        conversations.conversation_detail,
        name="conversation_detail",
    ),
    path(
        "conversations/<uuid:conversation_uuid>/edit/",
        conversations.conversation_edit,
        name="conversation_edit",
    ),
    path(
        "conversations/<uuid:conversation_uuid>/signpost/<uuid:service_uuid>/",
        conversations.signpost_create,
        name="signpost_create",
    ),
    path(
        "conversations/<uuid:conversation_uuid>/refer/<uuid:service_uuid>/",
        referrals.referral_create,
        name="referral_create",
    ),
    path("impact/", conversations.my_impact, name="my_impact"),
    path("share/<uuid:service_uuid>/", conversations.service_share, name="service_share"),
    path("s/<str:code>/", conversations.service_short_link, name="service_short_link"),
    # Referrals
    path("referrals/", referrals.referrals_sent, name="referrals_sent"),
    path("referrals/inbox/", referrals.referral_inbox, name="referral_inbox"),
    path("referrals/<uuid:referral_uuid>/", referrals.referral_detail, name="referral_detail"),
    path(
        "referrals/<uuid:referral_uuid>/status/",
        referrals.referral_status,
        name="referral_status",
    ),
    path(
        "referrals/<uuid:referral_uuid>/contact/",
        referrals.referral_contact,
        name="referral_contact",
    ),
    path(
        "api/fhir/ServiceRequest/<uuid:referral_uuid>",
        ServiceRequestView.as_view(),
        name="fhir_service_request",
    ),
]
