"""The home page and the staff pages. Thin: each view calls selectors and renders.

Every staff page, here and in the other apps, is let in by ``beatbook.accounts.access``
(``staff_required``): the one place that says who may open one."""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.views import LoginView
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url

from beatbook.accounts.access import is_staff_member, staff_required
from beatbook.accounts.models import User
from beatbook.enquiries.outbox import outgoing_emails_held
from beatbook.partnerships.selectors import published_partnerships
from beatbook.places.models import Force
from beatbook.site import selectors
from beatbook.surveys.builder_queries import surveys_reachable

M = TypeVar("M", bound=Model)

IMPORTS_PER_PAGE = 25
USERS_PER_PAGE = 50
ORGANISATIONS_PER_PAGE = 50
NEIGHBOURHOODS_PER_PAGE = 50


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
        return resolve_url("staff" if is_staff_member(self.request.user) else "home")


def home(request: HttpRequest) -> HttpResponse:
    forces = selectors.force_summaries(with_neighbourhoods=True)
    context = {
        "forces": forces,
        "partnerships": published_partnerships(),
        "nav_home": True,
    }
    return render(request, "site/home.html", context)


def _viewer(request: HttpRequest) -> User:
    viewer = request.user
    assert isinstance(viewer, User)  # staff_required let only a signed-in user through
    return viewer


@staff_required
def staff(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    forces = selectors.staff_forces(viewer=viewer)
    context = {
        "nav_staff": True,
        "forces_scoped": forces is not None,
        "mail_held": outgoing_emails_held() if viewer.is_superuser else 0,
        # Asked here only, not in the navigation: one query on this page alone.
        "surveys_reachable": surveys_reachable(user=viewer),
        "forces": selectors.force_summaries(forces=forces),
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
            request,
            selectors.source_file_list(viewer=viewer),
            param="imports_page",
            per_page=IMPORTS_PER_PAGE,
        ),
    }
    return render(request, "site/staff.html", context)


@staff_required
def staff_neighbourhoods(request: HttpRequest, force_id: str) -> HttpResponse:
    try:
        force = selectors.staff_force_get(viewer=_viewer(request), force_id=force_id)
    except Force.DoesNotExist:
        raise Http404("No force you work in has that id.") from None
    neighbourhoods = _page(
        request,
        selectors.neighbourhood_list(force=force),
        param="page",
        per_page=NEIGHBOURHOODS_PER_PAGE,
    )
    context = {"nav_staff": True, "force": force, "neighbourhoods": neighbourhoods}
    return render(request, "site/staff_neighbourhoods.html", context)
