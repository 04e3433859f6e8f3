"""``SourceFile`` moves to ``records`` (ADR 17): Django's record only, the table stays."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("opendata", "0002_crime_indexes_for_monthly_loads"),
        ("records", "0001_source_file_moved_here"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="crime",
                    name="source",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="records.sourcefile",
                    ),
                ),
                migrations.AlterField(
                    model_name="outcome",
                    name="source",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="records.sourcefile",
                    ),
                ),
                migrations.AlterField(
                    model_name="stopandsearch",
                    name="source",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="records.sourcefile",
                    ),
                ),
                migrations.DeleteModel(name="SourceFile"),
            ],
            database_operations=[],
        ),
    ]
