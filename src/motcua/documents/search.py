"""Placeholder: the full-text index (owned by the search work)."""

from __future__ import annotations


def reindex(document_id: int) -> None:
    """Refresh one document's entry in the search index, in the caller's transaction."""
