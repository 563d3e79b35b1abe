from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export/", views.audit_log_csv, name="audit_log_csv"),
]
