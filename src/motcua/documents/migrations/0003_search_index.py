"""The full-text index of documents (``documents.search``): an FTS5 table on SQLite, a tsvector table with a GIN
index on PostgreSQL. Not a model: each database gets its own kind of table, filled from the documents that exist
(``motcua reindex_documents`` does the same later)."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE documents_search USING fts5("
    "title, sender, body, tags, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3 4 5 6')",
]
POSTGRESQL = [
    "CREATE TABLE documents_search (document_id bigint PRIMARY KEY, agency_id integer NOT NULL, "
    "tsv tsvector NOT NULL)",
    "CREATE INDEX documents_search_tsv ON documents_search USING gin (tsv)",
    "CREATE INDEX documents_search_agency ON documents_search (agency_id, document_id)",  # newest first per agency
]


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise RuntimeError(f"the document search index supports SQLite and PostgreSQL, not {vendor}")
    for sql in SQLITE if vendor == "sqlite" else POSTGRESQL:
        schema_editor.execute(sql)


def drop_index(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS documents_search")


def fill_index(apps, schema_editor):
    """Documents registered before the index existed. Uses the historical model's values only; the rule that
    turns them into an entry is ``search.entry`` (pure)."""
    from motcua.documents import search

    Document = apps.get_model("documents", "Document")
    DocumentFile = apps.get_model("documents", "DocumentFile")
    connection = schema_editor.connection
    last = 0
    while True:
        rows = list(Document.objects.using(connection.alias).filter(pk__gt=last).order_by("pk")
                    .values(*search.ENTRY_FIELDS)[:search.BATCH])
        if not rows:
            return
        texts: dict[int, list[str]] = {}
        for document_id, text in (DocumentFile.objects.using(connection.alias)
                                  .filter(document_id__gte=rows[0]["id"], document_id__lte=rows[-1]["id"])
                                  .exclude(text="").order_by("document_id", "uploaded_at", "id")
                                  .values_list("document_id", "text")):
            texts.setdefault(document_id, []).append(text)
        search.write_entries([search.entry(r, texts.get(r["id"], ())) for r in rows], using=connection)
        last = rows[-1]["id"]


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_document_types")]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
        migrations.RunPython(fill_index, migrations.RunPython.noop),
    ]
