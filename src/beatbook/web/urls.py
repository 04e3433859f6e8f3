from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from beatbook.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        views.SignInView.as_view(),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("staff/", views.staff, name="staff"),
    path(
        "staff/forces/<slug:force_id>/neighbourhoods/",
        views.staff_neighbourhoods,
        name="staff-neighbourhoods",
    ),
]
