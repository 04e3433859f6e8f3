"""``RateBucket`` moves here from ``policeapi`` (ADR 17): its table and rows stay where they are.

Only Django's record of the model moves; the database is not touched (the table keeps its name,
``policeapi_ratebucket``, and on PostgreSQL stays UNLOGGED). On a database made before the move,
the content type moves with it.
"""

from django.db import migrations, models


def content_type_move(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    if content_type.objects.filter(app_label="core", model="ratebucket").exists():
        return
    content_type.objects.filter(app_label="policeapi", model="ratebucket").update(
        app_label="core"
    )


def content_type_move_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    if content_type.objects.filter(app_label="policeapi", model="ratebucket").exists():
        return
    content_type.objects.filter(app_label="core", model="ratebucket").update(
        app_label="policeapi"
    )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("policeapi", "0002_rate_buckets_empty_at_unlogged"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RateBucket",
                    fields=[
                        ("key", models.CharField(max_length=80, primary_key=True, serialize=False)),
                        ("level", models.FloatField(default=0.0)),
                        ("updated", models.FloatField(default=0.0)),
                        ("allowed", models.BooleanField(default=True, help_text="Whether the last request was let through.")),
                        ("empty_at", models.FloatField(default=0.0, help_text="When the bucket will have drained empty (seconds since the epoch).")),
                    ],
                    options={
                        "db_table": "policeapi_ratebucket",
                        "indexes": [models.Index(fields=["empty_at"], name="rate_bucket_empty_at")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_move, content_type_move_back),
    ]
