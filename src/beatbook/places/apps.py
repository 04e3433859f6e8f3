from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def forces_ensure(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Put back any police.uk force missing after ``migrate`` or ``flush``.

    A data migration loads the forces once, but ``flush`` (and every committed test, which ends
    with one) empties the table without running migrations again; like content types, the forces
    are reference data every other table assumes, so they come back whenever post_migrate fires.
    """
    from beatbook.places.forces import FORCES
    from beatbook.places.models import Force

    held = set(Force.objects.using(using).values_list("id", flat=True))
    missing = [entry for entry in FORCES if entry.id not in held]
    Force.objects.using(using).bulk_create(
        Force(
            id=entry.id,
            name=entry.name,
            url=entry.url,
            telephone=entry.telephone,
            aliases=list(entry.aliases),
            listed=entry.listed,
        )
        for entry in missing
    )


class PlacesConfig(AppConfig):
    name = "beatbook.places"
    label = "places"
    verbose_name = "Places"

    def ready(self) -> None:
        post_migrate.connect(forces_ensure, sender=self, dispatch_uid="places.forces_ensure")
