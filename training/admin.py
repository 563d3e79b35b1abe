from django.contrib import admin

from training.models import (
    Booking,
    Completion,
    CompletionImport,
    Course,
    Programme,
    QualityAssessment,
    QualityCriterion,
    QualityScore,
    Session,
    TrainerAccreditation,
)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin[Programme]):
    list_display = (
        "name",
        "code",
        "certificate_validity_months",
        "requires_post_course_evaluation",
    )


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin[Course]):
    list_display = ("title", "programme", "level", "delivery_mode", "cost_pence", "provider")
    list_filter = ("programme", "delivery_mode", "is_active")
    search_fields = ("title",)


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin[Session]):
    list_display = ("course", "starts_at", "organisation", "capacity", "status")
    list_filter = ("status", "course__programme")
    raw_id_fields = ("trainers",)
    date_hierarchy = "starts_at"


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin[Booking]):
    list_display = ("learner", "session", "status", "waitlist_position")
    list_filter = ("status",)
    raw_id_fields = ("learner", "booked_by", "session")
    # Bookings change only through the services (waiting list, emails, audit).
    readonly_fields = ("status", "waitlist_position", "confirmed_at", "cancelled_at")


@admin.register(Completion)
class CompletionAdmin(admin.ModelAdmin[Completion]):
    list_display = ("certificate_number", "learner", "course", "completed_on", "expires_on")
    search_fields = ("certificate_number", "learner__email")
    raw_id_fields = ("learner", "booking")
    readonly_fields = ("verification_code",)


@admin.register(TrainerAccreditation)
class TrainerAccreditationAdmin(admin.ModelAdmin[TrainerAccreditation]):
    list_display = ("trainer", "programme", "trained_by", "trained_by_name", "accredited_on")
    raw_id_fields = ("trainer", "trained_by")


@admin.register(QualityCriterion)
class QualityCriterionAdmin(admin.ModelAdmin[QualityCriterion]):
    list_display = ("theme", "text", "order", "is_active")
    list_editable = ("order", "is_active")


class QualityScoreInline(admin.TabularInline[QualityScore, QualityAssessment]):
    model = QualityScore
    extra = 0


@admin.register(QualityAssessment)
class QualityAssessmentAdmin(admin.ModelAdmin[QualityAssessment]):
    list_display = ("course", "organisation", "status", "submitted_at")
    inlines = (QualityScoreInline,)


@admin.register(CompletionImport)
class CompletionImportAdmin(admin.ModelAdmin[CompletionImport]):
    list_display = ("filename", "organisation", "status", "rows_imported", "created_at")
    exclude = ("content",)
