"""SQLite: the FTS5 table also indexes the owner, so a search intersects the owner's rows in
the index instead of ranking everyone's matches and joining them away (bench/load: a word
all 10,000 reflections contain cost 18 ms a query before). PostgreSQL is unchanged."""

from django.db import migrations

RESULT_TEXT = (
    "(SELECT group_concat(value, ' ') FROM json_tree(coalesce({row}.result, '{{}}')) "
    "WHERE type = 'text')"
)
ROW = "({row}.id, {row}.question, " + RESULT_TEXT + ", 'u' || {row}.owner_id)"
DROP = [
    "DROP TRIGGER IF EXISTS reflect_reflection_fts_insert",
    "DROP TRIGGER IF EXISTS reflect_reflection_fts_update",
    "DROP TRIGGER IF EXISTS reflect_reflection_fts_delete",
    "DROP TABLE IF EXISTS reflect_reflection_fts",
]
COLUMNS = "reflect_reflection_fts(rowid, question, body, owner)"
FORWARD = [
    *DROP,
    "CREATE VIRTUAL TABLE reflect_reflection_fts USING fts5("
    "question, body, owner, tokenize = 'porter unicode61 remove_diacritics 2')",
    f"INSERT INTO {COLUMNS} SELECT "
    + ROW.format(row="reflect_reflection")[1:-1]
    + " FROM reflect_reflection",
    "CREATE TRIGGER reflect_reflection_fts_insert AFTER INSERT ON reflect_reflection "
    f"BEGIN INSERT INTO {COLUMNS} VALUES {ROW.format(row='new')}; END",
    "CREATE TRIGGER reflect_reflection_fts_update AFTER UPDATE OF question, result, "
    "owner_id ON reflect_reflection BEGIN "
    "DELETE FROM reflect_reflection_fts WHERE rowid = old.id; "
    f"INSERT INTO {COLUMNS} VALUES {ROW.format(row='new')}; END",
    "CREATE TRIGGER reflect_reflection_fts_delete AFTER DELETE ON reflect_reflection "
    "BEGIN DELETE FROM reflect_reflection_fts WHERE rowid = old.id; END",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from importlib import import_module

        earlier = import_module("reflect.migrations.0008_search_index")
        for statement in DROP + earlier.SQLITE_FORWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("reflect", "0008_search_index")]

    operations = [migrations.RunPython(forward, backward)]
