# One row per route on one line, so the table reads as a table: long lines are allowed here.
# ruff: noqa: E501
"""The permission matrix: what every route answers to every role, in one table.

`MATRIX` maps each route (its namespaced URL name, or its pattern when it has none) to the
expected answer per HTTP method and role. tests/security/test_permission_matrix.py opens every
route of the URL configuration as every role and fails on any other answer, on any route
missing here, and on any write to the database by a refused request.

How to read a cell:
- an int is the status code; LOGIN is a redirect to the sign-in page (ADMIN_LOGIN: to the
  admin's sign-in, which sends a signed-in non-administrator a 403);
- a pair `(in, out)` is the answer on the role's own object and on the other side's twin
  (tests/security/world.py: the home side is Camden, the away side Haringey); a single value
  holds for both;
- `OTHERS` is every role not named in the row; `POST: SAME` means the POST answers as the GET.
Roles: ANON (not signed in), NO_ROLE (signed in, no role yet), FW frontline worker, TR
trainer, TL training lead, SP service provider, CO commissioner (Camden), AD administrator
(the whole partnership, so both sides are in scope for AD).

A POST carries an empty form: for a role that may act it shows the form again with errors
(200/400) or, for a one-button action, does it (302) inside a savepoint that the test rolls
back. 404 rather than 403 means the object or page is as invisible as one that does not exist.
"""

from __future__ import annotations

ANON, NO_ROLE, FW, TR, TL, SP, CO, AD, OTHERS = (
    "anonymous",
    "no_role",
    "frontline_worker",
    "trainer",
    "training_lead",
    "service_provider",
    "commissioner",
    "administrator",
    "*",
)
GET, POST = "GET", "POST"
LOGIN = "login"
ADMIN_LOGIN = "admin login"
SAME = "same as GET"

Answer = int | str
Cell = Answer | tuple[Answer, Answer]
Row = dict[str, dict[str, Cell] | str]

