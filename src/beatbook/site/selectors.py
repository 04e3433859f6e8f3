"""Reads behind the home and staff pages. Each returns in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet, Sum

from beatbook.accounts.models import Membership, Organisation, User
from beatbook.accounts.selectors import forces_for_user
from beatbook.places.models import Force, Lsoa, Neighbourhood
from beatbook.records.models import SourceFile, SourceKind, SourceStatus


@dataclass(frozen=True)
class CrimeCoverage:
    crimes: int = 0
    first_month: str = ""
    last_month: str = ""
    months: int = 0


@dataclass(frozen=True)
class ForceSummary:
    force: Force
    coverage: CrimeCoverage
    neighbourhood_count: int = 0
    lsoa_count: int = 0
    neighbourhoods: list[Neighbourhood] = field(default_factory=list)


def crime_coverage_by_force(*, forces: QuerySet[Force] | None = None) -> dict[str, CrimeCoverage]:
    """Street-level crimes held per force, with the first and last month and the months held.

    Read from the import history, not by counting crimes: the ingest keeps exactly one loaded
    street file per (force, month), whose rows replace that month's crimes, so its
    ``rows_loaded`` is the month's count. This stays a few hundred rows at national scale,
    where counting the crime table itself (millions of rows) on every page view would not.
    """
    files = SourceFile.objects.filter(kind=SourceKind.STREET, status=SourceStatus.LOADED)
    if forces is not None:
        files = files.filter(force__in=forces)
    rows = (
        files.exclude(force=None)
        .order_by()
        .values("force_id")
        .annotate(
            crimes=Sum("rows_loaded"),
            first_month=Min("month"),
            last_month=Max("month"),
            months=Count("month", distinct=True),
        )
    )
    return {
        row["force_id"]: CrimeCoverage(
            crimes=row["crimes"] or 0,
            first_month=row["first_month"],
            last_month=row["last_month"],
            months=row["months"],
        )
        for row in rows
    }


def _counts_by_force(queryset: QuerySet[Lsoa] | QuerySet[Neighbourhood]) -> dict[str, int]:
    rows = queryset.order_by().exclude(force=None).values("force_id").annotate(n=Count("pk"))
    return {row["force_id"]: row["n"] for row in rows}


def force_summaries(
    *, forces: QuerySet[Force] | None = None, with_neighbourhoods: bool = False
) -> list[ForceSummary]:
    """The forces we hold anything for (crimes, LSOAs or neighbourhoods), by name; only those
    in ``forces`` when it is given (the staff page's scope, ``staff_forces``).

    Counts come from grouped queries rather than annotations on Force: joining crimes, LSOAs
    and neighbourhoods in one query would multiply the rows.
    """
    lsoa_rows = Lsoa.objects.all()
    neighbourhood_rows = Neighbourhood.objects.all()
    if forces is not None:
        lsoa_rows = lsoa_rows.filter(force__in=forces)
        neighbourhood_rows = neighbourhood_rows.filter(force__in=forces)
    coverage = crime_coverage_by_force(forces=forces)
    lsoas = _counts_by_force(lsoa_rows)
    neighbourhoods = _counts_by_force(neighbourhood_rows)
    held = set(coverage) | set(lsoas) | set(neighbourhoods)
    listed_forces = Force.objects.filter(pk__in=held).order_by("name")
    if with_neighbourhoods:
        listed = Neighbourhood.objects.only("id", "force_id", "name", "code").order_by("name")
        listed_forces = listed_forces.prefetch_related(Prefetch("neighbourhoods", queryset=listed))
    return [
        ForceSummary(
            force=force,
            coverage=coverage.get(force.pk, CrimeCoverage()),
            neighbourhood_count=neighbourhoods.get(force.pk, 0),
            lsoa_count=lsoas.get(force.pk, 0),
            neighbourhoods=list(force.neighbourhoods.all()) if with_neighbourhoods else [],
        )
        for force in listed_forces
    ]


def staff_forces(*, viewer: User) -> QuerySet[Force] | None:
    """The forces whose data the staff pages list for ``viewer``: None (every force) for a
    superuser, else the forces the viewer works in (``accounts.selectors.forces_for_user``)."""
    return None if viewer.is_superuser else forces_for_user(user=viewer)


def staff_force_get(*, viewer: User, force_id: str) -> Force:
    """One force the viewer works in (any for a superuser); ``Force.DoesNotExist`` otherwise,
    the same answer as for a force that does not exist."""
    forces = staff_forces(viewer=viewer)
    return (Force.objects.all() if forces is None else forces).get(pk=force_id)


def neighbourhood_list(*, force: Force) -> QuerySet[Neighbourhood]:
    """A force's neighbourhoods by name, with how many LSOAs each is made of."""
    return (
        Neighbourhood.objects.filter(force=force)
        .annotate(lsoa_count=Count("lsoas"))
        .defer("boundary", "description")
        .order_by("name", "code")
    )


def organisation_list(*, viewer: User) -> QuerySet[Organisation]:
    """Organisations the viewer may see: all for a superuser, else those of the viewer's forces."""
    return (
        _organisations_visible_to(viewer)
        .select_related("force")
        .annotate(member_count=Count("memberships__user", distinct=True))
        .order_by("name")
    )


def user_list(*, viewer: User) -> QuerySet[User]:
    """Users by user name, with their memberships (organisation, force, neighbourhoods).

    A superuser sees everyone; other staff see the people of the organisations in their forces
    (and themselves), never another force's staff.
    """
    memberships = Membership.objects.select_related("organisation", "force").prefetch_related(
        Prefetch("neighbourhoods", queryset=Neighbourhood.objects.only("id", "name", "force_id"))
    )
    users = User.objects.all()
    if not viewer.is_superuser:
        organisations = _organisations_visible_to(viewer)
        users = users.filter(
            Q(memberships__organisation__in=organisations) | Q(pk=viewer.pk)
        ).distinct()
    return users.order_by("username").prefetch_related(
        Prefetch("memberships", queryset=memberships)
    )


def _organisations_visible_to(viewer: User) -> QuerySet[Organisation]:
    if viewer.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(force__in=forces_for_user(user=viewer))


def source_file_list(*, viewer: User) -> QuerySet[SourceFile]:
    """The import history the viewer may see, newest first: every file for a superuser; for
    other staff, the files of the forces they work in and the national files every force
    shares (LSOA boundaries, postcodes: no force), never another force's."""
    files = SourceFile.objects.select_related("force").defer("rejections")
    forces = staff_forces(viewer=viewer)
    if forces is not None:
        files = files.filter(Q(force__in=forces) | Q(force=None))
    return files.order_by("-started_at", "-id")
