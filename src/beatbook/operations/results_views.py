"""What an operation achieved, for staff: recording an activity's results, the roll-up with one
row per partner, the printable one-page summary (PDF) and the suggested posts. Thin: scope
with a selector, check with a form, change with a service, render.

Who may do what: anyone who may see the operation sees its roll-up, summary and posts (an
outsider gets a 404); recording an activity's results needs ``may_change_activity`` (an analyst
gets a 403 for GET and POST alike, and nothing changes), and a member of staff records only for
their own organisation (a superuser for any that may be credited).

The summary and the posts are made for publishing, so until the operation has ended they leave
out the figures of restricted activities (``operation_results.publishable_activities``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from beatbook.accounts.access import staff_required
from beatbook.accounts.models import Organisation, User
from beatbook.operations import operation_results, selectors, summaries
from beatbook.operations.models import Activity, ActivityResult, ActivityType, Measure, Operation
from beatbook.operations.summary_pdf import summary_pdf
from beatbook.operations.views import operation_for_viewer, viewer

# The entry form's fieldsets.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Visits, people and litter", summaries.COMMUNITY),
    ("Referrals to other services", summaries.REFERRALS),
    ("Enforcement", summaries.ENFORCEMENT),
)


def _field_name(measure: str) -> str:
    return measure.replace("-", "_")


class ActivityResultsForm(forms.Form):
    """One whole-number box per measure; a blank box is zero."""

    def __init__(self, *args: Any, logged: dict[str, int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        logged = logged or {}
        for measure in operation_results.MEASURES:
            label = Measure(measure).label
            hint = ""
            if logged.get(measure):
                hint = (
                    f"{logged[measure]:,} logged at the door. Leave blank to count those; a "
                    "figure here replaces them."
                )
            self.fields[_field_name(measure)] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                max_value=operation_results.MOST,
                help_text=hint,
                error_messages={
                    "invalid": f"{label} must be a whole number, like 3",
                    "min_value": f"{label} cannot be negative",
                    "max_value": f"{label} must be {operation_results.MOST:,} or fewer",
                },
            )

    def counts(self) -> dict[str, int]:
        return {
            measure: self.cleaned_data.get(_field_name(measure)) or 0
            for measure in operation_results.MEASURES
        }


def _activity_for_viewer(request: HttpRequest, pk: int) -> Activity:
    """An activity the user may see, or 404 (restricted ones only where their organisation is
    assigned)."""
    activity = Activity.objects.select_related("operation").filter(pk=pk).first()
    if activity is None:
        raise Http404("Not an activity you can see")
    visible = selectors.activities_for_user(user=viewer(request), operation=activity.operation)
    if not visible.filter(pk=pk).exists():
        raise Http404("Not an activity you can see")
    return activity


def _recording_for(user: User, activity: Activity) -> list[Organisation]:
    """The organisations the user may record this activity's results for."""
    crediting = operation_results.organisations_crediting(activity)
    if not user.is_superuser:
        mine = selectors.organisations_for_user(user=user, roles=selectors.CONTRIBUTING_ROLES)
        crediting = crediting.filter(pk__in=mine)
    return list(crediting)


def _chosen(request: HttpRequest, choices: list[Organisation]) -> Organisation:
    wanted = request.POST.get("organisation") or request.GET.get("organisation") or ""
    return next((o for o in choices if str(o.pk) == wanted), choices[0])


def _read_only(request: HttpRequest, activity: Activity) -> HttpResponse:
    context = {"nav_operations": True, "activity": activity, "operation": activity.operation}
    return render(request, "operations/results/read_only.html", context, status=403)


@staff_required
def activity_results(request: HttpRequest, pk: int) -> HttpResponse:
    """Record what an activity achieved, for one of the user's organisations."""
    activity = _activity_for_viewer(request, pk)
    user = viewer(request)
    choices = _recording_for(user, activity)
    if not selectors.may_change_activity(user=user, activity=activity) or not choices:
        return _read_only(request, activity)
    organisation = _chosen(request, choices)
    logged = {
        measure: count
        for (organisation_id, measure), count in operation_results.logged_counts(activity).items()
        if organisation_id == organisation.pk
    }
    current = dict(
        ActivityResult.objects.filter(activity=activity, organisation=organisation).values_list(
            "measure", "count"
        )
    )
    initial = {_field_name(m): c for m, c in current.items()}
    data = request.POST if request.method == "POST" else None
    form = ActivityResultsForm(data, initial=initial, logged=logged)
    done = reverse("operations:results", args=[activity.operation_id])
    if form.is_bound and form.is_valid():
        try:
            operation_results.activity_results_record(
                activity=activity, organisation=organisation, counts=form.counts(), by=user
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"Results saved for {organisation.name}")
            return redirect(done)
    context = {
        "nav_operations": True,
        "activity": activity,
        "operation": activity.operation,
        "organisation": organisation,
        "choices": choices,
        "form": form,
        "groups": [(legend, [form[_field_name(m)] for m in chosen]) for legend, chosen in GROUPS],
        "door_to_door": activity.type == ActivityType.DOOR_TO_DOOR,
        "back_url": done,
    }
    status = 400 if form.errors else 200
    return render(request, "operations/results/entry.html", context, status=status)


def _published_figures(operation: Operation) -> operation_results.OperationFigures:
    activities = operation_results.publishable_activities(operation)
    return operation_results.operation_figures(operation, activities=activities)


@staff_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    """The roll-up: one row per partner, each activity's figures, and the "what we did" text."""
    operation = operation_for_viewer(request, pk)
    user = viewer(request)
    ended = operation_results.operation_ended(operation)
    visible = selectors.activities_for_user(user=user, operation=operation)
    figures = operation_results.operation_figures(operation, activities=None if ended else visible)
    activities = list(visible)
    totals = operation_results.activity_totals(operation, [a.pk for a in activities])
    rows = [
        {
            "activity": activity,
            "said": [summaries.clause(m, c) for m, c in totals[activity.pk].items()],
            "may_record": selectors.may_change_activity(user=user, activity=activity),
        }
        for activity in activities
    ]
    context = {
        "nav_operations": True,
        "operation": operation,
        "figures": figures,
        "ended": ended,
        "rows": rows,
        "paragraphs": summaries.what_we_did(_published_figures(operation)),
    }
    return render(request, "operations/results/rollup.html", context)


@staff_required
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable one-page summary, as a PDF."""
    operation = operation_for_viewer(request, pk)
    figures = _published_figures(operation)
    pdf = summary_pdf(
        {"operation": operation, "figures": figures, "paragraphs": summaries.what_we_did(figures)}
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="operation-{operation.pk}-summary.pdf"'
    return response


@staff_required
def posts(request: HttpRequest, pk: int) -> HttpResponse:
    """Suggested social media posts, each with its length."""
    operation = operation_for_viewer(request, pk)
    suggested = summaries.social_posts(_published_figures(operation))
    context = {
        "nav_operations": True,
        "operation": operation,
        "posts": [{"text": text, "length": len(text)} for text in suggested],
        "limit": summaries.POST_LIMIT,
        "ended": operation_results.operation_ended(operation),
    }
    return render(request, "operations/results/posts.html", context)
