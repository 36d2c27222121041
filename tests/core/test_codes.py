import pytest

from motcua.core.codes import is_agency_identifier, is_short_name


@pytest.mark.parametrize("value", ["000.00.12.H22", "000.00.04.G14", "000.00.00.H30", "H22", "H22.12.01", "Z01.ABC123"])
def test_identifiers_in_the_official_shapes_are_accepted(value):
    assert is_agency_identifier(value)


@pytest.mark.parametrize(
    "value",
    ["", "000.00.12.h22", "000.00.12", "000..12.H22", ".H22", "H22.", "000.00.12.H22 ", "Ж22", "0" * 33 + ".H22"],
)
def test_malformed_identifiers_are_refused(value):
    assert not is_agency_identifier(value)


@pytest.mark.parametrize(("value", "ok"), [("SNV", True), ("UBND", True), ("ĐHQG", True), ("snv", False),
                                          ("S", False), ("S-NV", False), ("", False)])
def test_short_names_used_in_document_symbols(value, ok):
    assert is_short_name(value) is ok