# fmt: off
MATRIX: dict[str, Row] = {
    # --- Core pages ---------------------------------------------------------------------------
    "home": {GET: {ANON: LOGIN, OTHERS: 200}, POST: SAME},
    "accessibility": {GET: {OTHERS: 200}, POST: {OTHERS: 405}},
    "privacy": {GET: {OTHERS: 200}, POST: {OTHERS: 405}},
    "healthz": {GET: {OTHERS: 200}, POST: {OTHERS: 405}},
    "livez": {GET: {OTHERS: 200}, POST: {OTHERS: 405}},
    # The audit log names who read which resident's referral: administrators only.
    "accounts:audit_log": {GET: {ANON: LOGIN, AD: 200, OTHERS: 404}, POST: {ANON: LOGIN, AD: 405, OTHERS: 404}},
    "accounts:audit_log_csv": {GET: {ANON: LOGIN, AD: 200, OTHERS: 404}, POST: {ANON: LOGIN, AD: 405, OTHERS: 404}},
    # The OpenAPI schema and its viewer are public, like the Open Referral API they describe:
    # they name the endpoints, and every endpoint still checks who is asking.
    "api-schema": {GET: {OTHERS: 200}, POST: {OTHERS: 405}},
    "api-docs": {GET: {OTHERS: 200}, POST: {OTHERS: 405}},
    # --- Sign-in, account and two-factor pages (allauth) --------------------------------------
    # Signed-in people are sent on from the sign-in and sign-up pages; pages that change a
    # second factor ask for the password again first (302 to reauthenticate).
    "account_login": {GET: {ANON: 200, OTHERS: 302}, POST: SAME},
    "account_logout": {GET: {ANON: LOGIN, OTHERS: 200}, POST: {OTHERS: LOGIN}},
    "account_inactive": {GET: {OTHERS: 200}, POST: {OTHERS: 405}},
    "account_signup": {GET: {ANON: 200, OTHERS: 302}, POST: SAME},
    "account_reauthenticate": {GET: {ANON: LOGIN, OTHERS: 200}, POST: SAME},
    # Confirming by an emailed code is switched off (settings: password or MFA only).
    "account_request_reauthentication_code": {GET: {ANON: LOGIN, OTHERS: 403}, POST: SAME},
    "account_confirm_reauthentication_code": {GET: {ANON: LOGIN, OTHERS: 403}, POST: SAME},
    "account_email": {GET: {ANON: LOGIN, OTHERS: 200}, POST: {ANON: LOGIN, OTHERS: 302}},
    "account_email_verification_sent": {GET: {OTHERS: 200}, POST: {OTHERS: 405}},
    "account_change_password": {GET: {ANON: LOGIN, OTHERS: 200}, POST: SAME},
    "account_set_password": {GET: {ANON: LOGIN, OTHERS: 302}, POST: SAME},
    "account_reset_password": {GET: {OTHERS: 200}, POST: SAME},
    "account_confirm_login_code": {GET: {ANON: LOGIN, OTHERS: 302}, POST: SAME},
    "account_confirm_email": {GET: {OTHERS: 200}, POST: {OTHERS: 404}},
    "account_reset_password_from_key_done": {GET: {OTHERS: 200}, POST: {OTHERS: 405}},
    "account_reset_password_from_key": {GET: {OTHERS: 200}, POST: SAME},
    "account_reset_password_done": {GET: {OTHERS: 200}, POST: {OTHERS: 405}},
    "mfa_index": {GET: {ANON: LOGIN, OTHERS: 200}, POST: {ANON: LOGIN, OTHERS: 405}},
    "mfa_authenticate": {GET: {ANON: LOGIN, OTHERS: 302}, POST: SAME},
    # Only the MFA roles hold a TOTP authenticator in the world, so only they can re-confirm it.
    "mfa_reauthenticate": {GET: {ANON: LOGIN, TL: 200, CO: 200, AD: 200, OTHERS: 302}, POST: SAME},
    "mfa_activate_totp": {GET: {ANON: LOGIN, OTHERS: 302}, POST: SAME},
    "mfa_deactivate_totp": {GET: {ANON: LOGIN, TL: 302, CO: 302, AD: 302, OTHERS: 404}, POST: SAME},
    "mfa_view_recovery_codes": {GET: {ANON: LOGIN, OTHERS: 404}, POST: {ANON: LOGIN, OTHERS: 405}},
    "mfa_generate_recovery_codes": {GET: {ANON: LOGIN, OTHERS: 302}, POST: SAME},
    "mfa_download_recovery_codes": {GET: {ANON: LOGIN, OTHERS: 404}, POST: SAME},
    "mfa_list_webauthn": {GET: {ANON: LOGIN, OTHERS: 200}, POST: {ANON: LOGIN, OTHERS: 405}},
    "mfa_add_webauthn": {GET: {ANON: LOGIN, OTHERS: 302}, POST: SAME},
    "mfa_reauthenticate_webauthn": {GET: {ANON: LOGIN, OTHERS: 302}, POST: SAME},
    "mfa_remove_webauthn": {GET: {ANON: LOGIN, OTHERS: 302}, POST: SAME},
    "mfa_edit_webauthn": {GET: {ANON: LOGIN, OTHERS: 302}, POST: SAME},
    "usersessions_list": {GET: {ANON: LOGIN, OTHERS: 200}, POST: {ANON: LOGIN, OTHERS: 302}},
    # --- Training ------------------------------------------------------------------------------
    # The catalogue is the partnership's: any learner may see and book another organisation's
    # course or session (so OUT answers as IN for them). Providers and commissioners book none.
    "training:catalogue": {GET: {ANON: LOGIN, NO_ROLE: 403, SP: 403, CO: 403, OTHERS: 200}, POST: SAME},
    "training:course_detail": {GET: {ANON: LOGIN, NO_ROLE: 403, SP: 403, CO: 403, OTHERS: 200}, POST: SAME},
    "training:session_detail": {GET: {ANON: LOGIN, NO_ROLE: 403, SP: 403, CO: 403, OTHERS: 200}, POST: SAME},
    "training:session_calendar": {GET: {ANON: LOGIN, NO_ROLE: 403, SP: 403, CO: 403, OTHERS: 200}, POST: SAME},
    "training:session_book": {GET: {OTHERS: 405}, POST: {ANON: LOGIN, NO_ROLE: 403, SP: 403, CO: 403, OTHERS: 302}},
    "training:session_book_staff": {GET: {ANON: LOGIN, TL: 200, AD: 200, OTHERS: 403}, POST: SAME},
    # Only the learner cancels their own booking or downloads their own certificate; a lead or
    # administrator never acts as the learner.
    "training:booking_cancel": {GET: {ANON: LOGIN, FW: (200, 404), TR: 404, TL: 404, AD: 404, OTHERS: 403}, POST: {ANON: LOGIN, FW: (302, 404), TR: 404, TL: 404, AD: 404, OTHERS: 403}},
    "training:courses_manage": {GET: {ANON: LOGIN, TL: 200, AD: 200, OTHERS: 403}, POST: SAME},
    "training:course_create": {GET: {ANON: LOGIN, TL: 200, AD: 200, OTHERS: 403}, POST: SAME},
    "training:course_edit": {GET: {ANON: LOGIN, TL: (200, 404), AD: 200, OTHERS: 403}, POST: SAME},
    "training:sessions_manage": {GET: {ANON: LOGIN, TR: 200, TL: 200, AD: 200, OTHERS: 403}, POST: SAME},
    "training:session_create": {GET: {ANON: LOGIN, TR: 200, TL: 200, AD: 200, OTHERS: 403}, POST: SAME},
    "training:session_edit": {GET: {ANON: LOGIN, TR: (200, 404), TL: (200, 404), AD: 200, OTHERS: 403}, POST: SAME},
    "training:session_cancel": {GET: {ANON: LOGIN, TR: (200, 404), TL: (200, 404), AD: 200, OTHERS: 403}, POST: SAME},
    "training:session_register": {GET: {ANON: LOGIN, TR: (200, 404), TL: (200, 404), AD: 200, OTHERS: 403}, POST: SAME},
    "training:my_training": {GET: {ANON: LOGIN, NO_ROLE: 403, SP: 403, CO: 403, OTHERS: 200}, POST: SAME},
    "training:certificate_download": {GET: {ANON: LOGIN, FW: (200, 404), TR: 404, TL: 404, AD: 404, OTHERS: 403}, POST: SAME},
    "training:compliance": {GET: {ANON: LOGIN, TL: 200, AD: 200, OTHERS: 403}, POST: SAME},
    "training:compliance_csv": {GET: {ANON: LOGIN, TL: 200, AD: 200, OTHERS: 403}, POST: SAME},
    # Commissioners read submitted quality-marker assessments of their area, never edit them.
    "training:quality_list": {GET: {ANON: LOGIN, TL: 200, CO: 200, AD: 200, OTHERS: 403}, POST: SAME},
    "training:quality_create": {GET: {ANON: LOGIN, TL: 200, AD: 200, OTHERS: 403}, POST: SAME},
    "training:quality_detail": {GET: {ANON: LOGIN, TL: (200, 404), CO: (200, 404), AD: 200, OTHERS: 403}, POST: SAME},
    # A submitted assessment is no longer editable: its leads are sent back to read it.
    "training:quality_edit": {GET: {ANON: LOGIN, TL: (302, 404), AD: 302, OTHERS: 403}, POST: SAME},
    "training:quality_attachment": {GET: {ANON: LOGIN, TL: (200, 404), CO: (200, 404), AD: 200, OTHERS: 403}, POST: SAME},
    "training:trainers": {GET: {ANON: LOGIN, TL: 200, AD: 200, OTHERS: 403}, POST: SAME},
    "training:trainer_accreditation": {GET: {ANON: LOGIN, TL: 200, AD: 200, OTHERS: 403}, POST: SAME},
    "training:import_upload": {GET: {ANON: LOGIN, TL: 200, AD: 200, OTHERS: 403}, POST: SAME},
    # An upload is seen by the organisation's leads only (the file lists named staff).
    "training:import_preview": {GET: {ANON: LOGIN, TL: (200, 404), AD: 404, OTHERS: 403}, POST: {ANON: LOGIN, TL: (302, 404), AD: 404, OTHERS: 403}},
    # --- Service directory -----------------------------------------------------------------------
    # Any signed-in member of staff may look services up and report a wrong listing; only the
    # provider (or an administrator) edits a listing.
    "referrals:directory_search": {GET: {ANON: LOGIN, OTHERS: 200}, POST: {ANON: LOGIN, OTHERS: 405}},
    "referrals:my_listings": {GET: {ANON: LOGIN, SP: 200, AD: 200, OTHERS: 403}, POST: {ANON: LOGIN, SP: 405, AD: 405, OTHERS: 403}},
    "referrals:directory_import": {GET: {ANON: LOGIN, AD: 200, OTHERS: 403}, POST: SAME},
    "referrals:service_detail": {GET: {ANON: LOGIN, OTHERS: 200}, POST: {ANON: LOGIN, OTHERS: 405}},
    "referrals:service_edit": {GET: {ANON: LOGIN, SP: (200, 404), AD: 200, OTHERS: 403}, POST: SAME},
    "referrals:service_verify": {GET: {OTHERS: 405}, POST: {ANON: LOGIN, SP: (302, 404), AD: 302, OTHERS: 403}},
    "referrals:service_report_problem": {GET: {ANON: LOGIN, OTHERS: 200}, POST: SAME},
    "referrals:service_locations_edit": {GET: {ANON: LOGIN, SP: (200, 404), AD: 200, OTHERS: 403}, POST: SAME},
    "referrals:service_hours_edit": {GET: {ANON: LOGIN, SP: (200, 404), AD: 200, OTHERS: 403}, POST: SAME},
    "referrals:service_contacts_edit": {GET: {ANON: LOGIN, SP: (200, 404), AD: 200, OTHERS: 403}, POST: SAME},
    "referrals:topic_list": {GET: {ANON: LOGIN, CO: 200, AD: 200, OTHERS: 403}, POST: {OTHERS: 405}},
    "referrals:topic_create": {GET: {ANON: LOGIN, CO: 200, AD: 200, OTHERS: 403}, POST: SAME},
    "referrals:topic_edit": {GET: {ANON: LOGIN, CO: 200, AD: 200, OTHERS: 403}, POST: SAME},
    "referrals:service_public": {GET: {OTHERS: 200}, POST: {OTHERS: 405}},
    # --- Conversations and referrals -------------------------------------------------------------
    # A conversation is seen by its author and their organisation's training lead; a referral
    # also by the receiving provider. Commissioners see neither (aggregates only).
    "referrals:conversation_list": {GET: {ANON: LOGIN, FW: 200, AD: 200, OTHERS: 403}, POST: {ANON: LOGIN, FW: 405, AD: 405, OTHERS: 403}},
    "referrals:conversation_log": {GET: {ANON: LOGIN, FW: 200, AD: 200, OTHERS: 403}, POST: SAME},
    "referrals:conversation_services": {GET: {ANON: LOGIN, FW: 200, AD: 200, OTHERS: 403}, POST: {ANON: LOGIN, FW: 405, AD: 405, OTHERS: 403}},
    "referrals:organisation_conversations": {GET: {ANON: LOGIN, TL: 200, AD: 200, OTHERS: 403}, POST: {ANON: LOGIN, TL: 405, AD: 405, OTHERS: 403}},
    "referrals:organisation_conversations_csv": {GET: {ANON: LOGIN, TL: 200, AD: 200, OTHERS: 403}, POST: {ANON: LOGIN, TL: 405, AD: 405, OTHERS: 403}},
    "referrals:conversation_detail": {GET: {ANON: LOGIN, FW: (200, 404), TL: (200, 404), AD: 200, OTHERS: 404}, POST: {ANON: LOGIN, OTHERS: 405}},
    "referrals:conversation_edit": {GET: {ANON: LOGIN, FW: (200, 404), AD: 404, OTHERS: 403}, POST: SAME},
    "referrals:signpost_create": {GET: {OTHERS: 405}, POST: {ANON: LOGIN, FW: (302, 404), AD: 404, OTHERS: 403}},
    "referrals:referral_create": {GET: {ANON: LOGIN, FW: (200, 404), AD: 404, OTHERS: 403}, POST: SAME},
    "referrals:my_impact": {GET: {ANON: LOGIN, FW: 200, AD: 200, OTHERS: 403}, POST: {ANON: LOGIN, FW: 405, AD: 405, OTHERS: 403}},
    "referrals:service_share": {GET: {ANON: LOGIN, OTHERS: 200}, POST: {ANON: LOGIN, OTHERS: 405}},
    "referrals:service_short_link": {GET: {OTHERS: 302}, POST: {OTHERS: 405}},
    "referrals:referrals_sent": {GET: {ANON: LOGIN, FW: 200, AD: 200, OTHERS: 403}, POST: {ANON: LOGIN, FW: 405, AD: 405, OTHERS: 403}},
    "referrals:referral_inbox": {GET: {ANON: LOGIN, SP: 200, AD: 200, OTHERS: 403}, POST: {ANON: LOGIN, SP: 405, AD: 405, OTHERS: 403}},
    "referrals:referral_detail": {GET: {ANON: LOGIN, FW: (200, 404), TL: (200, 404), SP: (200, 404), AD: 200, OTHERS: 404}, POST: {ANON: LOGIN, OTHERS: 405}},
    # An administrator may move a referral on for a provider who cannot (support), but see below.
    "referrals:referral_status": {GET: {ANON: LOGIN, OTHERS: 405}, POST: {ANON: LOGIN, FW: (400, 404), SP: (400, 404), AD: 400, OTHERS: 404}},
    # The resident's contact details: the receiving provider only, every read audited. Not the
    # administrator: running the portal is no reason to read a resident's phone number (IG
    # least privilege; the matrix found an administrator could read every referral's).
    "referrals:referral_contact": {GET: {ANON: LOGIN, OTHERS: 405}, POST: {ANON: LOGIN, SP: (200, 404), OTHERS: 404}},
    # The FHIR API answers 403 (DRF) rather than a redirect when nobody is signed in.
    "referrals:fhir_service_request": {GET: {ANON: 403, FW: (200, 404), TL: (200, 404), SP: (200, 404), AD: 200, OTHERS: 404}, POST: {ANON: 403, OTHERS: 405}},
    # --- Evaluation -------------------------------------------------------------------------
    # Pages behind a role answer 404 to anyone without it (evaluation/views/_access.py).
    "evaluation:dashboard": {GET: {ANON: LOGIN, CO: 200, AD: 200, OTHERS: 404}, POST: SAME},
    "evaluation:dashboard_csv": {GET: {ANON: LOGIN, CO: 200, AD: 200, OTHERS: 404}, POST: SAME},
    "evaluation:dashboard_xlsx": {GET: {ANON: LOGIN, CO: 200, AD: 200, OTHERS: 404}, POST: SAME},
    "evaluation:benchmark": {GET: {ANON: LOGIN, CO: 200, AD: 200, OTHERS: 404}, POST: SAME},
    "evaluation:reports": {GET: {ANON: LOGIN, CO: 200, AD: 200, OTHERS: 404}, POST: SAME},
    "evaluation:report_new": {GET: {OTHERS: 405}, POST: {ANON: LOGIN, CO: 400, AD: 400, OTHERS: 404}},
    # A report is its requester's alone: not another area's commissioner, not an administrator.
    "evaluation:report_download": {GET: {ANON: LOGIN, CO: (200, 404), OTHERS: 404}, POST: SAME},
    "evaluation:standards": {GET: {ANON: LOGIN, AD: 200, OTHERS: 404}, POST: SAME},
    "evaluation:standard_remove": {GET: {OTHERS: 405}, POST: {ANON: LOGIN, AD: 302, OTHERS: 404}},
    "evaluation:workforce": {GET: {ANON: LOGIN, TL: 302, AD: 200, OTHERS: 404}, POST: SAME},
    "evaluation:workforce_edit": {GET: {ANON: LOGIN, TL: (200, 404), AD: 200, OTHERS: 404}, POST: SAME},
    "evaluation:returns": {GET: {ANON: LOGIN, TL: 200, AD: 200, OTHERS: 404}, POST: SAME},
    "evaluation:returns_summary": {GET: {ANON: LOGIN, CO: 200, AD: 200, OTHERS: 404}, POST: SAME},
    "evaluation:return_edit": {GET: {ANON: LOGIN, TL: (302, 404), AD: 302, OTHERS: 404}, POST: SAME},
    "evaluation:return_detail": {GET: {ANON: LOGIN, TL: (200, 404), CO: (200, 404), AD: 200, OTHERS: 404}, POST: SAME},
    "evaluation:return_reopen": {GET: {ANON: LOGIN, CO: (200, 404), AD: 200, OTHERS: 404}, POST: SAME},
    "evaluation:my_surveys": {GET: {ANON: LOGIN, OTHERS: 200}, POST: SAME},
    "evaluation:survey_take": {GET: {ANON: LOGIN, FW: (200, 404), OTHERS: 404}, POST: SAME},
    "evaluation:survey_done": {GET: {ANON: LOGIN, FW: (302, 404), OTHERS: 404}, POST: SAME},
    "evaluation:post_course_survey": {GET: {ANON: LOGIN, FW: (302, 404), OTHERS: 404}, POST: SAME},
    "evaluation:session_results_list": {GET: {ANON: LOGIN, TR: 200, TL: 200, AD: 200, OTHERS: 404}, POST: SAME},
    "evaluation:session_results": {GET: {ANON: LOGIN, TR: (200, 404), TL: (200, 404), AD: 200, OTHERS: 404}, POST: SAME},
    # --- Public: resources, the Open Referral UK API, certificate checks ------------------------
    "evaluation:resources": {GET: {OTHERS: 200}, POST: {OTHERS: 405}},
    "evaluation:resource_file": {GET: {OTHERS: 200}, POST: {OTHERS: 405}},
    "evaluation:glossary": {GET: {OTHERS: 200}, POST: {OTHERS: 405}},
    "openreferral:root": {GET: {OTHERS: 200}, POST: {OTHERS: 405}},
    "openreferral:services": {GET: {OTHERS: 200}, POST: {OTHERS: 405}},
    "openreferral:service": {GET: {OTHERS: 200}, POST: {OTHERS: 405}},
    "openreferral:service_at_locations": {GET: {OTHERS: 200}, POST: {OTHERS: 405}},
    "openreferral:service_at_location": {GET: {OTHERS: 200}, POST: {OTHERS: 405}},
    "openreferral:taxonomies": {GET: {OTHERS: 200}, POST: {OTHERS: 405}},
    "openreferral:taxonomy": {GET: {OTHERS: 200}, POST: {OTHERS: 405}},
    "openreferral:taxonomy_terms": {GET: {OTHERS: 200}, POST: {OTHERS: 405}},
    "openreferral:taxonomy_term": {GET: {OTHERS: 200}, POST: {OTHERS: 405}},
    "openreferral/^(?P<rest>.*)$": {GET: {OTHERS: 404}, POST: SAME},
    "certificate_verify": {GET: {OTHERS: 200}, POST: {OTHERS: 405}},
}
# fmt: on

