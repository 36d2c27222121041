"""The province model migrates existing data in place: a deployment's dossiers, procedures and ledger from
before it read exactly as they did (receiving point = resolving agency = delivery point = the old agency), and
a step that named "another agency" keeps its transfer and receive-back (that agency stays off the system)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("org", "0004_staff_portal"), ("catalog", "0003_search_revision"), ("dossiers", "0010_tally_years")]
AFTER = [("org", "0005_province"), ("catalog", "0004_province"), ("dossiers", "0011_province")]
UTC = dt.UTC


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_dossiers_procedures_and_ledger_migrate_in_place():
    old = _migrate(BEFORE)
    Agency, Division = old.get_model("org", "Agency"), old.get_model("org", "Division")
    snv = Agency.objects.create(identifier="000.00.12.H22", name="Sở Nội vụ", short_name="SNV", level="department")
    ubnd = Agency.objects.create(identifier="000.00.00.H22", name="UBND tỉnh", short_name="UBND", level="province")
    desk = Division.objects.create(agency=snv, code="VP", name="Văn phòng", is_one_stop_desk=True)
    civil = Division.objects.create(agency=snv, code="CCVC", name="Phòng CCVC")
    Field, Procedure = old.get_model("catalog", "Field"), old.get_model("catalog", "Procedure")
    Version, Step = old.get_model("catalog", "ProcedureVersion"), old.get_model("catalog", "ProcessStep")
    field = Field.objects.create(code="CCVC", name="Công chức")
    procedure = Procedure.objects.create(code="P1", name="Bổ nhiệm ngạch", field=field, agency=snv)
    version = Version.objects.create(procedure=procedure, number=1, effective_from=dt.date(2024, 1, 1),
                                     time_limit=10)
    Step.objects.create(version=version, order=1, name="Tiếp nhận", role="desk_officer", division=desk, hours=4)
    Step.objects.create(version=version, order=2, name="Thẩm định", role="specialist", division=civil, hours=68)
    Step.objects.create(version=version, order=3, name="UBND ký", role="agency_leader", other_agency=ubnd, hours=8)
    Rules, Dossier = old.get_model("dossiers", "OneStopRules"), old.get_model("dossiers", "Dossier")
    rules = Rules.objects.order_by("effective_from").first() or Rules.objects.create(effective_from=dt.date(2018, 1, 1))
    at = dt.datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    common = {"agency": snv, "procedure": procedure, "procedure_version": version, "rules": rules, "channel": "desk",
              "applicant_type": "individual", "applicant_name": "Trần Thị Mai", "submitted_at": at,
              "received_at": at}
    open_one = Dossier.objects.create(code="000.00.12.H22-260302-0001", state="in_progress", is_open=True,
                                      current_role="specialist", current_division=civil, current_due_at=at, **common)
    closed = Dossier.objects.create(code="000.00.12.H22-260302-0002", state="returned", is_open=False, **common)
    Tally = old.get_model("dossiers", "Tally")
    Tally.objects.create(agency=snv, procedure=procedure, grain="d", day=dt.date(2026, 3, 2), received_direct=2)

    new = _migrate(AFTER)
    Agency = new.get_model("org", "Agency")
    assert dict(Agency.objects.values_list("short_name", "kind")) == {"SNV": "department", "UBND": "province"}
    # The agency a process step named as "another agency" stays off the system: its step is still a transfer.
    assert dict(Agency.objects.values_list("short_name", "on_system")) == {"SNV": True, "UBND": False}
    assert new.get_model("org", "Division").objects.get(code="CCVC").kind == "CCVC"
    procedure = new.get_model("catalog", "Procedure").objects.get(code="P1")
    assert [a.short_name for a in procedure.resolving_agencies.all()] == ["SNV"]
    kinds = list(new.get_model("catalog", "ProcessStep").objects.order_by("order")
                 .values_list("division_kind", "other_agency__short_name"))
    assert kinds == [("VP", None), ("CCVC", None), ("", "UBND")]
    Dossier = new.get_model("dossiers", "Dossier")
    for d in Dossier.objects.all():
        assert d.receiving_agency_id == d.agency_id == d.delivery_agency_id == snv.pk
        assert d.receiving_desk_id == desk.pk
    assert Dossier.objects.get(pk=open_one.pk).current_agency_id == snv.pk
    assert Dossier.objects.get(pk=closed.pk).current_agency_id is None
    parties = new.get_model("dossiers", "DossierAgency").objects.values_list("dossier_id", "agency_id", "partner")
    assert sorted(parties) == sorted([(open_one.pk, snv.pk, False), (closed.pk, snv.pk, False)])
    tally = new.get_model("dossiers", "Tally").objects.get()
    assert (tally.agency_id, tally.receiving_agency_id, tally.received_direct) == (snv.pk, snv.pk, 2)
