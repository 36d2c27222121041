"""The ledger the actions keep equals the one the hand-offs give; ``motcua tally`` finds and repairs a
difference, and a rebuild changes no figure."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from motcua.dossiers import tallies
from motcua.dossiers.models import Tally
from motcua.reports import periods, selectors
from tests.reports.conftest import EXPECTED_MARCH, MARCH


def _march(world):
    totals = selectors.resolution(period=periods.Period(*MARCH), agency=world.agency).totals.as_dict()
    return {k: totals[k] for k in EXPECTED_MARCH}


def test_the_ledger_kept_by_the_actions_equals_the_one_rebuilt_from_the_handoffs(world, history):
    assert tallies.verify() == []
    call_command("tally", "--verify")


def test_a_damaged_ledger_is_reported_and_a_rebuild_restores_every_figure(world, history, capsys):
    row = Tally.objects.filter(grain="d", received_direct__gt=0).first()
    Tally.objects.filter(pk=row.pk).update(received_direct=row.received_direct + 5)
    assert _march(world) != EXPECTED_MARCH or row.day.month != 3
    with pytest.raises(CommandError, match="lệch ở 1 dòng"):
        call_command("tally", "--verify")
    assert "sổ {'received_direct'" in capsys.readouterr().out
    call_command("tally", "--rebuild", "--agency", world.agency.identifier)
    assert tallies.verify() == [] and _march(world) == EXPECTED_MARCH


def test_an_unknown_agency_is_refused(world):
    with pytest.raises(CommandError, match="Không có cơ quan"):
        call_command("tally", "--verify", "--agency", "000.00.99.H99")
