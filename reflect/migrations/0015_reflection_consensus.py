"""Reflections hold a consensus choice.

On SQLite the added column rebuilds reflect_reflection, which drops the triggers that keep
the search index (0009) in step: they and the index are made again after it, as in 0011."""

from importlib import import_module

from django.db import migrations, models

# The same repair as 0011's, after the same rebuild.
search_index_again = import_module(
    "reflect.migrations.0011_cost_unknown_is_null"
).search_index_again


class Migration(migrations.Migration):
    dependencies = [
        ("reflect", "0014_inbox_failures"),
    ]

    operations = [
        # Backwards, the column is dropped before this runs: the index again after it.
        migrations.RunPython(migrations.RunPython.noop, search_index_again),
        migrations.AddField(
            model_name="reflection",
            name="consensus",
            field=models.BooleanField(
                default=False,
                help_text="Ask several independent answers and keep what they agree on "
                "(costs several times as much).",
                verbose_name="Consensus",
            ),
        ),
        migrations.RunPython(search_index_again, migrations.RunPython.noop),
    ]
