"""Tasking: officers and their shifts, abstractions from neighbourhood duty, requests from
neighbourhood teams (NPTs) to the tasking team (NTT), patrol plans and what each visit achieved
(issue 15, ADR 19).

A place in a plan is a 250 m British National Grid cell, the unit of the forecasts (ADR 8),
named by its lower-left corner, "E398000N345250" (``tasking.patrol_cells``).

Times are stored in UTC (``USE_TZ``); forms and pages enter and show them in Europe/London.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from beatbook.accounts.models import Organisation
from beatbook.core.models import TimestampedModel
from beatbook.operations.models import Operation
from beatbook.places.models import Force, Neighbourhood
from beatbook.teams.models import Priority

SAMPLE_HELP = "Sample content made by `beatbook demo`: remade on its first start each day."


class Skill(models.Model):
    """Something an officer is trained or licensed for: a tactic or place may need it."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Station(TimestampedModel):
    """A police station officers start and end their shift at."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="stations")
    name = models.CharField(max_length=120)
    postcode = models.CharField(max_length=8, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    sample = models.BooleanField(default=False, help_text=SAMPLE_HELP)

    class Meta:
        ordering = ["force", "name"]
        constraints = [
            models.UniqueConstraint(fields=["force", "name"], name="station_force_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Rank(models.TextChoices):
    PCSO = "pcso", "PCSO"
    SPECIAL = "special", "Special constable"
    CONSTABLE = "constable", "Police constable"
    SERGEANT = "sergeant", "Sergeant"
    INSPECTOR = "inspector", "Inspector"
    CHIEF_INSPECTOR = "chief_inspector", "Chief inspector"


class Unit(models.TextChoices):
    NPT = "npt", "Neighbourhood policing team (NPT)"
    NTT = "ntt", "Neighbourhood tasking team (NTT)"
    RESPONSE = "response", "Response"


class Officer(TimestampedModel):
    """A police officer or PCSO whose time is planned. ``user`` links the account they sign in
    with, so they see their own plan; an officer need not have one."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="officers")
    collar_number = models.CharField(max_length=12)
    name = models.CharField(max_length=120)
    rank = models.CharField(max_length=20, choices=Rank.choices)
    unit = models.CharField(max_length=10, choices=Unit.choices)
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
        help_text="For a neighbourhood team officer: the team's neighbourhood.",
    )
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="officers")
    skills = models.ManyToManyField(Skill, blank=True, related_name="officers")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officer",
    )
    active = models.BooleanField(default=True)
    sample = models.BooleanField(default=False, help_text=SAMPLE_HELP)

    class Meta:
        ordering = ["force", "unit", "collar_number"]
        constraints = [
            models.UniqueConstraint(fields=["force", "collar_number"], name="officer_force_collar"),
            models.CheckConstraint(
                condition=Q(unit="npt", neighbourhood__isnull=False) | ~Q(unit="npt"),
                name="officer_npt_has_neighbourhood",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_rank_display()} {self.collar_number} {self.name}"


class ShiftKind(models.Model):
    """A force's shift: early, late or night, with its times in London time. A night shift's end
    is before its start: it ends the next morning."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="shift_kinds")
    slug = models.SlugField(max_length=20)
    name = models.CharField(max_length=40)
    starts = models.TimeField()
    ends = models.TimeField()
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["force", "order"]
        constraints = [
            models.UniqueConstraint(fields=["force", "slug"], name="shift_kind_force_slug"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts:%H:%M} to {self.ends:%H:%M})"


class Duty(TimestampedModel):
    """An officer rostered on a shift on a day: the hours they are available to be planned."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="duties")
    date = models.DateField(help_text="The day the shift starts on.")
    shift_kind = models.ForeignKey(ShiftKind, on_delete=models.PROTECT, related_name="duties")
    starts = models.DateTimeField()
    ends = models.DateTimeField()
    sample = models.BooleanField(default=False, help_text=SAMPLE_HELP)

    class Meta:
        verbose_name_plural = "duties"
        ordering = ["date", "shift_kind__order", "officer"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "date", "shift_kind"], name="duty_once"),
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="duty_ends_after"),
        ]

    def __str__(self) -> str:
        return f"{self.officer} {self.date} {self.shift_kind.name}"


class AbstractionReason(models.TextChoices):
    RESPONSE_COVER = "response_cover", "Response cover"
    EVENTS = "events", "Events"
    CUSTODY = "custody", "Custody"
    TRAINING = "training", "Training"
    SICKNESS = "sickness", "Sickness"
    OTHER = "other", "Other"


