"""Users, the partnership's organisations, and what each person may do where."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from beatbook.core.models import TimestampedModel
from beatbook.places.models import Force, Neighbourhood


class User(AbstractUser):
    """A person who signs in. What they may see comes from their memberships."""

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class OrganisationKind(models.TextChoices):
    POLICE_FORCE = "police", "Police force"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    FIRE_AND_RESCUE = "fire_and_rescue", "Fire and rescue service"
    PROBATION = "probation", "Probation service"
    HEALTH = "health", "Health"
    YOUTH_OFFENDING = "youth_offending", "Youth offending service"
    HOUSING = "housing", "Housing provider"
    VOLUNTARY = "voluntary", "Voluntary sector"


class Organisation(TimestampedModel):
    """A member of a community safety partnership: a force, a council, a charity..."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    force = models.ForeignKey(
        Force,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text=(
            "For a police organisation, the force it is; for a partner, the force area it serves."
        ),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    ANALYST = "analyst", "Analyst"
    NEIGHBOURHOOD_OFFICER = "neighbourhood_officer", "Neighbourhood officer or PCSO"
    NEIGHBOURHOOD_INSPECTOR = "neighbourhood_inspector", "Neighbourhood inspector"
    TASKING_SERGEANT = "tasking_sergeant", "Tasking team sergeant"
    PARTNER = "partner", "Partner agency worker"


# The one place that says what each role may do; every check uses these two sets.
# Team roles act for a neighbourhood team: they change its workspace pages (team, priorities,
# events) and answer its residents' questions, seeing who asked.
TEAM_ROLES: tuple[str, ...] = (
    Role.ADMINISTRATOR,
    Role.NEIGHBOURHOOD_OFFICER,
    Role.NEIGHBOURHOOD_INSPECTOR,
    Role.TASKING_SERGEANT,
)
# Read-only roles see their neighbourhoods' workspace and the partnership's data, but change
# nothing there and never see a resident's name or e-mail address.
READ_ONLY_ROLES: tuple[str, ...] = (Role.ANALYST, Role.PARTNER)


class Membership(TimestampedModel):
    """A user's role in an organisation, scoped to a force or to named neighbourhoods.

    A membership with neighbourhoods is limited to them; one without is force-wide.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    force = models.ForeignKey(
        Force, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    neighbourhoods = models.ManyToManyField(Neighbourhood, blank=True, related_name="memberships")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_user_org_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.organisation}"
