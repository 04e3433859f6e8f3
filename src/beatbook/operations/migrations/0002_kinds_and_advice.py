"""The operation kinds of issue 14 and the door-to-door advice list every force starts with."""

from __future__ import annotations

from typing import Any

from django.db import migrations

KINDS = [
    ("day-of-action", "Day of action"),
    ("week-of-action", "Week of action"),
    ("community-action-week", "Community action week"),
    ("neighbourhood-policing-week", "Neighbourhood policing week"),
    ("enforcement-operation", "Enforcement operation"),
]

ADVICE = [
    ("county-lines", "County lines and cuckooing: the signs to look for"),
    ("arson-prevention", "Arson prevention"),
    ("kitchen-fire-safety", "Kitchen fire safety"),
    ("burglary-prevention", "Burglary prevention"),
    ("scams", "Scams and fraud"),
]


def add(apps: Any, schema_editor: Any) -> None:
    kind = apps.get_model("operations", "OperationKind")
    for order, (slug, name) in enumerate(KINDS, start=1):
        kind.objects.get_or_create(slug=slug, defaults={"name": name, "order": order * 10})
    topic = apps.get_model("operations", "AdviceTopic")
    for order, (slug, label) in enumerate(ADVICE, start=1):
        topic.objects.get_or_create(slug=slug, defaults={"label": label, "order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("operations", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
