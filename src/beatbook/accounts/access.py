"""Who may open a staff page: the one check, used by every staff page and by the admin.

``is_staff_member(user)`` is the rule: signed in, active, and marked as staff. Memberships
(``accounts.selectors``) then decide *what* a member of staff sees; without staff status a
membership opens nothing, so taking the staff flag away shuts a person out everywhere at once.

``staff_required`` wraps a view with that rule: a visitor is sent to sign in, a signed-in
person without staff status gets a 403 (``PermissionDenied``), before the view reads anything.
``superuser_required`` is the same for the few pages only administrators open.
``BeatbookAdminSite`` gives Django's admin the same rule
(``beatbook.accounts.admin_config.AdminConfig`` makes it the default site).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def is_staff_member(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether ``user`` may open staff pages at all (what they see there is scoped separately)."""
    return bool(user.is_authenticated and user.is_active and getattr(user, "is_staff", False))


def _gate(view: View, allowed: Callable[[Any], bool], refusal: str) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not allowed(request.user):
            raise PermissionDenied(refusal)
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def staff_required(view: View) -> View:
    """Signed-in staff only: others are sent to sign in; signed-in non-staff get a 403."""
    return _gate(view, is_staff_member, "Staff only")


def superuser_required(view: View) -> View:
    """Signed-in administrators (superusers) only, who must also pass ``is_staff_member``."""
    return _gate(
        view, lambda user: is_staff_member(user) and user.is_superuser, "Administrators only"
    )


class BeatbookAdminSite(admin.AdminSite):
    """Django's admin, let in by the same rule as every other staff page."""

    site_header = "Beatbook administration"
    site_title = "Beatbook"

    def has_permission(self, request: HttpRequest) -> bool:
        return is_staff_member(request.user)
