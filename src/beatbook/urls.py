from __future__ import annotations

from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

admin.site.site_header = "Beatbook administration"
admin.site.site_title = "Beatbook"

urlpatterns = [
    # Import records moved from the open-data app to their own (ADR 17); old links still work.
    re_path(
        r"^admin/opendata/sourcefile/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/records/sourcefile/%(rest)s", query_string=True),
        name="admin-sourcefile-moved",
    ),
    # Page assets that moved with their app (ADR 17): a page cached before still finds them.
    re_path(
        r"^static/web/(?P<rest>beatbook\.css|beatbook\.js|favicon\.svg)$",
        RedirectView.as_view(url="/static/ui/%(rest)s", permanent=True),
    ),
    path(
        "static/workspace/workspace.css",
        RedirectView.as_view(url="/static/teams/teams.css", permanent=True),
    ),
    path("admin/", admin.site.urls),
    path("", include("beatbook.policeapi.urls")),
    path("", include("beatbook.residents.urls")),
    path("", include("beatbook.enquiries.urls")),
    path("", include("beatbook.teams.urls")),
    path("", include("beatbook.operations.urls")),
    path("", include("beatbook.workspace.urls")),
    path("", include("beatbook.insights.urls")),
    path("", include("beatbook.tasking.urls")),
    path("", include("beatbook.surveys.urls")),
    path("", include("beatbook.partnerships.urls")),
    path("", include("beatbook.site.urls")),
]
