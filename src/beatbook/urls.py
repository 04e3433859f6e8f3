from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Beatbook administration"
admin.site.site_title = "Beatbook"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("beatbook.policeapi.urls")),
    path("", include("beatbook.residents.urls")),
    path("", include("beatbook.enquiries.urls")),
    path("", include("beatbook.workspace.urls")),
    path("", include("beatbook.analytics.urls")),
    path("", include("beatbook.web.urls")),
]
