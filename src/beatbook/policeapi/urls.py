from __future__ import annotations

from django.urls import path

from beatbook.policeapi import views
from beatbook.policeapi.api import api

urlpatterns = [
    path("api/", views.api_index, name="api-index"),
    path("api/", api.urls),
    # postcodes.io's path, for ukpol-cli and other clients that geocode a postcode first.
    path("postcodes/<str:postcode>", views.postcode, name="postcode-lookup"),
]
