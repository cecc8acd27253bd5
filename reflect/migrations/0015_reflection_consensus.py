"""Reflections hold a consensus choice.

On SQLite the added column rebuilds reflect_reflection, which drops the triggers that keep
the search index (0009) in step: they and the index are made again after it, as in 0011."""

from importlib import import_module

from django.db import migrations, models


def search_index_again(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        search_index = import_module("reflect.migrations.0009_search_index_by_owner")
        for statement in search_index.FORWARD:
            schema_editor.execute(statement)


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
