"""Administrators maintain evaluation data here; one section per area of the app."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from evaluation.models import (
    GlossaryTerm,
    Invitation,
    OrganisationReturn,
    Question,
    Report,
    Resource,
    ReturnPeriod,
    Standard,
    Survey,
    WorkforceHeadcount,
)

# --- Surveys: the questions are data, so administrators can reword or add them ------------


class QuestionInline(admin.TabularInline[Question, Survey]):
    model = Question
    extra = 0
    fields = ("order", "text", "hint", "kind", "measure", "required", "choices")


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin[Survey]):
    list_display = ("title", "kind", "programme", "is_active")
    list_filter = ("kind", "programme", "is_active")
    list_select_related = ("programme",)
    inlines = [QuestionInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    """Read only: who was asked and whether they answered (never the answers themselves)."""

    list_display = ("learner", "kind", "session", "sent_at", "reminder_sent_at", "responded_at")
    list_filter = ("kind", "programme")
    list_select_related = ("learner", "session__course")
    search_fields = ("learner__email", "learner__full_name")
    readonly_fields = [f.name for f in Invitation._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


# --- Returns, workforce, resources library and glossary -----------------------------------


@admin.register(ReturnPeriod)
class ReturnPeriodAdmin(admin.ModelAdmin[ReturnPeriod]):
    list_display = ("name", "kind", "starts_on", "ends_on", "deadline")
    list_filter = ("kind",)

    # Returns keep their period (PROTECT): once one exists the period cannot be deleted.
    def has_delete_permission(self, request: HttpRequest, obj: ReturnPeriod | None = None) -> bool:
        if obj is not None and obj.returns.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(OrganisationReturn)
class OrganisationReturnAdmin(admin.ModelAdmin[OrganisationReturn]):
    """Read only: training leads submit returns and commissioners reopen them (audited) in
    the portal itself."""

    list_display = ("organisation", "period", "status", "submitted_at")
    list_filter = ("status", "period", "organisation__area")
    list_select_related = ("organisation", "period")
    search_fields = ("organisation__name",)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(WorkforceHeadcount)
class WorkforceHeadcountAdmin(admin.ModelAdmin[WorkforceHeadcount]):
    """Read only: training leads record headcounts on the workforce numbers page."""

    list_display = ("organisation", "staff_group", "headcount", "as_of")
    list_filter = ("staff_group", "organisation__area")
    list_select_related = ("organisation",)
    search_fields = ("organisation__name",)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin[Resource]):
    list_display = ("title", "category", "audience", "is_published", "updated_at")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_filter = ("category", "is_published")
    search_fields = ("title", "summary")


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin[GlossaryTerm]):
    list_display = ("term", "updated_at")
    search_fields = ("term", "definition")
    prepopulated_fields = {"slug": ("term",)}
    filter_horizontal = ("related_terms",)


# --- Standards and reports ----------------------------------------------------------------


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin[Standard]):
    list_display = ("area", "indicator", "target", "amber_threshold", "updated_at")
    list_filter = ("indicator", "area")
    readonly_fields = ("set_by",)

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        obj.set_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin[Report]):
    list_display = ("uuid", "requested_by", "kind", "format", "status", "created_at")
    list_filter = ("status", "kind", "format")
    readonly_fields = [f.name for f in Report._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
