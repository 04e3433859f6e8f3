"""The home page and the staff pages. Thin: each view calls selectors and renders."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render, resolve_url

from beatbook.accounts.models import User
from beatbook.places.models import Force
from beatbook.web import selectors

M = TypeVar("M", bound=Model)
View = Callable[..., HttpResponse]

IMPORTS_PER_PAGE = 25
USERS_PER_PAGE = 50
ORGANISATIONS_PER_PAGE = 50
NEIGHBOURHOODS_PER_PAGE = 50


def staff_required(view: View) -> View:
    """Signed-in staff only: others are sent to sign in; signed-in non-staff get a 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_staff:
            raise PermissionDenied("Staff only")
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _page(request: HttpRequest, queryset: QuerySet[M], *, param: str, per_page: int) -> Page[M]:
    """One page of ``queryset``; a missing or out-of-range page number gives the nearest page."""
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get(param))
    # The template shows page numbers with gaps ("1 … 4 5 6 … 20"), as GOV.UK pagination does.
    page.page_range = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))  # type: ignore[attr-defined]
    return page


class SignInView(LoginView):
    """Django's sign-in, sending staff to the staff page and everyone else home."""

    redirect_authenticated_user = True
    extra_context = {"nav_login": True}

    def get_default_redirect_url(self) -> str:
        return resolve_url("staff" if self.request.user.is_staff else "home")


def home(request: HttpRequest) -> HttpResponse:
    forces = selectors.force_summaries(with_neighbourhoods=True)
    return render(request, "web/home.html", {"forces": forces, "nav_home": True})


@staff_required
def staff(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    assert isinstance(viewer, User)  # staff_required let only a signed-in user through
    context = {
        "nav_staff": True,
        "forces": selectors.force_summaries(),
        "organisations": _page(
            request,
            selectors.organisation_list(viewer=viewer),
            param="organisations_page",
            per_page=ORGANISATIONS_PER_PAGE,
        ),
        "users": _page(
            request,
            selectors.user_list(viewer=viewer),
            param="users_page",
            per_page=USERS_PER_PAGE,
        ),
        "imports": _page(
            request, selectors.source_file_list(), param="imports_page", per_page=IMPORTS_PER_PAGE
        ),
    }
    return render(request, "web/staff.html", context)


@staff_required
def staff_neighbourhoods(request: HttpRequest, force_id: str) -> HttpResponse:
    force = get_object_or_404(Force, pk=force_id)
    neighbourhoods = _page(
        request,
        selectors.neighbourhood_list(force=force),
        param="page",
        per_page=NEIGHBOURHOODS_PER_PAGE,
    )
    context = {"nav_staff": True, "force": force, "neighbourhoods": neighbourhoods}
    return render(request, "web/staff_neighbourhoods.html", context)
