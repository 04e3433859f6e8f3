"""Admin for people and organisations: Django's user admin with each user's memberships inline."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from beatbook.accounts.models import Membership, Organisation, User


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["neighbourhoods"]
    fields = ["organisation", "role", "force", "neighbourhoods"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    inlines = [MembershipInline]
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "is_staff",
        "is_superuser",
        "is_active",
        "last_login",
    ]
    list_filter = [
        "is_staff",
        "is_superuser",
        "is_active",
        "memberships__role",
        "memberships__organisation__kind",
    ]
    search_fields = [
        "username",
        "first_name",
        "last_name",
        "email",
        "memberships__organisation__name",
    ]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "kind", "force", "created_at"]
    list_filter = ["kind", "force"]
    search_fields = ["name"]
    list_select_related = ["force"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "organisation", "role", "force", "created_at"]
    list_filter = ["role", "organisation__kind", "force"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisation__name"]
    list_select_related = ["user", "organisation", "force"]
    autocomplete_fields = ["user", "organisation"]
    raw_id_fields = ["neighbourhoods"]
