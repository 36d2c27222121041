"""Every write that changes what the catalogue search shows — through a service, the admin or a shell —
changes the search revision, in the same transaction."""

from __future__ import annotations

import uuid

from django.db.models.signals import post_delete, post_save


def bump_search_revision(**kwargs) -> None:
    from motcua.catalog.models import SearchRevision

    token = uuid.uuid4().hex
    if not SearchRevision.objects.filter(pk=1).update(token=token):
        SearchRevision.objects.update_or_create(pk=1, defaults={"token": token})


def connect() -> None:
    from motcua.catalog.models import Field, LegalBasis, Procedure, ProcedureVersion, RequiredDocument
    from motcua.org.models import Agency

    for model in (Procedure, ProcedureVersion, RequiredDocument, LegalBasis, Field, Agency):
        post_save.connect(bump_search_revision, sender=model, dispatch_uid=f"catalog-search-{model.__name__}")
        post_delete.connect(bump_search_revision, sender=model, dispatch_uid=f"catalog-search-del-{model.__name__}")
