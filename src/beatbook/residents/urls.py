from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from beatbook.residents import views

app_name = "residents"

_PAGE = "neighbourhoods/<slug:force_id>/<str:neighbourhood_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("neighbourhoods/", views.find_neighbourhood, name="find"),
    path("neighbourhoods/locate", views.locate, name="locate"),
    path("neighbourhoods/boundaries.geojson", views.boundaries, name="boundaries"),
    path(_PAGE, views.neighbourhood_page, name="neighbourhood"),
    path(_PAGE + "crime-chart.svg", views.crime_chart, name="crime-chart"),
    path(_PAGE + "crime-locations.geojson", views.crime_places, name="crime-places"),
    path(_PAGE + "events.ics", views.calendar_feed, name="calendar"),
    path(_PAGE + "events/<int:event_id>.ics", views.event_calendar, name="event-calendar"),
    path(
        _PAGE + "activities/<int:activity_id>.ics",
        views.activity_calendar,
        name="activity-calendar",
    ),
]
