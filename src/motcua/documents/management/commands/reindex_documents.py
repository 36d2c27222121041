"""``motcua reindex_documents``: rewrite the full-text index of official documents from the documents table.

For a deployment restored from a backup, documents loaded in bulk (the bench), or a change of the indexing
rule; day to day every change reindexes its document in its own transaction.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from motcua.documents import search


class Command(BaseCommand):
    help = "Lập lại chỉ mục tìm kiếm toàn văn của văn bản đến, văn bản đi."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        verbose = options["verbosity"] > 1

        def progress(count: int) -> None:
            if verbose:
                self.stdout.write(_("  %(count)s văn bản…") % {"count": f"{count:,}"})

        count = search.rebuild(progress=progress)
        self.stdout.write(self.style.SUCCESS(_("Đã lập chỉ mục %(count)s văn bản trong %(seconds)s giây.") % {
            "count": f"{count:,}", "seconds": f"{time.perf_counter() - started:.1f}"}))
