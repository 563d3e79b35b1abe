from django.urls import path

from training.views import (
    catalogue,
    compliance,
    courses,
    imports,
    learner,
    manage,
    quality,
    trainers,
)

app_name = "training"

urlpatterns = [
    path("", catalogue.catalogue, name="catalogue"),
    path("courses/<int:pk>/", catalogue.course_detail, name="course_detail"),
    path("sessions/<int:pk>/", catalogue.session_detail, name="session_detail"),
    path("sessions/<int:pk>/calendar.ics", catalogue.session_calendar, name="session_calendar"),
    path("sessions/<int:pk>/book/", catalogue.session_book, name="session_book"),
    path("sessions/<int:pk>/book-staff/", catalogue.session_book_staff, name="session_book_staff"),
    path("bookings/<int:pk>/cancel/", catalogue.booking_cancel, name="booking_cancel"),
    path("your-courses/", courses.courses_manage, name="courses_manage"),
    path("courses/new/", courses.course_create, name="course_create"),
    path("courses/<int:pk>/edit/", courses.course_edit, name="course_edit"),
    path("your-sessions/", manage.sessions_manage, name="sessions_manage"),
    path("sessions/new/", manage.session_create, name="session_create"),
    path("sessions/<int:pk>/edit/", manage.session_edit, name="session_edit"),
    path("sessions/<int:pk>/cancel/", manage.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/register/", manage.session_register, name="session_register"),
    path("my-training/", learner.my_training, name="my_training"),
    path(
        "certificates/<int:pk>/download/",
        learner.certificate_download,
        name="certificate_download",
    ),
    path("compliance/", compliance.compliance, name="compliance"),
    path("compliance.csv", compliance.compliance_csv, name="compliance_csv"),
    path("quality-marker/", quality.quality_list, name="quality_list"),
    path("quality-marker/new/", quality.quality_create, name="quality_create"),
    path("quality-marker/<int:pk>/", quality.quality_detail, name="quality_detail"),
    path("quality-marker/<int:pk>/edit/", quality.quality_edit, name="quality_edit"),
    path(
        "quality-marker/evidence/<int:pk>/", quality.quality_attachment, name="quality_attachment"
    ),
    path("trainers/", trainers.trainers, name="trainers"),
    path("trainers/record/", trainers.trainer_accreditation, name="trainer_accreditation"),
    path("imports/new/", imports.import_upload, name="import_upload"),
    path("imports/<int:pk>/", imports.import_preview, name="import_preview"),
]
