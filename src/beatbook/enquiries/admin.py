"""Admin pages for questions and the e-mail outbox.

Questions hold residents' contact details, so a non-superuser sees only the questions of the
neighbourhoods they answer for (``selectors.answering_neighbourhoods``), the same scope as the
staff pages. The outbox holds addresses and message text for every force: superusers only,
and every page of it that shows addresses records them as shown (``contact_log``), as the
staff pages do.
Changes to a question go through the staff pages (and so through the services), not here, and
the resident's name and e-mail are left out: they are shown only on the staff page, through
``selectors.question_contact_for``, which records each showing.

The record of those showings (``ContactDetailAccess``) is read-only here for anyone with its
view permission (every superuser): nobody adds, changes or deletes a row.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from beatbook.accounts.models import User
from beatbook.enquiries.contact_log import outbox_shown_record, requester_from
from beatbook.enquiries.models import (
    ContactDetailAccess,
    OutgoingEmail,
    OutgoingEmailStatus,
    Question,
)
from beatbook.enquiries.outbox import outgoing_email_retry
from beatbook.enquiries.selectors import answering_neighbourhoods


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("reference", "subject", "neighbourhood", "status", "asked_at", "due_at")
    list_filter = ("status", "kind", "published", "neighbourhood__force")
    list_select_related = ("neighbourhood", "neighbourhood__force")
    search_fields = ("reference", "subject")
    date_hierarchy = "asked_at"
    # Contact details only through question_contact_for, which records who saw them.
    exclude = ("name", "email")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Question]:
        user = _user(request)
        if user is None:
            return Question.objects.none()
        queryset = super().get_queryset(request)
        if user.is_superuser:
            return queryset
        return queryset.filter(neighbourhood__in=answering_neighbourhoods(user=user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Question | None = None) -> bool:
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("subject", "to", "status", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("status",)
    search_fields = ("to", "subject")
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]
    actions = ("send_again",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: OutgoingEmail | None = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutgoingEmail | None = None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: OutgoingEmail | None = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        with transaction.atomic():
            response = super().changelist_view(request, extra_context)
            changelist = _shown(request, response, "cl")
            if changelist is not None:
                outbox_shown_record(
                    requester=requester_from(request), emails=changelist.result_list
                )
            return response

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        with transaction.atomic():
            response = super().change_view(request, object_id, form_url, extra_context)
            original = _shown(request, response, "original")
            if original is not None:
                outbox_shown_record(requester=requester_from(request), emails=[original])
            return response

    @admin.action(description="Send the selected e-mails again")
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutgoingEmail]) -> None:
        unsent = queryset.exclude(status=OutgoingEmailStatus.SENT)
        for email in unsent:
            outgoing_email_retry(email=email)
        messages.success(request, f"{len(unsent)} e-mail(s) will be sent again shortly.")


def _shown(request: HttpRequest, response: HttpResponse, name: str) -> Any:
    """The context value ``name`` of a page that is about to show it (made here, so that a
    page that fails records nothing), or None for a redirect, a refusal or a HEAD request."""
    if request.method == "HEAD" or response.status_code != 200:
        return None
    if not isinstance(response, TemplateResponse):
        return None
    response.render()
    return (response.context_data or {}).get(name)


@admin.register(ContactDetailAccess)
class ContactDetailAccessAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Who was shown which resident's contact details, when and why. Read-only."""

    list_display = (
        "at",
        "user",
        "question_reference",
        "question_id",
        "purpose",
        "outcome",
        "address",
    )
    list_filter = ("outcome", "purpose")
    list_select_related = ("user",)
    search_fields = (
        "user__username",
        "user__first_name",
        "user__last_name",
        "=question_id",
        "=address",
    )
    date_hierarchy = "at"
    fields = (
        "at",
        "user",
        "question_reference",
        "question_id",
        "outgoing_email_id",
        "purpose",
        "outcome",
        "address",
        "user_agent",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[ContactDetailAccess]:
        # The reference while the question still exists; nothing once it has been deleted.
        reference = Question.objects.filter(pk=OuterRef("question_id")).values("reference")
        queryset: QuerySet[ContactDetailAccess] = super().get_queryset(request)
        return queryset.annotate(question_reference=Subquery(reference))

    @admin.display(description="Question reference", ordering="question_reference")
    def question_reference(self, access: ContactDetailAccess) -> str:
        return getattr(access, "question_reference", None) or "Deleted"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: ContactDetailAccess | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: ContactDetailAccess | None = None
    ) -> bool:
        return False
