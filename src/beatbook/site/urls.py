from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from beatbook.site import views
from beatbook.site.password_reset import ForgottenPasswordView, PasswordResetSentView

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        views.SignInView.as_view(),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # A forgotten password: Django's flow, with its e-mail sent through the outbox.
    path(
        "accounts/password-reset/",
        ForgottenPasswordView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        PasswordResetSentView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="site/password_reset/confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="site/password_reset/complete.html"
        ),
        name="password_reset_complete",
    ),
    path("staff/", views.staff, name="staff"),
    path(
        "staff/forces/<slug:force_id>/neighbourhoods/",
        views.staff_neighbourhoods,
        name="staff-neighbourhoods",
    ),
]
