from decimal import Decimal

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


class Migration(migrations.Migration):
    dependencies = [
        ("reflect", "0010_background_and_flex"),
    ]

    operations = [
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
        migrations.RunPython(unpriced_runs_cost_unknown, migrations.RunPython.noop),
    ]
