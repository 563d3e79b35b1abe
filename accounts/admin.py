from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import Area, Organisation, OrganisationEmailDomain, RoleMembership, User


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin[Area]):
    list_display = ("name", "ons_code", "kind", "parent")
    list_filter = ("kind",)
    list_select_related = ("parent",)
    search_fields = ("name", "ons_code")


class EmailDomainInline(admin.TabularInline[OrganisationEmailDomain, Organisation]):
    model = OrganisationEmailDomain
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name", "kind", "area", "ods_code")
    list_filter = ("kind", "area")
    search_fields = ("name", "ods_code", "email_domains__domain")
    list_select_related = ("area",)
    inlines = [EmailDomainInline]


class RoleMembershipInline(admin.TabularInline[RoleMembership, User]):
    model = RoleMembership
    fk_name = "user"
    extra = 1
    autocomplete_fields = ("organisation", "area")


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    ordering = ("email",)
    list_display = ("email", "full_name", "organisation", "staff_group", "is_active")
    list_filter = ("is_active", "staff_group", "organisation__area", "role_memberships__role")
    list_select_related = ("organisation",)
    search_fields = ("email", "full_name", "job_title")
    autocomplete_fields = ("organisation",)
    inlines = [RoleMembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("About", {"fields": ("full_name", "organisation", "staff_group", "job_title")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "organisation", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")


@admin.register(RoleMembership)
class RoleMembershipAdmin(admin.ModelAdmin[RoleMembership]):
    list_display = ("user", "role", "organisation", "area", "created_at")
    list_filter = ("role", "area")
    search_fields = ("user__email", "user__full_name", "organisation__name")
    list_select_related = ("user", "organisation", "area")
    autocomplete_fields = ("user", "organisation", "area")
