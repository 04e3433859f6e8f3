"""The app's code moved from ``beatbook.analytics`` to ``beatbook.insights`` (ADR 17).

Tasks waiting in the queue name the function to run by its dotted path; a task queued before
the move would point at a module that no longer exists. Their paths move with the code.
"""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Substr

OLD = "beatbook.analytics."
NEW = "beatbook.insights."


def _move(apps, old: str, new: str) -> None:
    task_result = apps.get_model("django_tasks_database", "DBTaskResult")
    task_result.objects.filter(task_path__startswith=old).update(
        task_path=Concat(Value(new), Substr("task_path", len(old) + 1))
    )


def queued_tasks_move(apps, schema_editor):
    _move(apps, OLD, NEW)


def queued_tasks_move_back(apps, schema_editor):
    _move(apps, NEW, OLD)


class Migration(migrations.Migration):

    dependencies = [
        ("analytics", "0003_analysisresult"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(queued_tasks_move, queued_tasks_move_back)]
