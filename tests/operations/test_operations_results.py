"""What an operation achieved: recording results, rolling them up with one figure per partner,
door visits counted once, the texts made from the figures, the one-page PDF, the public "what
we did" section, and who may do what."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from beatbook.accounts.models import User
from beatbook.operations import selectors, summaries
from beatbook.operations.models import (
    Activity,
    ActivityResult,
    DoorVisit,
    Measure,
    Operation,
    Referral,
    VisitRoute,
)
from beatbook.operations.operation_results import (
    Figure,
    OperationFigures,
    PartnerFigures,
    activity_results_record,
    combine,
    operation_figures,
    publishable_activities,
)
from beatbook.operations.summary_pdf import summary_document

from .operations_world import PASSWORD, OperationsWorld

ARRESTS = Measure.ARRESTS.value
PEOPLE = Measure.PEOPLE_ENGAGED.value
LITTER = Measure.LITTER_BAGS.value
VISITS = Measure.VISITS.value
ANSWERED = Measure.DOORS_ANSWERED.value
FIRE_REFERRALS = Measure.REFERRALS_FIRE.value
HOUSING_REFERRALS = Measure.REFERRALS_HOUSING.value


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _snapshot() -> list[tuple[int, int, str, int]]:
    rows = ActivityResult.objects.order_by("pk").values_list(
        "activity_id", "organisation_id", "measure", "count"
    )
    return list(rows)


def _record(world: OperationsWorld) -> None:
    """The week's figures: police and council at the mobile station, police enforcement."""
    activity_results_record(
        activity=world.mobile_station,
        organisation=world.police,
        counts={PEOPLE: 40},
        by=world.sergeant,
    )
    activity_results_record(
        activity=world.mobile_station,
        organisation=world.council,
        counts={PEOPLE: 25, LITTER: 12},
        by=world.coordinator,
    )
    activity_results_record(
        activity=world.enforcement,
        organisation=world.police,
        counts={ARRESTS: 3, Measure.VEHICLES_SEIZED: 1},
        by=world.sergeant,
    )


def _door(route: VisitRoute, by: User, *, answered: bool, referrals: list[str]) -> DoorVisit:
    return DoorVisit.objects.create(
        route=route,
        client_id=uuid.uuid4(),
        postcode="ST3 1AB",
        door="1",
        answered=answered,
        referrals=referrals,
        visited_at=timezone.now(),
        logged_by=by,
    )


def _log_doors(world: OperationsWorld) -> None:
    """Four doors: three logged by the fire officer (two answered, one with two referrals and
    one made-up referral), one by the sergeant, unanswered."""
    route = VisitRoute.objects.create(activity=world.doors, number=1)
    _door(route, world.fire_officer, answered=True, referrals=[Referral.FIRE_SAFE_AND_WELL])
    _door(
        route,
        world.fire_officer,
        answered=True,
        referrals=[Referral.HOUSING, Referral.FIRE_SAFE_AND_WELL, "not-a-referral"],
    )
    _door(route, world.fire_officer, answered=False, referrals=[])
    _door(route, world.sergeant, answered=False, referrals=[])


def _row(figures: OperationFigures, name: str) -> dict[str, int]:
    return next(p.counts for p in figures.partners if p.name == name)


def _not_ended(operation: Operation) -> None:
    Operation.objects.filter(pk=operation.pk).update(last_day=date(2099, 12, 31))
    operation.refresh_from_db()


# --- recording -------------------------------------------------------------------------------


def test_recording_replaces_that_organisations_figures_only(world: OperationsWorld) -> None:
    _record(world)
    activity_results_record(
        activity=world.mobile_station,
        organisation=world.council,
        counts={PEOPLE: 30},
        by=world.coordinator,
    )
    council = ActivityResult.objects.filter(
        activity=world.mobile_station, organisation=world.council
    )
    assert dict(council.values_list("measure", "count")) == {PEOPLE: 30}  # litter left out: gone
    police = ActivityResult.objects.get(activity=world.mobile_station, organisation=world.police)
    assert (police.measure, police.count, police.recorded_by) == (PEOPLE, 40, world.sergeant)


