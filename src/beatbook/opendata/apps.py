from __future__ import annotations

from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "beatbook.opendata"
    label = "opendata"
    verbose_name = "Open data imports"

    def ready(self) -> None:
        from beatbook.opendata.ingest.neighbourhoods import neighbourhoods_redrawn_receive
        from beatbook.places.signals import neighbourhoods_redrawn

        neighbourhoods_redrawn.connect(
            neighbourhoods_redrawn_receive, dispatch_uid="opendata.crimes_assign_neighbourhoods"
        )
