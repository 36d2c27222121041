from tests.dossiers.conftest import now, world  # noqa: F401 - the dossier tests' world, shared