class Abstraction(TimestampedModel):
    """Hours a neighbourhood team officer was taken away from neighbourhood duty, and why."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="abstractions")
    date = models.DateField()
    reason = models.CharField(max_length=20, choices=AbstractionReason.choices)
    hours = models.DecimalField(max_digits=4, decimal_places=2, validators=[MinValueValidator(0)])
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sample = models.BooleanField(default=False, help_text=SAMPLE_HELP)

    class Meta:
        ordering = ["-date", "officer"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24), name="abstraction_hours_in_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer} {self.date}: {self.hours} h {self.get_reason_display()}"


class LinkOfficer(TimestampedModel):
    """The tasking team officer named as a neighbourhood team's link: its commander's first call."""

    neighbourhood = models.OneToOneField(
        Neighbourhood, on_delete=models.CASCADE, related_name="ntt_link"
    )
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="links")
    commander = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The neighbourhood team's commander (inspector).",
    )
    sample = models.BooleanField(default=False, help_text=SAMPLE_HELP)

    def __str__(self) -> str:
        return f"{self.neighbourhood}: {self.officer}"


class Tactic(models.TextChoices):
    HIGH_VISIBILITY = "high_visibility", "High-visibility patrol"
    PLAIN_CLOTHES = "plain_clothes", "Plain clothes patrol"
    ARREST = "arrest", "Arrest of an outstanding offender"
    REPEAT_VICTIM = "repeat_victim", "Repeat-victim visit"
    ANPR = "anpr", "ANPR operation"


class ProblemLink(models.TextChoices):
    PRIORITY = "priority", "A neighbourhood priority"
    HOTSPOT = "hotspot", "A hotspot"
    OPERATION = "operation", "An operation"
    REPEAT_VICTIM = "repeat_victim", "A repeat victim"


class Urgency(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class RequestOutcome(models.TextChoices):
    MET = "met", "Met: the help asked for was given"
    PARTLY_MET = "partly_met", "Partly met"
    NOT_MET = "not_met", "Not met"


class TaskingRequest(TimestampedModel):
    """A neighbourhood team's request for the tasking team's help.

    The place is a set of 250 m cells (``cells``, their keys), chosen on the map or made from a
    drawn polygon (kept in ``polygon`` as GeoJSON). A repeat victim is named only by a reference
    the force's own systems know (``repeat_victim_reference``), never by name or address.
    """

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="tasking_requests")
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="tasking_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasking_requests"
    )
    title = models.CharField(max_length=200)
    problem = models.TextField()
    link = models.CharField(max_length=20, choices=ProblemLink.choices)
    priority = models.ForeignKey(
        Priority, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    operation = models.ForeignKey(
        Operation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hotspot_cell = models.CharField(max_length=20, blank=True)
    repeat_victim_reference = models.CharField(max_length=40, blank=True)
    cells = models.JSONField(default=list, help_text="Keys of the 250 m cells to patrol.")
    polygon = models.JSONField(null=True, blank=True, help_text="The area drawn, as GeoJSON.")
    first_day = models.DateField()
    last_day = models.DateField()
    hours_from = models.TimeField(help_text="Each day's window opens, London time.")
    hours_to = models.TimeField(help_text="Each day's window closes; before opening: next day.")
    tactic = models.CharField(max_length=20, choices=Tactic.choices)
    skills = models.ManyToManyField(Skill, blank=True, related_name="+")
    officers_wanted = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    minutes_wanted = models.PositiveIntegerField(
        validators=[MinValueValidator(1)], help_text="Minutes in place each day, in all."
    )
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.MEDIUM)
    evidence = models.TextField()
    status = models.CharField(
        max_length=12, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    outcome = models.CharField(max_length=12, choices=RequestOutcome.choices, blank=True)
    outcome_note = models.TextField(blank=True)
    shared_with = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="shared_tasking_requests",
        help_text="Partner organisations allowed to see this request.",
    )
    sample = models.BooleanField(default=False, help_text=SAMPLE_HELP)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="request_days_in_order"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["approved", "declined"], decided_at__isnull=False)
                | ~Q(status__in=["approved", "declined"]),
                name="request_decision_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ISSUED = "issued", "Issued to officers"


class PatrolPlan(TimestampedModel):
    """A patrol plan for one shift of one unit: the tasking team, or one neighbourhood team.

    ``rules`` keeps the planner's rules as they were, so a hand change is checked against the
    rules the plan was made with. ``objective`` and ``bound`` are the planner's (ADR 19).
    """

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="patrol_plans")
    unit = models.CharField(max_length=10, choices=Unit.choices)
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="patrol_plans",
        help_text="For a neighbourhood team's own plan: its neighbourhood.",
    )
    date = models.DateField()
    shift_kind = models.ForeignKey(ShiftKind, on_delete=models.PROTECT, related_name="plans")
    starts = models.DateTimeField()
    ends = models.DateTimeField()
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    rules = models.JSONField(default=dict)
    seed = models.PositiveIntegerField(default=0)
    objective = models.FloatField(default=0)
    bound = models.FloatField(default=0)
    forecast_month = models.CharField(max_length=7, blank=True)
    value_source = models.CharField(
        max_length=200, blank=True, help_text="How places were valued: the forecast and harm."
    )
    edited = models.BooleanField(default=False, help_text="Changed by hand after planning.")
    stopped_by_clock = models.BooleanField(
        default=False,
        help_text="The search met its time limit before its fixed budget of steps: the same "
        "seed may give another plan on a less busy machine.",
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sample = models.BooleanField(default=False, help_text=SAMPLE_HELP)

    class Meta:
        ordering = ["-date", "shift_kind__order"]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="plan_ends_after"),
            models.CheckConstraint(
                condition=Q(unit="npt", neighbourhood__isnull=False) | ~Q(unit="npt"),
                name="plan_npt_has_neighbourhood",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_unit_display()} {self.date} {self.shift_kind.name}"


class PlanPlace(models.Model):
    """A place a plan could send officers to, with what made it worth a visit.

    ``reasons`` holds the evidence shown on the briefing: categories, harm, trend and recent
    crimes, as plain values. ``request`` is the tasking request it answers, if any.
    """

    plan = models.ForeignKey(PatrolPlan, on_delete=models.CASCADE, related_name="places")
    key = models.CharField(max_length=20)
    easting = models.IntegerField()
    northing = models.IntegerField()
    latitude = models.FloatField()
    longitude = models.FloatField()
    value = models.FloatField(validators=[MinValueValidator(0)])
    skills = models.JSONField(default=list)
    windows = models.JSONField(default=list, help_text="[[start, end], ...] as ISO 8601.")
    min_visits = models.PositiveSmallIntegerField(default=0)
    max_visits = models.PositiveSmallIntegerField(default=1)
    request = models.ForeignKey(
        TaskingRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="places"
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reasons = models.JSONField(default=dict)

    class Meta:
        ordering = ["plan", "-value"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="plan_place_once"),
        ]

    def __str__(self) -> str:
        return self.key


class PlanVisit(models.Model):
    """One officer's visit to one place in a plan, in route order."""

    plan = models.ForeignKey(PatrolPlan, on_delete=models.CASCADE, related_name="visits")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="visits")
    place = models.ForeignKey(PlanPlace, on_delete=models.CASCADE, related_name="visits")
    order = models.PositiveSmallIntegerField()
    starts = models.DateTimeField()
    ends = models.DateTimeField()

    class Meta:
        ordering = ["plan", "officer", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "officer", "order"], name="visit_order_once"),
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="visit_ends_after"),
        ]

    def __str__(self) -> str:
        return f"{self.officer} at {self.place.key} {self.starts:%H:%M}"


