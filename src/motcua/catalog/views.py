"""Public catalogue pages: no login; search that ignores diacritics; the detail of a procedure."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from motcua.catalog import selectors
from motcua.catalog.models import Field, Procedure, RequiredDocument
from motcua.org.models import Agency

PAGE_SIZE = 20


KINDS = {"department": Agency.Kind.DEPARTMENT, "commune": Agency.Kind.COMMUNE}  # the public list's "cấp" filter


@require_GET
def procedure_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    field = request.GET.get("linh-vuc", "")[:20]
    agency = request.GET.get("co-quan", "")[:35]
    kind = request.GET.get("cap", "")
    kind = kind if kind in KINDS else ""
    results = selectors.search(q=q, field=field, agency=agency, kind=kind)
    number = request.GET.get("trang", "1")
    page = Paginator(results, PAGE_SIZE).get_page(max(int(number), 1) if number.lstrip("-").isdigit() else 1)
    # The agencies that lead or resolve procedures, in one query; those that lead have a Project 30 record.
    leads = Exists(Procedure.objects.filter(agency=OuterRef("pk")))
    resolves = Exists(Procedure.resolving_agencies.through.objects.filter(agency=OuterRef("pk")))
    agencies = list(Agency.objects.filter(is_active=True).annotate(leads=leads, resolves_any=resolves)
                    .filter(Q(leads=True) | Q(resolves_any=True)).order_by("name"))
    return render(request, "catalog/procedure_list.html", {
        "page": page, "q": q, "field": field, "agency": agency, "kind": kind,
        "kinds": [(key, value.label) for key, value in KINDS.items()],
        "fields": Field.objects.order_by("name"), "agencies": agencies,
        "leading_agencies": [a for a in agencies if a.leads],
    })


@require_GET
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.detail(code)
    if found is None:
        raise Http404
    record = selectors.simplification(found.procedure, found.versions, found.version, settings.COMPLIANCE_VALUE_OF_HOUR)
    return render(request, "catalog/procedure_detail.html", {"d": found, "simplification": record})


@require_GET
def blank_form(request: HttpRequest, code: str, document_id: int) -> FileResponse:
    """A procedure's blank form, served from storage (media files are not public by URL)."""
    document = (RequiredDocument.objects.select_related("version__procedure")
                .filter(pk=document_id, version__procedure__code=code)
                .exclude(version__procedure__status=Procedure.Status.ABOLISHED).first())
    if document is None or not document.blank_form:
        raise Http404
    name = document.blank_form.name.rsplit("/", 1)[-1]
    return FileResponse(document.blank_form.open("rb"), as_attachment=True, filename=name)


@require_GET
def simplification_report(request: HttpRequest, identifier: str) -> HttpResponse:
    """The agency's Project 30 record: each procedure's simplification and the sums, for citizens to see."""
    agency = Agency.objects.filter(identifier=identifier, is_active=True).first()
    if agency is None:
        raise Http404
    records, summary = selectors.agency_simplifications(agency_id=agency.pk,
                                                        value_of_hour=settings.COMPLIANCE_VALUE_OF_HOUR)
    return render(request, "catalog/simplification.html", {
        "agency": agency, "records": records, "summary": summary,
        "value_of_hour": settings.COMPLIANCE_VALUE_OF_HOUR,
    })
