"""Who polices a neighbourhood and what they are doing about it: police.uk's team, priorities
and events, and a force's senior officers and ways to get in touch.

Staff keep these through the admin; the open API (``beatbook.policeapi``) serves them in
police.uk's shapes. Every field here is published: nothing private belongs in these tables.
"""

from __future__ import annotations

import re

from django.db import models

from beatbook.core.models import TimestampedModel
from beatbook.places.models import Force, Neighbourhood
from beatbook.teams.contact import validate_contact_details

SAMPLE_HELP = "Sample content made by `beatbook demo`: remade on its first start each day."
CONTACT_HELP = 'Channel to value, e.g. {"email": "longton@example.police.uk", "telephone": "101"}.'


class NeighbourhoodContact(TimestampedModel):
    """The team's shared contact details and page on the force's website."""

    neighbourhood = models.OneToOneField(
        Neighbourhood, on_delete=models.CASCADE, primary_key=True, related_name="team_contact"
    )
    contact_details = models.JSONField(
        default=dict, blank=True, validators=[validate_contact_details], help_text=CONTACT_HELP
    )

    sample = models.BooleanField(default=False, help_text=SAMPLE_HELP)

    class Meta:
        verbose_name = "neighbourhood team contact"

    def __str__(self) -> str:
        return f"Contact for {self.neighbourhood}"


class TeamMember(TimestampedModel):
    """A named officer, PCSO or volunteer in a neighbourhood team."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="team_members"
    )
    name = models.CharField(max_length=160)
    rank = models.CharField(max_length=120, help_text="Free text, may include a collar number.")
    bio = models.TextField(blank=True, help_text="HTML allowed, as on police.uk.")
    contact_details = models.JSONField(
        default=dict, blank=True, validators=[validate_contact_details], help_text=CONTACT_HELP
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers are listed first.")

    sample = models.BooleanField(default=False, help_text=SAMPLE_HELP)

    class Meta:
        ordering = ["neighbourhood", "order", "name"]
        indexes = [models.Index(fields=["neighbourhood", "order"], name="team_member_nbhd_order")]

    def __str__(self) -> str:
        return f"{self.rank} {self.name}"


class Priority(TimestampedModel):
    """A problem the team has committed to tackle ("you said"), and what was done ("we did")."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="priorities"
    )
    issue = models.TextField(help_text="HTML allowed.")
    issue_date = models.DateTimeField()
    action = models.TextField(blank=True, help_text="What the team did; HTML allowed.")
    action_date = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True, help_text="What changed as a result.")

    sample = models.BooleanField(default=False, help_text=SAMPLE_HELP)

    class Meta:
        verbose_name_plural = "priorities"
        ordering = ["neighbourhood", "-issue_date", "id"]
        indexes = [
            models.Index(fields=["neighbourhood", "issue_date"], name="priority_nbhd_issue_date")
        ]

    def __str__(self) -> str:
        return f"{self.neighbourhood}: {self.issue[:60]}"


class EventType(models.TextChoices):
    MEETING = "meeting", "Meeting"
    SURGERY = "surgery", "Surgery"
    MOBILE_POLICE_STATION = "mobile-police-station", "Mobile police station"
    ONLINE_SURGERY = "online-surgery", "Online surgery"
    MEET_THE_COMMANDER = "meet-the-commander", "Meet the commander"
    DAY_OF_ACTION = "day-of-action", "Day or week of action"
    LITTER_PICK = "litter-pick", "Litter pick"
    DOOR_TO_DOOR = "door-to-door", "Door-to-door visits"
    COMMUNITY_EVENT = "community-event", "Community event"
    CRIME_PREVENTION = "crime-prevention", "Crime prevention"
    OTHER = "other", "Other"


# A web address in text, without the full stop or bracket that may follow it.
_WEB_ADDRESS = re.compile(r"https://[^\s<>\"']+[^\s<>\"'.,;:)]")
# The event types that are always held online.
ONLINE_TYPES = frozenset({EventType.ONLINE_SURGERY})


