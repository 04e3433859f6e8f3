from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate

# The kinds of operation every force has (issue 14), and the door-to-door advice list every
# force starts with; a force adds its own kinds, and staff add or retire advice, in the admin.
KINDS: tuple[tuple[str, str], ...] = (
    ("day-of-action", "Day of action"),
    ("week-of-action", "Week of action"),
    ("community-action-week", "Community action week"),
    ("neighbourhood-policing-week", "Neighbourhood policing week"),
    ("enforcement-operation", "Enforcement operation"),
)
ADVICE: tuple[tuple[str, str], ...] = (
    ("county-lines", "County lines and cuckooing: the signs to look for"),
    ("arson-prevention", "Arson prevention"),
    ("kitchen-fire-safety", "Kitchen fire safety"),
    ("burglary-prevention", "Burglary prevention"),
    ("scams", "Scams and fraud"),
)


def reference_rows_ensure(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Put back any of the shared kinds or advice missing after ``migrate`` or ``flush``: like
    the forces (``places.apps.forces_ensure``), they are reference data the pages assume, and
    ``flush`` empties them without running the migration that made them."""
    from django.db import connections

    from beatbook.operations.models import AdviceTopic, OperationKind

    # A test that migrates back to before this app's tables, then flushes, has none to fill.
    held = set(connections[using].introspection.table_names())
    if not {OperationKind._meta.db_table, AdviceTopic._meta.db_table} <= held:
        return
    kinds = OperationKind.objects.using(using)
    for order, (slug, name) in enumerate(KINDS, start=1):
        kinds.get_or_create(slug=slug, defaults={"name": name, "order": order * 10})
    topics = AdviceTopic.objects.using(using)
    for order, (slug, label) in enumerate(ADVICE, start=1):
        topics.get_or_create(slug=slug, defaults={"label": label, "order": order * 10})


class OperationsConfig(AppConfig):
    name = "beatbook.operations"
    label = "operations"
    verbose_name = "Operations and days of action"

    def ready(self) -> None:
        post_migrate.connect(
            reference_rows_ensure, sender=self, dispatch_uid="operations.reference_rows_ensure"
        )
