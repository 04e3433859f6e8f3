"""``RateBucket`` now belongs to ``core`` (its migration 0001): forget it here, table kept."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("policeapi", "0002_rate_buckets_empty_at_unlogged"),
        ("core", "0001_rate_bucket_moved_here"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RateBucket")],
            database_operations=[],
        ),
    ]
