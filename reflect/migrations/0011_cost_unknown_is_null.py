"""cost_usd may be None: unknown, a model the run called has no known price.

SQLite alters the column by rebuilding reflect_reflection, which drops the triggers that
keep the search index (0009) in step: they and the index are made again after it."""

from decimal import Decimal
from importlib import import_module

from django.db import migrations, models


def unpriced_runs_cost_unknown(apps, schema_editor):
    """Runs that called a model without a price were saved as $0: they are unknown."""
    Reflection = apps.get_model("reflect", "Reflection")
    unknown = [
        pk
        for pk, manifest in Reflection.objects.filter(
            manifest__has_key="unpriced_models"
        ).values_list("pk", "manifest")
        if manifest.get("unpriced_models")
    ]
    Reflection.objects.filter(pk__in=unknown).update(cost_usd=None)


def search_index_again(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        search_index = import_module("reflect.migrations.0009_search_index_by_owner")
        for statement in search_index.FORWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("reflect", "0010_background_and_flex"),
    ]

    operations = [
        # Backwards, the column is altered back before this runs: the index again after it.
        migrations.RunPython(migrations.RunPython.noop, search_index_again),
        migrations.AlterField(
            model_name="reflection",
            name="cost_usd",
            field=models.DecimalField(
                blank=True,
                decimal_places=6,
                default=Decimal("0"),
                max_digits=12,
                null=True,
            ),
        ),
        migrations.RunPython(search_index_again, migrations.RunPython.noop),
        migrations.RunPython(unpriced_runs_cost_unknown, migrations.RunPython.noop),
    ]
