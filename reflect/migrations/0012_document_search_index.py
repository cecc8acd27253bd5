"""The full-text index behind reflect/document_filters.py: document titles and text.

SQLite: an FTS5 table over reflect_document's own columns (external content, so the text is
not stored twice), kept in step by triggers; the owner is a column of the index, as in 0009.
PostgreSQL: a stored generated tsvector over the title (weight A) and the text (weight B)
with a GIN index. A tsvector holds at most 1 MB of words and to_tsvector raises past that,
which would refuse the UPDATE that records an extraction: only the first 200,000 characters
of the text are indexed there (4 bytes a character at most: under the limit whatever they
are; about four hours of transcript).
"""

from django.db import migrations

FTS = "reflect_document_fts"
COLUMNS = f"{FTS}(rowid, title, text, owner_id)"
NEW = "(new.id, new.title, new.text, new.owner_id)"
OLD = "('delete', old.id, old.title, old.text, old.owner_id)"
SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(title, text, owner_id, "
    "content = 'reflect_document', content_rowid = 'id', "
    "tokenize = 'porter unicode61 remove_diacritics 2')",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
    f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON reflect_document "
    f"BEGIN INSERT INTO {COLUMNS} VALUES {NEW}; END",
    # Only when an indexed column is written: a status change does not re-read the text.
    f"CREATE TRIGGER {FTS}_update AFTER UPDATE OF title, text, owner_id "
    f"ON reflect_document BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, title, text, owner_id) VALUES {OLD}; "
    f"INSERT INTO {COLUMNS} VALUES {NEW}; END",
    f"CREATE TRIGGER {FTS}_delete AFTER DELETE ON reflect_document "
    f"BEGIN INSERT INTO {FTS}({FTS}, rowid, title, text, owner_id) VALUES {OLD}; END",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {FTS}_insert",
    f"DROP TRIGGER IF EXISTS {FTS}_update",
    f"DROP TRIGGER IF EXISTS {FTS}_delete",
    f"DROP TABLE IF EXISTS {FTS}",
]
POSTGRES_FORWARD = [
    "ALTER TABLE reflect_document ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, left(coalesce(text, ''), 200000)), 'B')"
    ") STORED",
    "CREATE INDEX reflect_document_search ON reflect_document USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS reflect_document_search",
    "ALTER TABLE reflect_document DROP COLUMN IF EXISTS search_vector",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("reflect", "0011_cost_unknown_is_null")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
