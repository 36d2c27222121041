"""Settings for the test suite: the real settings in ``test`` mode (fast hasher, no network), with
file-backed SQLite test databases so that threads see each other's commits, as in production."""

import os
import tempfile

os.environ["MOTCUA_ENV"] = "test"

from motcua.settings import *  # noqa: F403
from motcua.settings import DATABASES, STATIC_ROOT

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One file per test process (pytest-django adds the xdist worker suffix), removed when the run ends,
    # so that two test runs on one machine never share a database.
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(tempfile.gettempdir(), f"motcua-test-{os.getpid()}.sqlite3")}

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing directory otherwise
WHITENOISE_AUTOREFRESH = True
