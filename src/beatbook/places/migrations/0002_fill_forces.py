from __future__ import annotations

from typing import Any

from django.db import migrations


def fill_forces(apps: Any, schema_editor: Any) -> None:
    from beatbook.places.forces import FORCES

    force_model = apps.get_model("places", "Force")
    for entry in FORCES:
        force_model.objects.update_or_create(
            id=entry.id,
            defaults={
                "name": entry.name,
                "url": entry.url,
                "telephone": entry.telephone,
                "aliases": list(entry.aliases),
                "listed": entry.listed,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(fill_forces, migrations.RunPython.noop)]
