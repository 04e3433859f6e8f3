"""Operations: a day or week of action, its activities, what each achieved, the online surgery's
questions and the door-to-door visits (ADR 18).

Restricted activities (enforcement, warrants) are never public: ``Activity.clean``, the services
and a database check constraint all refuse it. Every public page, feed and API answer reads
activities through ``beatbook.operations.selectors.public_activities`` and nothing else.

Times are stored in UTC (``USE_TZ``); forms and pages enter and show them in Europe/London.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from beatbook.accounts.models import Organisation
from beatbook.core.models import TimestampedModel
from beatbook.enquiries.models import Question
from beatbook.places.models import Force, Lsoa, Neighbourhood
from beatbook.teams.models import Priority

SAMPLE_HELP = "Sample content made by `beatbook demo`: remade on its first start each day."


class OperationKind(models.Model):
    """A kind of operation. The five of issue 14 are made by a migration; a force adds its own."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    force = models.ForeignKey(
        Force,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="operation_kinds",
        help_text="The force that added this kind; blank for the kinds every force has.",
    )
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class AreaChoice(models.TextChoices):
    NEIGHBOURHOODS = "neighbourhoods", "Neighbourhoods"
    LSOAS = "lsoas", "Lower layer super output areas (LSOAs)"
    POLYGON = "polygon", "An area drawn on the map"


class Operation(TimestampedModel):
    """A day or week of action with partners, over an area, from its first day to its last.

    The area is chosen as neighbourhoods, LSOAs or a drawn polygon; whichever it is, the
    services turn it into ``lsoas`` when it is saved, so the evaluation always has LSOAs.
    """

    name = models.CharField(max_length=200)
    kind = models.ForeignKey(OperationKind, on_delete=models.PROTECT, related_name="operations")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="operations")
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="led_operations",
        help_text="The organisation that runs the operation; its people may change it.",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="led_operations",
        help_text="The named person in charge.",
    )
    summary = models.TextField(
        blank=True, help_text="What residents are told the operation is for, in plain English."
    )
    objectives = models.TextField(blank=True, help_text="What the operation sets out to achieve.")
    priorities = models.ManyToManyField(
        Priority,
        blank=True,
        related_name="operations",
        help_text="The neighbourhood priorities it works on.",
    )
    first_day = models.DateField()
    last_day = models.DateField()
    public = models.BooleanField(
        default=False,
        help_text="Published: its public page and public activities are shown to residents.",
    )
    area_choice = models.CharField(
        max_length=20, choices=AreaChoice.choices, default=AreaChoice.NEIGHBOURHOODS
    )
    neighbourhoods = models.ManyToManyField(Neighbourhood, blank=True, related_name="operations")
    area_polygon = models.JSONField(
        null=True, blank=True, help_text="A drawn area: a GeoJSON Polygon in WGS84."
    )
    lsoas = models.ManyToManyField(
        Lsoa, blank=True, related_name="operations", help_text="The area as LSOAs."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="created_operations",
    )

    sample = models.BooleanField(default=False, help_text=SAMPLE_HELP)

    class Meta:
        ordering = ["-first_day", "name"]
        indexes = [models.Index(fields=["force", "first_day"], name="operation_force_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")),
                name="operation_ends_after_start",
                violation_error_message="The last day cannot be before the first day.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.first_day and self.last_day and self.last_day < self.first_day:
            raise ValidationError({"last_day": "The last day cannot be before the first day."})


