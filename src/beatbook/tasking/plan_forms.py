"""Forms of the patrol plan pages: making a plan, and changing its visits by hand. They read and
check input; the rules (who may, what a plan must keep) are ``patrol_plans``'."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms

from beatbook.accounts.models import User
from beatbook.places.models import Force, Neighbourhood
from beatbook.tasking import selectors
from beatbook.tasking.models import Officer, PatrolPlan, ShiftKind, Unit
from beatbook.tasking.patrol_plans import HandVisit, hand_visit_start
from beatbook.tasking.shifts import DEFAULT_SHIFTS, LONDON, shift_kinds_ensure
from beatbook.teams.fields import GovukDateField, GovukTimeField
from beatbook.teams.forms import GovukForm
from beatbook.ui.templatetags.beatbook_ui import govuk_time

NTT = "ntt"


def _choices(field: forms.Field) -> forms.ChoiceField:
    assert isinstance(field, forms.ChoiceField)
    return field


SEED_MAX = 2**31 - 1


def _forces_to_plan(user: User) -> list[Force]:
    """The forces where the user may make some plan: as a tasking sergeant, or for a team."""
    ids = set(selectors.tasking_forces_for_user(user=user).values_list("pk", flat=True))
    ids |= set(selectors.team_neighbourhoods(user=user).values_list("force_id", flat=True))
    return list(Force.objects.filter(pk__in=ids).order_by("name"))


def may_make_plans(user: User) -> bool:
    return bool(_forces_to_plan(user))


class PlanMakeForm(GovukForm):
    force = forms.ChoiceField(
        label="Force", widget=forms.RadioSelect, error_messages={"required": "Choose the force"}
    )
    date = GovukDateField(label="Date the shift starts")
    shift = forms.ChoiceField(
        label="Shift", widget=forms.RadioSelect, error_messages={"required": "Choose the shift"}
    )
    team = forms.ChoiceField(
        label="Whose plan", error_messages={"required": "Choose whose plan this is"}
    )
    seed = forms.IntegerField(
        label="Seed (optional)",
        required=False,
        min_value=0,
        max_value=SEED_MAX,
        help_text="Leave blank for a fresh plan. The same seed and data make the same plan.",
        error_messages={
            "invalid": "Enter the seed as a whole number, like 42",
            "min_value": "The seed must be 0 or more",
            "max_value": f"The seed must be {SEED_MAX} or less",
        },
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        forces = _forces_to_plan(user)
        _choices(self.fields["force"]).choices = [(f.pk, f.name) for f in forces]
        # The shifts' names and times as the first force keeps them, or as every force starts
        # (a GET writes nothing: a force's shifts are made when a plan is made for it).
        kinds = {
            k.slug: (k.name, k.starts, k.ends)
            for k in ShiftKind.objects.filter(force__in=forces[:1]).order_by("order")
        } or {slug: (name, a, b) for slug, name, a, b in DEFAULT_SHIFTS}
        _choices(self.fields["shift"]).choices = [
            (slug, f"{name} ({govuk_time_of(a)} to {govuk_time_of(b)})")
            for slug, (name, a, b) in kinds.items()
        ]
        teams: list[tuple[str, str]] = []
        if selectors.tasking_forces_for_user(user=user).exists():
            teams.append((NTT, "The tasking team (NTT)"))
        neighbourhoods = selectors.team_neighbourhoods(user=user).order_by("force__name", "name")
        teams += [(f"npt-{n.pk}", f"{n.name} neighbourhood team") for n in neighbourhoods]
        _choices(self.fields["team"]).choices = teams
        if forces and not self.is_bound:
            self.initial.setdefault("force", forces[0].pk)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        force_id, team, slug = data.get("force"), data.get("team"), data.get("shift")
        if not force_id:
            return data
        force = Force.objects.get(pk=force_id)
        data["force_obj"] = force
        if slug:
            shift_kinds_ensure(force=force)
            kind = ShiftKind.objects.filter(force=force, slug=slug).first()
            if kind is None:
                self.add_error("shift", f"{force.name} has no such shift")
            data["shift_kind"] = kind
        if team == NTT:
            data["unit"], data["neighbourhood"] = Unit.NTT, None
        elif team:
            neighbourhood = Neighbourhood.objects.filter(pk=int(team.split("-", 1)[1])).first()
            if neighbourhood is None or neighbourhood.force_id != force.pk:
                self.add_error("team", f"Choose a neighbourhood team of {force.name}")
            data["unit"], data["neighbourhood"] = Unit.NPT, neighbourhood
        return data


def govuk_time_of(clock: time) -> str:
    return govuk_time(datetime.combine(date(2000, 1, 1), clock))


class VisitRowForm(forms.Form):
    """One visit of the hand-change table: who, where, when; or remove it."""

    officer = forms.TypedChoiceField(label="Officer", coerce=int, required=False)
    place = forms.ChoiceField(label="Place", required=False)
    start = GovukTimeField(label="Start time", required=False)
    remove = forms.BooleanField(label="Remove", required=False)

    def __init__(
        self, *args: Any, officers: list[Officer], places: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["officer"]).choices = [("", "Choose an officer")] + [
            (o.pk, f"{o.collar_number} {o.name}") for o in officers
        ]
        _choices(self.fields["place"]).choices = [("", "Choose a place"), *places]

    @property
    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (data.get("officer") or data.get("place") or data.get("start"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("remove") or self.is_blank:
            return data
        for name, what in (("officer", "an officer"), ("place", "a place"), ("start", "a time")):
            if not data.get(name):
                self.add_error(name, f"Choose {what} for this visit, or leave the row empty")
        return data


class BaseVisitFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def __init__(
        self, *args: Any, officers: list[Officer], places: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        self.officers, self.places = officers, places
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {"officers": self.officers, "places": self.places}

    def hand_visits(self, plan: PatrolPlan) -> list[HandVisit]:
        visits = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("remove") or form.is_blank:
                continue
            visits.append(
                HandVisit(
                    officer_id=data["officer"],
                    place_key=data["place"],
                    starts=hand_visit_start(plan, data["start"]),
                )
            )
        return visits


VisitFormSet = forms.formset_factory(
    VisitRowForm, formset=BaseVisitFormSet, extra=3, max_num=400, validate_max=True
)


def visit_formset(plan: PatrolPlan, officers: list[Officer], data: Any = None) -> BaseVisitFormSet:
    """The plan's visits as rows, with three empty rows to add visits in."""
    places = [
        (p.key, f"{p.key}{' (request)' if p.request_id else ''}")
        for p in plan.places.order_by("-value")
    ]
    initial = [
        {"officer": v.officer_id, "place": v.place.key, "start": v.starts.astimezone(LONDON).time()}
        for v in plan.visits.select_related("place").order_by("officer__collar_number", "order")
    ]
    formset = VisitFormSet(
        data,
        initial=initial,
        prefix="visits",
        officers=officers,  # type: ignore[call-arg]
        places=places,
    )
    assert isinstance(formset, BaseVisitFormSet)
    return formset
