from __future__ import annotations

import pytest

from motcua.org import services
from motcua.org.roles import Role
from tests.factories import AgencyFactory, make_staff

PASSWORD = "mat-khau-thu-nghiem"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def roles(db):
    """Role groups as ``migrate`` leaves them (the test database is built without post-migrate receivers
    re-running between tests, so make sure they exist)."""
    services.sync_role_groups()


@pytest.fixture
def agency(db):
    return AgencyFactory()


@pytest.fixture
def staff_factory(roles):
    return make_staff


@pytest.fixture
def api_client(client):
    return client


def login(client, staff):
    assert client.login(username=staff.user.username, password=PASSWORD)
    return client


__all__ = ["PASSWORD", "Role", "login"]
