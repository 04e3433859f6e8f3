from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate

# The skills every force starts with (issue 15); staff add their own in the admin.
SKILLS: tuple[tuple[str, str], ...] = (
    ("drugs", "Drugs"),
    ("public-order", "Public order"),
    ("anpr", "ANPR"),
    ("driver", "Response driver"),
    ("plain-clothes", "Plain clothes"),
    ("search", "Search trained"),
)


def reference_skills_ensure(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Put back any of the shared skills missing after ``migrate`` or ``flush`` (as
    ``operations.apps.reference_rows_ensure`` does for its kinds)."""
    from django.db import connections

    from beatbook.tasking.models import Skill

    if Skill._meta.db_table not in connections[using].introspection.table_names():
        return
    skills = Skill.objects.using(using)
    for order, (slug, name) in enumerate(SKILLS, start=1):
        skills.get_or_create(slug=slug, defaults={"name": name, "order": order * 10})


class TaskingConfig(AppConfig):
    name = "beatbook.tasking"
    label = "tasking"
    verbose_name = "Tasking and patrol plans"

    def ready(self) -> None:
        post_migrate.connect(
            reference_skills_ensure, sender=self, dispatch_uid="tasking.reference_skills_ensure"
        )