# --- Django admin ---------------------------------------------------------------------------
# All or nothing: anyone but an administrator is sent to the admin's sign-in, which sends the
# anonymous on to the portal's sign-in and refuses a signed-in non-administrator (403).
_NOT_ADMIN = {ANON: ADMIN_LOGIN, OTHERS: ADMIN_LOGIN}
MATRIX.update(
    {
        "admin:index": {GET: {AD: 200, **_NOT_ADMIN}, POST: SAME},
        "admin:login": {GET: {ANON: LOGIN, OTHERS: 403}, POST: SAME},
        # Sign-out is a POST; the admin's sign-out sends a non-administrator back to /admin/.
        "admin:logout": {GET: {AD: 405, OTHERS: 302}, POST: {AD: 200, OTHERS: 302}},
        "admin:password_change": {GET: {AD: 200, **_NOT_ADMIN}, POST: SAME},
        "admin:password_change_done": {GET: {AD: 200, **_NOT_ADMIN}},
        "admin:autocomplete": {GET: {AD: 403, **_NOT_ADMIN}},  # no autocomplete fields
        "admin:jsi18n": {GET: {AD: 200, **_NOT_ADMIN}},
        "admin:view_on_site": {GET: {AD: 404, **_NOT_ADMIN}},  # services have no public URL
        "admin:app_list": {GET: {AD: 200, **_NOT_ADMIN}},
        "admin:auth_user_password_change": {GET: {AD: 200, **_NOT_ADMIN}, POST: SAME},
        "admin/(?P<url>.*)$": {GET: {AD: 404, **_NOT_ADMIN}},
    }
)

