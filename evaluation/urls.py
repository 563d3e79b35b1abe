"""Evaluation pages under /evaluation/, and the public resources library and glossary."""

from django.urls import include, path

from evaluation.views import (
    benchmark,
    dashboard,
    reports,
    resources,
    returns,
    surveys,
    workforce,
)

app_name = "evaluation"

# Signed-in pages, under /evaluation/.
evaluation_patterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/export.csv", dashboard.dashboard_csv, name="dashboard_csv"),
    path("dashboard/export.xlsx", dashboard.dashboard_xlsx, name="dashboard_xlsx"),
    path("benchmark/", benchmark.benchmark_page, name="benchmark"),
    path("reports/", reports.reports, name="reports"),
    path("reports/new/", reports.report_new, name="report_new"),
    path("reports/<uuid:uuid>/download/", reports.report_download, name="report_download"),
    path("standards/", benchmark.standards, name="standards"),
    path("standards/<int:pk>/remove/", benchmark.standard_remove, name="standard_remove"),
    path("workforce/", workforce.workforce_list, name="workforce"),
    path("workforce/<int:organisation_id>/", workforce.workforce_edit, name="workforce_edit"),
    path("returns/", returns.returns_mine, name="returns"),
    path("returns/summary/", returns.returns_summary, name="returns_summary"),
    path(
        "returns/<int:organisation_id>/<int:period_id>/",
        returns.return_edit,
        name="return_edit",
    ),
    path("returns/view/<int:pk>/", returns.return_detail, name="return_detail"),
    path("returns/view/<int:pk>/reopen/", returns.return_reopen, name="return_reopen"),
    path("surveys/", surveys.my_surveys, name="my_surveys"),
    path("surveys/<str:token>/", surveys.survey_take, name="survey_take"),
    path("surveys/<str:token>/thank-you/", surveys.survey_done, name="survey_done"),
    path(
        "surveys/after-course/<int:booking_id>/",
        surveys.post_course_survey,
        name="post_course_survey",
    ),
    path("session-results/", surveys.results_list, name="session_results_list"),
    path("session-results/<int:session_id>/", surveys.results_session, name="session_results"),
]

urlpatterns = [
    path("evaluation/", include(evaluation_patterns)),
    # Public: no sign-in needed.
    path("resources/", resources.resources_list, name="resources"),
    path("resources/<int:pk>/file/", resources.resource_file, name="resource_file"),
    path("glossary/", resources.glossary, name="glossary"),
]
