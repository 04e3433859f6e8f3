"""The team's staff pages. Their paths stay under ``staff/workspace/``, where they were made
(ADR 11): the URL names moved from ``workspace:`` to ``teams:`` with the pages (ADR 17)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from beatbook.teams import views

app_name = "teams"

urlpatterns: list[URLPattern | URLResolver] = [
    path("staff/workspace/neighbourhoods/<int:pk>/team/", views.team, name="team"),
    path(
        "staff/workspace/neighbourhoods/<int:pk>/team/contact/",
        views.team_contact_edit,
        name="team-contact",
    ),
    path(
        "staff/workspace/neighbourhoods/<int:pk>/team/add/",
        views.team_member_add,
        name="team-member-add",
    ),
    path("staff/workspace/team/<int:pk>/", views.team_member_edit, name="team-member-edit"),
    path(
        "staff/workspace/team/<int:pk>/delete/",
        views.team_member_delete,
        name="team-member-delete",
    ),
    path(
        "staff/workspace/neighbourhoods/<int:pk>/priorities/",
        views.priorities,
        name="priorities",
    ),
    path(
        "staff/workspace/neighbourhoods/<int:pk>/priorities/add/",
        views.priority_add,
        name="priority-add",
    ),
    path("staff/workspace/priorities/<int:pk>/", views.priority_edit, name="priority-edit"),
    path(
        "staff/workspace/priorities/<int:pk>/review/",
        views.priority_review,
        name="priority-review",
    ),
    path(
        "staff/workspace/priorities/<int:pk>/delete/",
        views.priority_delete,
        name="priority-delete",
    ),
    path("staff/workspace/neighbourhoods/<int:pk>/events/", views.events, name="events"),
    path(
        "staff/workspace/neighbourhoods/<int:pk>/events/add/",
        views.event_add,
        name="event-add",
    ),
    path("staff/workspace/events/<int:pk>/", views.event_edit, name="event-edit"),
    path("staff/workspace/events/<int:pk>/delete/", views.event_delete, name="event-delete"),
]
