"""A forgotten password: Django's reset flow, its e-mail sent through the outbox.

The link goes out like every other e-mail (``beatbook.enquiries.outbox``): after commit, retried
until it goes, and kept in the outbox while e-mail is not set up (ADR 10), where an
administrator can read it. It points at ``SITE_URL``, the address people reach the site by.
The page says the same whether or not the address belongs to anyone, so it tells nobody which
addresses have accounts; each client address may ask a few times an hour, so the form cannot
be used to flood somebody's inbox.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.views import PasswordResetDoneView, PasswordResetView
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from beatbook.core.ratelimit import client_limit_check
from beatbook.enquiries.outbox import outgoing_email_queue

# Requests for a reset link from one client address: a burst of this many, then this many an
# hour.
RESETS_PER_HOUR = 5


def link_days() -> int:
    """How many days a reset link works for (Django's PASSWORD_RESET_TIMEOUT)."""
    return max(1, int(settings.PASSWORD_RESET_TIMEOUT) // 86400)


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's form, with the e-mail queued in the outbox rather than sent on the spot."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        path = reverse(
            "password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]}
        )
        context = {**context, "reset_url": f"{settings.SITE_URL}{path}", "days": link_days()}
        subject = render_to_string(subject_template_name, context)
        body = render_to_string(email_template_name, context)
        outgoing_email_queue(to=to_email, subject=subject, body=body)


class ForgottenPasswordView(PasswordResetView):
    """Ask for a reset link by e-mail address, a few times an hour from any one address."""

    form_class = OutboxPasswordResetForm
    # Under web/ rather than registration/: the admin's templates of those names come first.
    template_name = "site/password_reset/form.html"
    subject_template_name = "site/password_reset/subject.txt"
    email_template_name = "site/password_reset/email.txt"

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        decision = client_limit_check(
            self.request,
            scope="password-reset",
            rate=RESETS_PER_HOUR / 3600,
            burst=RESETS_PER_HOUR,
        )
        if not decision.allowed:
            response = render(
                self.request,
                "site/password_reset/too_many.html",
                {"minutes": decision.retry_after_minutes},
                status=429,
            )
            response["Retry-After"] = str(decision.retry_after)
            return response
        return super().form_valid(form)


class PasswordResetSentView(PasswordResetDoneView):
    """The same page whether or not the address belongs to an account."""

    template_name = "site/password_reset/done.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "days": link_days()}
