"""The full-text index behind reflect/search.py, per database.

PostgreSQL: a stored generated tsvector over the question (weight A) and every string in the
result (summary, findings: weight B), with a GIN index. SQLite: an FTS5 table with the same two
columns, filled from the existing rows and kept in step by triggers, so every write path
(workers, admin, bulk updates through the ORM) updates it without code of its own.
"""

from django.db import migrations

RESULT_TEXT = (
    "(SELECT group_concat(value, ' ') FROM json_tree(coalesce({row}.result, '{{}}')) "
    "WHERE type = 'text')"
)
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE reflect_reflection_fts USING fts5("
    "question, body, tokenize = 'porter unicode61 remove_diacritics 2')",
    "INSERT INTO reflect_reflection_fts(rowid, question, body) "
    f"SELECT id, question, {RESULT_TEXT.format(row='reflect_reflection')} "
    "FROM reflect_reflection",
    "CREATE TRIGGER reflect_reflection_fts_insert AFTER INSERT ON reflect_reflection BEGIN "
    "INSERT INTO reflect_reflection_fts(rowid, question, body) "
    f"VALUES (new.id, new.question, {RESULT_TEXT.format(row='new')}); END",
    "CREATE TRIGGER reflect_reflection_fts_update AFTER UPDATE OF question, result "
    "ON reflect_reflection BEGIN "
    "DELETE FROM reflect_reflection_fts WHERE rowid = old.id; "
    "INSERT INTO reflect_reflection_fts(rowid, question, body) "
    f"VALUES (new.id, new.question, {RESULT_TEXT.format(row='new')}); END",
    "CREATE TRIGGER reflect_reflection_fts_delete AFTER DELETE ON reflect_reflection BEGIN "
    "DELETE FROM reflect_reflection_fts WHERE rowid = old.id; END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS reflect_reflection_fts_insert",
    "DROP TRIGGER IF EXISTS reflect_reflection_fts_update",
    "DROP TRIGGER IF EXISTS reflect_reflection_fts_delete",
    "DROP TABLE IF EXISTS reflect_reflection_fts",
]
POSTGRES_FORWARD = [
    "ALTER TABLE reflect_reflection ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english'::regconfig, coalesce(question, '')), 'A') || "
    "setweight(jsonb_to_tsvector('english'::regconfig, coalesce(result, '{}'::jsonb), "
    "'[\"string\"]'), 'B')) STORED",
    "CREATE INDEX reflect_reflection_search ON reflect_reflection USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS reflect_reflection_search",
    "ALTER TABLE reflect_reflection DROP COLUMN IF EXISTS search_vector",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("reflect", "0007_effort_and_status_choices")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