class Event(TimestampedModel):
    """A meeting, surgery or community event the team runs or attends.

    An event is held in person, at ``address`` (one line ending with its postcode, as police.uk
    keeps it), or online, with ``joining_details`` saying how to join and no address at all.
    """

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="events"
    )
    title = models.CharField(max_length=200)
    type = models.CharField(max_length=40, choices=EventType.choices, default=EventType.MEETING)
    description = models.TextField(blank=True, help_text="HTML allowed.")
    address = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where an in-person event is: a place and street, ending with its postcode, "
        "which must be in or near the neighbourhood. Blank for an online event.",
    )
    online = models.BooleanField(
        default=False, help_text="Held online: no address, and say how to join."
    )
    joining_details = models.CharField(
        max_length=300,
        blank=True,
        help_text="How to join an online event: a link to the meeting, or what to do, like "
        "'Email the team for the link'. Blank for an event held in person.",
    )
    start = models.DateTimeField()
    end = models.DateTimeField(null=True, blank=True)
    contact_details = models.JSONField(
        default=dict, blank=True, validators=[validate_contact_details], help_text=CONTACT_HELP
    )

    sample = models.BooleanField(default=False, help_text=SAMPLE_HELP)

    class Meta:
        ordering = ["neighbourhood", "start", "id"]
        indexes = [models.Index(fields=["neighbourhood", "start"], name="event_nbhd_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="event_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(online=False, joining_details="")
                | models.Q(online=True, address=""),
                name="event_online_or_in_person",
                violation_error_message="An online event has joining details and no address; "
                "an event held in person has an address and no joining details.",
            ),
            models.CheckConstraint(
                condition=~models.Q(type__in=sorted(ONLINE_TYPES)) | models.Q(online=True),
                name="event_online_types_online",
                violation_error_message="An online surgery is held online.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start:%Y-%m-%d})"

    @property
    def place(self) -> str:
        """Where the event is, as one line for residents: "Online" and how to join, or the
        address."""
        if self.online:
            return f"Online: {self.joining_details}" if self.joining_details else "Online"
        return self.address

    @property
    def joining_url(self) -> str:
        """The first https:// address in an online event's joining details, or ""."""
        found = _WEB_ADDRESS.search(self.joining_details) if self.online else None
        return found.group(0) if found else ""


class NeighbourhoodLink(models.Model):
    """A link the team recommends (council, partners), listed on the neighbourhood page."""

    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    sample = models.BooleanField(default=False, help_text=SAMPLE_HELP)

    class Meta:
        ordering = ["neighbourhood", "order", "title"]

    def __str__(self) -> str:
        return self.title


class NeighbourhoodLocation(models.Model):
    """A place where the public can meet the team: a police station, a library desk."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="locations"
    )
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=40, default="station", help_text="police.uk uses 'station'.")
    description = models.TextField(blank=True)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    telephone = models.CharField(max_length=40, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    sample = models.BooleanField(default=False, help_text=SAMPLE_HELP)

    class Meta:
        ordering = ["neighbourhood", "order", "name"]

    def __str__(self) -> str:
        return self.name


class SeniorOfficer(TimestampedModel):
    """A chief officer of a force, as police.uk lists them under /forces/<id>/people."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="senior_officers")
    name = models.CharField(max_length=160)
    rank = models.CharField(max_length=120)
    bio = models.TextField(blank=True, help_text="HTML allowed.")
    contact_details = models.JSONField(
        default=dict, blank=True, validators=[validate_contact_details], help_text=CONTACT_HELP
    )
    order = models.PositiveSmallIntegerField(default=0)

    sample = models.BooleanField(default=False, help_text=SAMPLE_HELP)

    class Meta:
        ordering = ["force", "order", "name"]

    def __str__(self) -> str:
        return f"{self.rank} {self.name}"


class EngagementMethod(models.Model):
    """A way to follow or contact a force: its Facebook page, its X account, a newsletter."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="engagement_methods")
    type = models.CharField(max_length=40, help_text="e.g. facebook, twitter, rss, youtube.")
    title = models.CharField(max_length=120)
    url = models.URLField(max_length=500)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    sample = models.BooleanField(default=False, help_text=SAMPLE_HELP)

    class Meta:
        ordering = ["force", "order", "title"]

    def __str__(self) -> str:
        return f"{self.force_id}: {self.title}"
