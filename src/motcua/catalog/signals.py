"""Every write that changes what the catalogue search shows — through a service, the admin or a shell —
changes the search revision, in the same transaction."""

from __future__ import annotations

import uuid

from django.db.models.signals import m2m_changed, post_delete, post_save


def bump_search_revision(**kwargs) -> None:
    from motcua.catalog.models import SearchRevision

    token = uuid.uuid4().hex
    if not SearchRevision.objects.filter(pk=1).update(token=token):
        SearchRevision.objects.update_or_create(pk=1, defaults={"token": token})


def bump_on_m2m(*, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        bump_search_revision()


def connect() -> None:
    from motcua.catalog.models import Field, LegalBasis, Procedure, ProcedureVersion, RequiredDocument
    from motcua.org.models import Agency

    for model in (Procedure, ProcedureVersion, RequiredDocument, LegalBasis, Field, Agency):
        post_save.connect(bump_search_revision, sender=model, dispatch_uid=f"catalog-search-{model.__name__}")
        post_delete.connect(bump_search_revision, sender=model, dispatch_uid=f"catalog-search-del-{model.__name__}")
    # The search filters by resolving agency: a procedure given to more (or fewer) agencies changes it too.
    m2m_changed.connect(bump_on_m2m, sender=Procedure.resolving_agencies.through,
                        dispatch_uid="catalog-search-resolvers")
