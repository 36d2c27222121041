"""Settings for the test suite: the real settings in ``test`` mode (fast hasher, file-backed SQLite test
databases so that threads see each other's commits, as in production)."""

import os
import tempfile

os.environ["MOTCUA_ENV"] = "test"

from motcua.settings import *  # noqa: F403
from motcua.settings import DATA_DIR, DATABASES

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
AXES_ENABLED = os.environ.get("TEST_AXES", "1") == "1"

from motcua.settings import STATIC_ROOT  # noqa: E402

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing directory otherwise
WHITENOISE_AUTOREFRESH = True