# Every registered model has the same pages. The administrator's answer is 200 (the redirect
# from "<id>/" to the change page is 302) except where that model's admin is read-only,
# listed here by "page" or "page POST".
ADMIN_MODELS: dict[str, dict[str, Answer]] = {
    "auth.group": {},
    "account.emailaddress": {},
    "mfa.authenticator": {},
    "usersessions.usersession": {},
    # The audit log is append-only: nobody adds, edits or deletes an event.
    "core.auditevent": {"add": 403, "delete": 403, "change POST": 403},
    "core.outboxmessage": {},
    "core.heartbeat": {},
    "accounts.area": {},
    "accounts.organisation": {},
    "accounts.user": {},
    "accounts.rolemembership": {},
    "training.programme": {},
    "training.course": {},
    "training.session": {},
    "training.booking": {},
    "training.completion": {},
    "training.traineraccreditation": {},
    "training.qualitycriterion": {},
    "training.qualityassessment": {},
    "training.completionimport": {},
    "referrals.taxonomy": {},
    "referrals.topic": {},
    "referrals.service": {},
    "referrals.location": {},
    # Problems are reported by staff from the listing page; the admin only resolves them.
    "referrals.listingproblemreport": {"add": 403, "change POST": 302},
    "evaluation.survey": {},
    "evaluation.invitation": {"add": 403, "delete": 403, "change POST": 302},
    # A period that has returns cannot be deleted (they are kept), so the admin refuses.
    "evaluation.returnperiod": {"delete": 403},
    "evaluation.organisationreturn": {"add": 403, "delete": 403, "change POST": 403},
    "evaluation.workforceheadcount": {"add": 403, "change POST": 403},
    "evaluation.resource": {},
    "evaluation.glossaryterm": {},
    "evaluation.standard": {},
    "evaluation.report": {"add": 403, "change POST": 302},
}
ADMIN_PAGES = ("changelist", "add", "history", "delete", "change")
ADMIN_WRITES = ("changelist", "add", "delete", "change")  # pages a POST changes data through

for _label, _answers in ADMIN_MODELS.items():
    _app, _model = _label.split(".")
    for _page in ADMIN_PAGES:
        _get = _answers.get(_page, 200)
        _row: Row = {GET: {AD: _get, **_NOT_ADMIN}}
        if _page in ADMIN_WRITES:
            _row[POST] = {AD: _answers.get(f"{_page} POST", _get), **_NOT_ADMIN}
        MATRIX[f"admin:{_app}_{_model}_{_page}"] = _row
    MATRIX[f"admin/{_app}/{_model}/<path:object_id>/"] = {GET: {AD: 302, **_NOT_ADMIN}}
