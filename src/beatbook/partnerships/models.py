"""Community Safety Partnerships (issue 16, ADR 20): the partnership, its area and members, its
groups and meetings, the strategic assessment it makes each year, and the partnership plan that
runs from priorities to objectives, to actions, to measures.

A partnership's area is a set of local authorities, each named as police.uk's LSOA names carry
it ("Stoke-on-Trent" for "Stoke-on-Trent 012A"); their LSOAs come from the LSOA data Beatbook
holds (``partnerships.partnership_areas``), so an area may span forces.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from beatbook.accounts.models import Organisation
from beatbook.core.models import TimestampedModel

SAMPLE_HELP = "Sample content made by `beatbook demo`: remade on its first start each day."


class Partnership(TimestampedModel):
    """A Community Safety Partnership, e.g. the Stoke-on-Trent Safer City Partnership."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True, help_text="Its public address.")
    aim = models.TextField(blank=True)
    get_involved = models.TextField(
        blank=True, help_text="How residents and groups can take part: shown on the public page."
    )
    contact_email = models.EmailField(blank=True)
    published = models.BooleanField(default=False, help_text="Whether its public page is shown.")
    sample = models.BooleanField(default=False, help_text=SAMPLE_HELP)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnershipAuthority(models.Model):
    """A local authority in the partnership's area, named as LSOA names carry it."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="authorities"
    )
    name = models.CharField(max_length=120, help_text='As in LSOA names, e.g. "Stoke-on-Trent".')

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "partnership authorities"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="partnership_authority")
        ]

    def __str__(self) -> str:
        return self.name


class MemberStanding(models.TextChoices):
    RESPONSIBLE = "responsible", "Responsible authority"
    MEMBER = "member", "Member"
    WORKS_WITH = "works_with", "Works with the partnership"


class PartnershipMember(TimestampedModel):
    """A member of the partnership: an organisation with its named representative, or a group
    of people who are not an organisation (community members, elected members)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partnership_memberships",
    )
    name = models.CharField(
        max_length=200,
        blank=True,
        help_text="For a member that is not an organisation, e.g. 'Community members'.",
    )
    standing = models.CharField(
        max_length=20, choices=MemberStanding.choices, default=MemberStanding.MEMBER
    )
    representative = models.CharField(max_length=120, blank=True)
    representative_role = models.CharField(max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"],
                condition=Q(organisation__isnull=False),
                name="partnership_member_organisation",
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(name=""),
                name="partnership_member_named",
            ),
        ]

    @property
    def display_name(self) -> str:
        return self.organisation.name if self.organisation else self.name

    def __str__(self) -> str:
        return self.display_name


class GroupKind(models.TextChoices):
    STRATEGY = "strategy", "Strategy group"
    JAG = "jag", "Joint action group (JAG)"


class PartnershipGroup(TimestampedModel):
    """A group that meets: the strategy group, or a JAG for part of the area."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="groups")
    kind = models.CharField(max_length=10, choices=GroupKind.choices)
    name = models.CharField(max_length=160)
    remit = models.TextField(blank=True, help_text="What it covers, and where.")
    cadence = models.CharField(max_length=80, blank=True, help_text="For example 'Monthly'.")

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="partnership_group_name")
        ]

    def __str__(self) -> str:
        return self.name


class Meeting(TimestampedModel):
    """One meeting of a group. Its agenda is built from the data until the minutes are saved,
    when the agenda as it stood is kept with them (``agenda``)."""

    group = models.ForeignKey(PartnershipGroup, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=200, blank=True)
    minutes = models.TextField(blank=True)
    minutes_saved_at = models.DateTimeField(null=True, blank=True)
    agenda = models.JSONField(
        null=True, blank=True, help_text="The agenda as it stood when the minutes were saved."
    )
    sample = models.BooleanField(default=False, help_text=SAMPLE_HELP)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["group", "starts_at"], name="meeting_group_start")]

    def __str__(self) -> str:
        return f"{self.group} on {self.starts_at:%d %B %Y}"


class Decision(models.Model):
    """A decision recorded in a meeting's minutes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Assessment(TimestampedModel):
    """A strategic assessment as it was made: what it covered, from which data, and its summary
    (the ``summary.json`` of ``beatbook assess``). The report itself is made again from the
    same data on demand; it is the same each time."""

    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="assessments"
    )
    area_label = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField()
    data_version = models.CharField(max_length=200)
    summary = models.JSONField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "-created_at"]

    def __str__(self) -> str:
        return f"Strategic assessment {self.year}: {self.area_label}"


class PartnershipPlan(TimestampedModel):
    """The partnership plan: priorities, objectives, actions and measures for its years."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="plans")
    title = models.CharField(max_length=200)
    year_from = models.PositiveSmallIntegerField(help_text="First year the plan covers.")
    year_to = models.PositiveSmallIntegerField(help_text="Last year the plan covers.")
    introduction = models.TextField(blank=True)
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="plans"
    )
    published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    sample = models.BooleanField(default=False, help_text=SAMPLE_HELP)

    class Meta:
        ordering = ["-year_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_to__gte=models.F("year_from")), name="plan_years_in_order"
            ),
            models.CheckConstraint(
                condition=Q(published=False) | Q(published_at__isnull=False),
                name="plan_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PlanPriority(models.Model):
    """A priority of the plan, e.g. "Violent crime", with the evidence it was chosen on."""

    plan = models.ForeignKey(PartnershipPlan, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(max_length=160)
    rationale = models.TextField(blank=True, help_text="Why: the assessment's evidence.")
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "id"]
        verbose_name_plural = "plan priorities"

    def __str__(self) -> str:
        return self.title


class Objective(models.Model):
    """What the partnership means to achieve under a priority."""

    priority = models.ForeignKey(PlanPriority, on_delete=models.CASCADE, related_name="objectives")
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


OPEN_ACTION_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


class Action(TimestampedModel):
    """Something a member organisation has taken on: under an objective of the plan, or raised
    at a meeting (or both)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="actions")
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        help_text="The meeting it was agreed at.",
    )
    description = models.TextField()
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="actions")
    lead = models.CharField(max_length=120, blank=True, help_text="The named person who leads.")
    due = models.DateField()
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    progress_note = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    sample = models.BooleanField(default=False, help_text=SAMPLE_HELP)

    class Meta:
        ordering = ["due", "id"]
        indexes = [
            models.Index(fields=["partnership", "status", "due"], name="action_open_due"),
            models.Index(fields=["owner", "status"], name="action_owner_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.DONE) | Q(completed_on__isnull=False),
                name="action_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]


class Direction(models.TextChoices):
    DOWN = "down", "Lower is better"
    UP = "up", "Higher is better"


class Measure(models.Model):
    """How an objective's progress is measured: an indicator Beatbook computes from the data
    (``partnerships.strategy_indicators``), with a baseline and a target."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="measures")
    indicator = models.CharField(
        max_length=80,
        help_text="The computed indicator, e.g. 'violent-crime/per_1000' or 'anti-social-"
        "behaviour/count' (a police.uk category, or all-crime, and count or per_1000).",
    )
    baseline_year = models.PositiveSmallIntegerField()
    baseline = models.FloatField(help_text="The indicator over the baseline year, computed.")
    target = models.FloatField(help_text="The value to reach in the plan's last year.")
    direction = models.CharField(max_length=4, choices=Direction.choices, default=Direction.DOWN)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.indicator