def test_a_zero_removes_the_row(world: OperationsWorld) -> None:
    _record(world)
    activity_results_record(
        activity=world.mobile_station,
        organisation=world.council,
        counts={PEOPLE: 25, LITTER: 0},
        by=world.coordinator,
    )
    assert not ActivityResult.objects.filter(measure=LITTER).exists()


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ({PEOPLE: 5, ARRESTS: -1}, "Arrests cannot be negative"),
        ({PEOPLE: "5"}, "People engaged must be a whole number, like 3"),
        ({PEOPLE: 2.5}, "People engaged must be a whole number, like 3"),
        ({PEOPLE: True}, "People engaged must be a whole number, like 3"),
        ({"parking-tickets": 3}, "Not a measure of results: parking-tickets"),
        ({PEOPLE: 10**9}, "People engaged must be 1,000,000 or fewer"),
    ],
)
def test_bad_counts_are_refused_and_change_nothing(
    world: OperationsWorld, counts: dict[str, object], message: str
) -> None:
    _record(world)
    before = _snapshot()
    with pytest.raises(ValidationError) as refused:
        activity_results_record(
            activity=world.mobile_station, organisation=world.council, counts=counts, by=None
        )
    assert message in refused.value.messages
    assert _snapshot() == before


def test_organisations_not_assigned_cannot_be_credited(world: OperationsWorld) -> None:
    _record(world)
    before = _snapshot()
    # Fire is a partner, but not assigned to the mobile station; the council is not assigned to
    # the enforcement (and the lead is credited with a restricted one only if assigned).
    for activity, organisation in [
        (world.mobile_station, world.fire),
        (world.enforcement, world.council),
        (world.mobile_station, world.cheshire_police),
    ]:
        with pytest.raises(ValidationError, match="not assigned to this activity"):
            activity_results_record(
                activity=activity, organisation=organisation, counts={PEOPLE: 1}, by=None
            )
    assert _snapshot() == before
    # The lead may be credited with an unrestricted activity it is not assigned to.
    activity_results_record(
        activity=world.doors, organisation=world.police, counts={PEOPLE: 2}, by=None
    )


