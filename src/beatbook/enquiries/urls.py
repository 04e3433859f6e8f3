from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from beatbook.enquiries import staff_views, views

app_name = "enquiries"

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "neighbourhoods/<slug:force_id>/<str:neighbourhood_id>/ask/",
        views.ask,
        name="ask",
    ),
    path("questions/", views.find, name="find"),
    path("questions/<str:reference>/", views.status, name="status"),
    path("questions/<str:reference>/sent/", views.sent, name="sent"),
    path("staff/questions/", staff_views.staff_list, name="staff-list"),
    path("staff/questions/<str:reference>/", staff_views.staff_detail, name="staff-detail"),
    path(
        "staff/questions/<str:reference>/publish/",
        staff_views.staff_publish,
        name="staff-publish",
    ),
    path(
        "staff/questions/<str:reference>/unpublish/",
        staff_views.staff_unpublish,
        name="staff-unpublish",
    ),
    path("staff/questions/<str:reference>/close/", staff_views.staff_close, name="staff-close"),
    path("staff/outbox/", staff_views.outbox, name="outbox"),
]
