"""``SourceFile`` moves here from ``opendata`` (ADR 17): its table and rows stay where they are.

Only Django's record of the model moves; the database is not touched. On a database made
before the move, the content type (and so admin permissions and history) moves with it.
"""

import django.db.models.deletion
from django.db import migrations, models


def content_type_move(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    if content_type.objects.filter(app_label="records", model="sourcefile").exists():
        return
    content_type.objects.filter(app_label="opendata", model="sourcefile").update(
        app_label="records"
    )


def content_type_move_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    if content_type.objects.filter(app_label="opendata", model="sourcefile").exists():
        return
    content_type.objects.filter(app_label="records", model="sourcefile").update(
        app_label="opendata"
    )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("places", "0001_initial"),
        ("opendata", "0002_crime_indexes_for_monthly_loads"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SourceFile",
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('street', 'Street-level crime'), ('outcomes', 'Outcomes'), ('stop-and-search', 'Stop and search'), ('lsoa-boundaries', 'LSOA boundaries'), ('lsoa-population', 'LSOA population'), ('lsoa-forces', 'LSOA to force lookup'), ('neighbourhoods', 'Neighbourhood boundaries'), ('neighbourhood-build', 'Neighbourhoods built from LSOAs'), ('postcodes', 'Postcodes (Code-Point Open)')], max_length=30)),
                        ('path', models.CharField(help_text='The file given to the import.', max_length=500)),
                        ('member', models.CharField(blank=True, help_text='The file inside a zip, if any.', max_length=300)),
                        ('sha256', models.CharField(max_length=64)),
                        ('month', models.CharField(blank=True, help_text='YYYY-MM, for monthly police.uk files.', max_length=7)),
                        ('status', models.CharField(choices=[('loaded', 'Loaded'), ('replaced', 'Replaced by a later load'), ('unchanged', 'Skipped: already loaded'), ('failed', 'Failed: nothing loaded')], max_length=12)),
                        ('rows_read', models.PositiveIntegerField(default=0)),
                        ('rows_loaded', models.PositiveIntegerField(default=0)),
                        ('rows_rejected', models.PositiveIntegerField(default=0)),
                        ('rows_without_location', models.PositiveIntegerField(default=0)),
                        ('outcomes_changed', models.PositiveIntegerField(blank=True, null=True)),
                        ('rows_replaced', models.PositiveIntegerField(default=0)),
                        ('rejections', models.JSONField(blank=True, default=list, help_text='Up to 100 {line, reason} samples.')),
                        ('rejection_counts', models.JSONField(blank=True, default=dict, help_text='Rows rejected, by reason.')),
                        ('message', models.TextField(blank=True)),
                        ('started_at', models.DateTimeField()),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('force', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='places.force')),
                    ],
                    options={
                        "db_table": "opendata_sourcefile",
                        "ordering": ["-started_at", "-id"],
                        "indexes": [
                            models.Index(
                                fields=["kind", "force", "month", "status"],
                                name="source_kind_force_month",
                            ),
                            models.Index(fields=["sha256"], name="source_sha256"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_move, content_type_move_back),
    ]
