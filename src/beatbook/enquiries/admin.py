"""Admin pages for questions and the e-mail outbox.

Questions hold residents' contact details, so a non-superuser sees only the questions of the
neighbourhoods they answer for (``selectors.answering_neighbourhoods``), the same scope as the
staff pages. The outbox holds addresses and message text for every force: superusers only.
Changes to a question go through the staff pages (and so through the services), not here, and
the resident's name and e-mail are left out: they are shown only on the staff page, through
``selectors.question_contact_for``, which records each showing.

The record of those showings (``ContactDetailAccess``) is read-only here for anyone with its
view permission (every superuser): nobody adds, changes or deletes a row.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest

from beatbook.accounts.models import User
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

    @admin.action(description="Send the selected e-mails again")
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutgoingEmail]) -> None:
        unsent = queryset.exclude(status=OutgoingEmailStatus.SENT)
        for email in unsent:
            outgoing_email_retry(email=email)
        messages.success(request, f"{len(unsent)} e-mail(s) will be sent again shortly.")


@admin.register(ContactDetailAccess)
class ContactDetailAccessAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Who was shown which resident's contact details, when and why. Read-only."""

    list_display = ("at", "user", "question_reference", "question_id", "purpose", "outcome")
    list_filter = ("outcome", "purpose")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "=question_id")
    date_hierarchy = "at"
    fields = ("at", "user", "question_reference", "question_id", "purpose", "outcome")
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