class NotDoneReason(models.TextChoices):
    CALLED_AWAY = "called_away", "Called away to an incident"
    ARREST_IN_PROGRESS = "arrest", "Dealing with an arrest"
    NO_TIME = "no_time", "Not enough time"
    ABSTRACTED = "abstracted", "Taken off the plan (abstracted)"
    OTHER = "other", "Another reason"


class VisitResult(TimestampedModel):
    """What came of a planned visit, logged by the officer."""

    visit = models.OneToOneField(PlanVisit, on_delete=models.CASCADE, related_name="result")
    done = models.BooleanField()
    not_done_reason = models.CharField(max_length=20, choices=NotDoneReason.choices, blank=True)
    not_done_note = models.CharField(max_length=300, blank=True)
    minutes_in_place = models.PositiveSmallIntegerField(default=0)
    stop_searches = models.PositiveSmallIntegerField(default=0)
    arrests = models.PositiveSmallIntegerField(default=0)
    anpr_hits = models.PositiveSmallIntegerField(default=0)
    intelligence_submitted = models.PositiveSmallIntegerField(default=0)
    people_engaged = models.PositiveSmallIntegerField(default=0)
    repeat_victims_contacted = models.PositiveSmallIntegerField(default=0)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(done=True, not_done_reason="") | Q(done=False) & ~Q(not_done_reason=""),
                name="result_reason_only_when_not_done",
            ),
            models.CheckConstraint(
                condition=Q(done=True) | Q(minutes_in_place=0), name="result_no_minutes_if_not_done"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visit}: {'done' if self.done else 'not done'}"