class OperationPartner(models.Model):
    """A partner organisation in an operation and its named contact for it."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="operation_partnerships"
    )
    contact_name = models.CharField(max_length=160)
    contact_email = models.EmailField(blank=True)
    contact_telephone = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "organisation"], name="operation_partner_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.operation}"


class ActivityType(models.TextChoices):
    MOBILE_POLICE_STATION = "mobile-police-station", "Mobile police station stop"
    ONLINE_SURGERY = "online-surgery", "Online surgery"
    MEET_THE_COMMANDER = "meet-the-commander", "Meet the commander"
    SPECIALIST_ADVICE = "specialist-advice", "Specialist advice"
    LITTER_PICK = "litter-pick", "Litter pick"
    VEHICLE_CHECKS = "vehicle-checks", "Vehicle checks"
    DROP_IN = "drop-in", "Drop-in centre"
    DOOR_TO_DOOR = "door-to-door", "Door-to-door visits"
    HIGH_VISIBILITY_PATROL = "high-visibility-patrol", "High-visibility patrol"
    SCHOOL_VISIT = "school-visit", "School visit"
    ENFORCEMENT = "enforcement", "Enforcement"
    WARRANT = "warrant", "Warrant"


# Never published, before or after the event: telling people would warn the people targeted.
RESTRICTED_TYPES: frozenset[str] = frozenset({ActivityType.ENFORCEMENT, ActivityType.WARRANT})
ONLINE_TYPES: frozenset[str] = frozenset({ActivityType.ONLINE_SURGERY})


class Activity(TimestampedModel):
    """One thing done in an operation: a stop of the mobile police station, a surgery, visits."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="activities")
    type = models.CharField(max_length=30, choices=ActivityType.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="What residents are told; plain text.")
    start = models.DateTimeField()
    end = models.DateTimeField()
    online = models.BooleanField(default=False)
    joining_details = models.CharField(max_length=300, blank=True)
    venue_name = models.CharField(max_length=200, blank=True)
    venue_address = models.CharField(max_length=300, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="operation_activities"
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="operation_activities"
    )
    public = models.BooleanField(default=False)

    sample = models.BooleanField(default=False, help_text=SAMPLE_HELP)

    class Meta:
        ordering = ["start", "id"]
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["operation", "start"], name="activity_operation_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="activity_ends_after_start",
                violation_error_message="An activity ends after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(public=False) | ~Q(type__in=sorted(RESTRICTED_TYPES)),
                name="activity_restricted_never_public",
                violation_error_message="Enforcement and warrants are never published.",
            ),
            models.CheckConstraint(
                condition=Q(online=False, joining_details="")
                | Q(online=True, venue_name="", venue_address="", latitude__isnull=True),
                name="activity_online_or_at_a_venue",
                violation_error_message="An online activity has joining details and no venue; "
                "one held in person has a venue and no joining details.",
            ),
            models.CheckConstraint(
                condition=~Q(type__in=sorted(ONLINE_TYPES)) | Q(online=True),
                name="activity_online_types_online",
                violation_error_message="An online surgery is held online.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def restricted(self) -> bool:
        return self.type in RESTRICTED_TYPES

    def clean(self) -> None:
        if self.public and self.type in RESTRICTED_TYPES:
            raise ValidationError(
                {"public": "Enforcement and warrants are never published, before or after."}
            )
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": "The activity must end after it starts."})


class Measure(models.TextChoices):
    """What an activity achieved, one count each."""

    ARRESTS = "arrests", "Arrests"
    WARRANTS_EXECUTED = "warrants-executed", "Warrants executed"
    VEHICLES_SEIZED = "vehicles-seized", "Vehicles seized"
    STOP_SEARCHES = "stop-searches", "Stop and searches"
    DRUGS_SEIZURES = "drugs-seizures", "Drugs seizures"
    WEAPONS_SEIZED = "weapons-seized", "Weapons seized"
    WARNINGS = "warnings", "Warnings given"
    VISITS = "visits", "Visits made"
    DOORS_ANSWERED = "doors-answered", "Doors answered"
    REFERRALS_FIRE = "referrals-fire", "Referrals for a fire safe-and-well visit"
    REFERRALS_SOCIAL_CARE = "referrals-social-care", "Referrals to social care"
    REFERRALS_HOUSING = "referrals-housing", "Referrals to housing"
    REFERRALS_VICTIM_SUPPORT = "referrals-victim-support", "Referrals to victim support"
    PEOPLE_ENGAGED = "people-engaged", "People engaged"
    LITTER_BAGS = "litter-bags", "Bags of litter collected"


class ActivityResult(models.Model):
    """How many of one measure an activity achieved, credited to one organisation."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="results")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="operation_results"
    )
    measure = models.CharField(max_length=30, choices=Measure.choices)
    count = models.IntegerField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["activity", "measure", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "organisation", "measure"], name="activity_result_once"
            ),
            models.CheckConstraint(
                condition=Q(count__gte=0),
                name="activity_result_not_negative",
                violation_error_message="A count cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()}: {self.count}"


class SurgeryStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for a moderator"
    APPROVED = "approved", "Approved, waiting for an answer"
    REJECTED = "rejected", "Not taken"
    ANSWERED = "answered", "Answered"


class SurgeryQuestion(models.Model):
    """A resident's question to an online surgery.

    The name and e-mail address are never shown publicly: the transcript shows the question
    and the answer only. A question is published only once a moderator has approved it.
    """

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="surgery_questions"
    )
    body = models.TextField()
    name = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True)
    asked_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=SurgeryStatus.choices, default=SurgeryStatus.WAITING
    )
    moderation_reason = models.CharField(max_length=300, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    sample = models.BooleanField(default=False, help_text=SAMPLE_HELP)

    class Meta:
        ordering = ["asked_at", "id"]
        indexes = [
            models.Index(fields=["activity", "status", "asked_at"], name="surgery_q_activity")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=SurgeryStatus.REJECTED) | ~Q(moderation_reason=""),
                name="surgery_rejected_has_reason",
                violation_error_message="Say why a question is not taken.",
            ),
            models.CheckConstraint(
                condition=~Q(status=SurgeryStatus.ANSWERED)
                | (Q(answered_at__isnull=False) & ~Q(answer="")),
                name="surgery_answered_has_answer",
            ),
        ]

    def __str__(self) -> str:
        return self.body[:60]


class AdviceTopic(models.Model):
    """A piece of advice a door-to-door visitor may tick: a configurable list."""

    slug = models.SlugField(max_length=60, unique=True)
    label = models.CharField(max_length=160)
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "label"]

    def __str__(self) -> str:
        return self.label


class Referral(models.TextChoices):
    FIRE_SAFE_AND_WELL = "fire-safe-and-well", "Fire and rescue safe-and-well visit"
    SOCIAL_CARE = "social-care", "Social care"
    HOUSING = "housing", "Housing"
    VICTIM_SUPPORT = "victim-support", "Victim support"


# Each referral counts towards its result measure when visits are rolled up.
REFERRAL_MEASURES: dict[str, str] = {
    Referral.FIRE_SAFE_AND_WELL: Measure.REFERRALS_FIRE,
    Referral.SOCIAL_CARE: Measure.REFERRALS_SOCIAL_CARE,
    Referral.HOUSING: Measure.REFERRALS_HOUSING,
    Referral.VICTIM_SUPPORT: Measure.REFERRALS_VICTIM_SUPPORT,
}


class VisitRoute(models.Model):
    """One walking route of a door-to-door activity, for a pair of visitors.

    ``stops`` is the ordered list of postcodes to call at, each
    ``{"postcode", "latitude", "longitude", "households"}``; ``length_m`` the walk's length.
    """

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="routes")
    number = models.PositiveSmallIntegerField()
    visitors = models.CharField(
        max_length=300, blank=True, help_text="Who walks it, e.g. 'PC Shah and Ali Khan (fire)'."
    )
    stops = models.JSONField(default=list)
    households = models.PositiveIntegerField(default=0)
    length_m = models.PositiveIntegerField(default=0)
    nearest_neighbour_length_m = models.PositiveIntegerField(
        default=0, help_text="The same stops in nearest-neighbour order, for comparison."
    )

    class Meta:
        ordering = ["activity", "number"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "number"], name="visit_route_number_once")
        ]

    def __str__(self) -> str:
        return f"Route {self.number}"


class ConcernAction(models.TextChoices):
    NONE = "", "Nothing more"
    QUESTION = "question", "Turned into a resident question"
    TEAM_NOTE = "team-note", "A note for the team"


class DoorVisit(models.Model):
    """One door called at. ``client_id`` is made in the visitor's browser, so an entry sent
    again after a lost connection is stored once."""

    route = models.ForeignKey(VisitRoute, on_delete=models.CASCADE, related_name="visits")
    client_id = models.UUIDField(default=uuid.uuid4, unique=True)
    postcode = models.CharField(max_length=8)
    door = models.CharField(max_length=80, blank=True, help_text="House number or name.")
    answered = models.BooleanField()
    advice = models.ManyToManyField(AdviceTopic, blank=True, related_name="door_visits")
    referrals = models.JSONField(default=list, blank=True)
    concerns = models.TextField(blank=True)
    concern_action = models.CharField(
        max_length=20, choices=ConcernAction.choices, default=ConcernAction.NONE, blank=True
    )
    question = models.OneToOneField(
        Question,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="door_visit",
        help_text="The resident question the concern was turned into, raised at the door.",
    )
    visited_at = models.DateTimeField(help_text="When the visitor logged it, by their phone.")
    received_at = models.DateTimeField(auto_now_add=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["visited_at", "id"]

    def __str__(self) -> str:
        return f"{self.door} {self.postcode}".strip()


class TeamNote(models.Model):
    """A concern raised at a door, kept for the neighbourhood team (never public)."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="team_notes")
    door_visit = models.OneToOneField(
        DoorVisit, null=True, blank=True, on_delete=models.SET_NULL, related_name="team_note"
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:60]