def test_a_failure_part_way_leaves_the_figures_as_they_were(
    world: OperationsWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    _record(world)
    before = _snapshot()

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database went away")

    # The old rows are deleted first; failing on the first write shows the delete rolled back.
    monkeypatch.setattr(QuerySet, "update_or_create", fail)
    with pytest.raises(RuntimeError):
        activity_results_record(
            activity=world.mobile_station,
            organisation=world.council,
            counts={PEOPLE: 1},
            by=None,
        )
    assert _snapshot() == before


def test_the_database_refuses_a_negative_count_written_around_the_service(
    world: OperationsWorld,
) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityResult.objects.create(
            activity=world.mobile_station, organisation=world.police, measure=ARRESTS, count=-1
        )


# --- rolling up ------------------------------------------------------------------------------


def test_the_roll_up_has_one_row_per_partner_and_the_totals(world: OperationsWorld) -> None:
    _record(world)
    figures = operation_figures(world.week)
    assert [p.name for p in figures.partners] == [
        "Staffordshire Police",
        "Staffordshire Fire and Rescue",
        "Stoke-on-Trent City Council",
    ]
    assert [m for m, _ in figures.measures] == [ARRESTS, Measure.VEHICLES_SEIZED, PEOPLE, LITTER]
    assert _row(figures, "Staffordshire Police") == {
        ARRESTS: 3,
        Measure.VEHICLES_SEIZED: 1,
        PEOPLE: 40,
        LITTER: 0,
    }
    assert _row(figures, "Stoke-on-Trent City Council")[PEOPLE] == 25
    assert figures.totals == {ARRESTS: 3, Measure.VEHICLES_SEIZED: 1, PEOPLE: 65, LITTER: 12}
    assert figures.total_cells == [3, 1, 65, 12]
    fire = next(p for p in figures.partners if p.name == "Staffordshire Fire and Rescue")
    assert fire.cells == [0, 0, 0, 0]
    assert not fire.has_figures


def test_combine_takes_a_hand_figure_instead_of_the_door_log() -> None:
    """Worked by hand: activity 1, organisations 7 and 8. The log has 3 visits for 7 and 2 for
    8; 7 also wrote 10 visits by hand, so 7 has 10 (not 13) and 8 keeps its logged 2. A hand
    figure in activity 2 does not touch activity 1's log."""
    logged = [Figure(1, 7, VISITS, 1)] * 3 + [Figure(1, 8, VISITS, 1)] * 2
    recorded = [Figure(1, 7, VISITS, 10), Figure(2, 8, VISITS, 4), Figure(1, 7, ARRESTS, 1)]
    assert combine(recorded, logged) == {(7, VISITS): 10, (8, VISITS): 6, (7, ARRESTS): 1}


def test_visits_logged_at_the_door_are_counted(world: OperationsWorld) -> None:
    _log_doors(world)
    figures = operation_figures(world.week)
    assert _row(figures, "Staffordshire Fire and Rescue") == {
        VISITS: 3,
        ANSWERED: 2,
        FIRE_REFERRALS: 2,
        HOUSING_REFERRALS: 1,
    }
    assert _row(figures, "Staffordshire Police") == {
        VISITS: 1,
        ANSWERED: 0,
        FIRE_REFERRALS: 0,
        HOUSING_REFERRALS: 0,
    }
    assert figures.totals[VISITS] == 4


def test_a_visits_figure_by_hand_replaces_the_log_and_is_not_added(world: OperationsWorld) -> None:
    _log_doors(world)
    activity_results_record(
        activity=world.doors,
        organisation=world.fire,
        counts={VISITS: 10, PEOPLE: 6},
        by=world.fire_officer,
    )
    fire = _row(operation_figures(world.week), "Staffordshire Fire and Rescue")
    assert fire[VISITS] == 10  # not 13
    assert fire[ANSWERED] == 2  # nothing written by hand for doors answered: the log counts
    assert fire[PEOPLE] == 6
    # Back to zero by hand: the log counts again.
    activity_results_record(
        activity=world.doors, organisation=world.fire, counts={PEOPLE: 6}, by=None
    )
    assert _row(operation_figures(world.week), "Staffordshire Fire and Rescue")[VISITS] == 3


# --- texts -----------------------------------------------------------------------------------


def test_what_we_did_is_made_from_the_figures(world: OperationsWorld) -> None:
    _record(world)
    _log_doors(world)
    paragraphs = summaries.what_we_did(operation_figures(world.week))
    assert paragraphs[0] == (
        "During Longton community action week, from 2 to 7 March 2026, Staffordshire Police, "
        "Staffordshire Fire and Rescue and Stoke-on-Trent City Council visited 4 homes, had 2 "
        "doors answered, spoke to 65 people and collected 12 bags of litter."
    )
    assert paragraphs[1] == (
        "So that residents get the help they need, we made 3 referrals to other services: 2 for "
        "fire safe-and-well visits and 1 to housing."
    )
    assert paragraphs[2] == "Officers made 3 arrests and seized 1 vehicle."
    assert "Stoke-on-Trent City Council spoke to 25 people and collected 12 bags of litter." in (
        paragraphs
    )


def test_changing_a_figure_changes_the_text_and_a_zero_is_never_mentioned(
    world: OperationsWorld,
) -> None:
    _record(world)
    activity_results_record(
        activity=world.enforcement, organisation=world.police, counts={ARRESTS: 1}, by=None
    )
    text = " ".join(summaries.what_we_did(operation_figures(world.week)))
    assert "made 1 arrest." in text
    assert "vehicle" not in text  # now zero
    activity_results_record(
        activity=world.enforcement, organisation=world.police, counts={}, by=None
    )
    text = " ".join(summaries.what_we_did(operation_figures(world.week)))
    assert "arrest" not in text
    assert "Officers" not in text
    assert "spoke to 65 people" in text


def test_singular_and_plural() -> None:
    assert summaries.clause(PEOPLE, 1) == "spoke to 1 person"
    assert summaries.clause(PEOPLE, 2) == "spoke to 2 people"
    assert summaries.clause(Measure.STOP_SEARCHES, 1) == "carried out 1 stop and search"
    assert summaries.clause(VISITS, 1412) == "visited 1,412 homes"
    assert summaries.clause(LITTER, 1) == "collected 1 bag of litter"


def test_nothing_recorded_means_no_text_and_no_posts(world: OperationsWorld) -> None:
    figures = operation_figures(world.week)
    assert summaries.what_we_did(figures) == []
    assert summaries.social_posts(figures) == []


def test_the_posts_are_made_from_the_figures(world: OperationsWorld) -> None:
    _record(world)
    posts = summaries.social_posts(operation_figures(world.week))
    assert posts[0] == (
        "During Longton community action week, Staffordshire Police and Stoke-on-Trent City "
        "Council spoke to 65 people and collected 12 bags of litter."
    )
    assert (
        "During Longton community action week, officers made 3 arrests and seized 1 vehicle."
        in (posts)
    )
    assert (
        "Thank you to Stoke-on-Trent City Council, who spoke to 25 people and collected 12 bags "
        "of litter during Longton community action week." in posts
    )
    assert all(len(post) <= summaries.POST_LIMIT for post in posts)


def _long_figures(name_length: int) -> OperationFigures:
    measures = list(summaries.CLAUSES)
    counts = {m: 1_000_000 - i for i, m in enumerate(measures)}
    partners = [
        PartnerFigures(
            organisation_id=i,
            name=f"{'Very Long Borough Council of Somewhere ' * 8}"[:name_length] + str(i),
            lead=i == 0,
            counts=counts,
            cells=list(counts.values()),
        )
        for i in range(4)
    ]
    return OperationFigures(
        name="Operation " + "Longton and Meir Hay community action week " * 5,
        first_day=date(2026, 3, 2),
        last_day=date(2026, 4, 2),
        measures=[(m, Measure(m).label) for m in measures],
        partners=partners,
        totals={m: 4 * c for m, c in counts.items()},
        total_cells=[4 * c for c in counts.values()],
        includes_restricted=True,
    )


@pytest.mark.parametrize("name_length", [10, 60, 200])
def test_every_post_fits_in_280_characters_even_with_long_names(name_length: int) -> None:
    posts = summaries.social_posts(_long_figures(name_length))
    assert len(posts) == 3 + 3  # headline, referrals, enforcement, a thank-you per partner
    for post in posts:
        assert 0 < len(post) <= summaries.POST_LIMIT, post


def test_staff_posts_and_summary_leave_out_enforcement_until_the_end(
    world: OperationsWorld,
) -> None:
    _record(world)
    assert world.enforcement in publishable_activities(world.week)  # ended in March
    _not_ended(world.week)
    assert world.enforcement not in publishable_activities(world.week)
    page = _client("sergeant").get(reverse("operations:posts", args=[world.week.pk]))
    text = page.content.decode()
    assert "spoke to 65 people" in text
    assert "arrest" not in text
    assert "characters" in text


# --- the printable summary -------------------------------------------------------------------


def test_the_summary_is_a_pdf_of_one_page(world: OperationsWorld) -> None:
    _record(world)
    _log_doors(world)
    response = _client("sergeant").get(reverse("operations:summary-pdf", args=[world.week.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    figures = operation_figures(world.week)
    context = {
        "operation": world.week,
        "figures": figures,
        "paragraphs": summaries.what_we_did(figures),
    }
    assert len(summary_document(context).pages) == 1


def test_the_summary_stays_on_one_page_with_long_names(world: OperationsWorld) -> None:
    figures = _long_figures(200)
    context = {
        "operation": world.week,
        "figures": figures,
        "paragraphs": summaries.what_we_did(figures) * 4,
    }
    assert len(summary_document(context).pages) == 1


# --- the public "what we did" ----------------------------------------------------------------


def test_the_public_page_shows_what_we_did_once_ended_without_the_restricted_activity(
    world: OperationsWorld,
) -> None:
    _record(world)
    page = Client().get(reverse("operations:public", args=[world.week.pk]))
    text = page.content.decode()
    assert "What we did" in text
    assert "Officers made 3 arrests and seized 1 vehicle." in text  # a total, nothing more
    assert "spoke to 65 people" in text
    for secret in (world.enforcement.title, "Nightjar", "Hidden Close", "ST3 1AD", "05:00"):
        assert secret not in text


def test_the_public_page_shows_no_figures_before_the_end(world: OperationsWorld) -> None:
    _record(world)
    _not_ended(world.week)
    text = Client().get(reverse("operations:public", args=[world.week.pk])).content.decode()
    assert "What we did" not in text
    assert "spoke to" not in text
    assert "arrest" not in text


def test_public_results_waits_for_the_end_and_for_publication(world: OperationsWorld) -> None:
    _record(world)
    last = world.week.last_day
    assert selectors.public_results(world.week, today=last) is None  # its last day: not yet
    after = selectors.public_results(world.week, today=date.fromordinal(last.toordinal() + 1))
    assert after is not None
    assert after.totals[ARRESTS] == 3
    world.week.public = False
    assert selectors.public_results(world.week, today=date(2099, 1, 1)) is None


# --- the pages and who may use them ----------------------------------------------------------


def _results_url(activity: Activity) -> str:
    return reverse("operations:activity-results", args=[activity.pk])


def test_the_sergeant_records_results_through_the_form(world: OperationsWorld) -> None:
    client = _client("sergeant")
    assert client.get(_results_url(world.enforcement)).status_code == 200
    response = client.post(_results_url(world.enforcement), {"arrests": "4", "warnings": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("operations:results", args=[world.week.pk])
    row = ActivityResult.objects.get()
    assert (row.organisation, row.measure, row.count) == (world.police, ARRESTS, 4)
    page = client.get(reverse("operations:results", args=[world.week.pk]))
    assert "Made 4 arrests" in page.content.decode()


def test_negatives_and_words_get_an_error_summary_and_change_nothing(
    world: OperationsWorld,
) -> None:
    _record(world)
    before = _snapshot()
    response = _client("sergeant").post(
        _results_url(world.mobile_station), {"people_engaged": "-2", "litter_bags": "lots"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert "People engaged cannot be negative" in text
    assert "Bags of litter collected must be a whole number, like 3" in text
    assert 'href="#id_people_engaged"' in text
    assert _snapshot() == before


def test_a_partner_records_for_their_own_organisation_only(world: OperationsWorld) -> None:
    client = _client("coordinator")
    response = client.post(
        _results_url(world.mobile_station), {"organisation": world.police.pk, "litter_bags": "9"}
    )
    assert response.status_code == 302
    row = ActivityResult.objects.get()
    assert (row.organisation, row.measure, row.count) == (world.council, LITTER, 9)


def test_an_analyst_may_look_but_not_record(world: OperationsWorld) -> None:
    _record(world)
    before = _snapshot()
    client = _client("analyst")
    assert client.get(_results_url(world.mobile_station)).status_code == 403
    assert client.post(_results_url(world.mobile_station), {"people_engaged": "1"}).status_code == (
        403
    )
    assert _snapshot() == before
    for name in ("operations:results", "operations:posts", "operations:summary-pdf"):
        assert client.get(reverse(name, args=[world.week.pk])).status_code == 200


def test_a_partner_not_assigned_gets_forbidden_and_restricted_ones_are_not_found(
    world: OperationsWorld,
) -> None:
    before = _snapshot()
    fire = _client("fire")
    assert fire.post(_results_url(world.mobile_station), {"people_engaged": "1"}).status_code == 403
    council = _client("coordinator")
    assert council.get(_results_url(world.enforcement)).status_code == 404
    assert council.post(_results_url(world.enforcement), {"arrests": "1"}).status_code == 404
    assert _snapshot() == before


def test_a_partner_does_not_see_restricted_figures_before_the_end(world: OperationsWorld) -> None:
    _record(world)
    _not_ended(world.week)
    url = reverse("operations:results", args=[world.week.pk])
    council = _client("coordinator").get(url).content.decode()
    assert "Arrests" not in council
    assert world.enforcement.title not in council
    sergeant = _client("sergeant").get(url).content.decode()
    assert "Arrests" in sergeant
    assert world.enforcement.title in sergeant


def test_another_force_gets_not_found_everywhere(world: OperationsWorld) -> None:
    _record(world)
    before = _snapshot()
    client = _client("cheshire")
    for name in ("operations:results", "operations:posts", "operations:summary-pdf"):
        assert client.get(reverse(name, args=[world.week.pk])).status_code == 404
    assert client.get(_results_url(world.mobile_station)).status_code == 404
    assert client.post(_results_url(world.mobile_station), {"people_engaged": "1"}).status_code == (
        404
    )
    assert _snapshot() == before


def test_signed_out_visitors_are_sent_to_sign_in(world: OperationsWorld) -> None:
    response = Client().get(reverse("operations:results", args=[world.week.pk]))
    assert response.status_code == 302
    assert _snapshot() == []


def test_the_detail_page_links_to_the_results(world: OperationsWorld) -> None:
    text = _client("sergeant").get(reverse("operations:detail", args=[world.week.pk]))
    for name in ("operations:results", "operations:posts", "operations:summary-pdf"):
        assert reverse(name, args=[world.week.pk]) in text.content.decode()
