"""Test settings with the SQLite test database in a file instead of memory.

Threads writing at once behave as in production only on a file database: an in-memory one is shared
through SQLite's shared cache, which locks whole tables and never waits. The concurrency tests run
themselves again under these settings when the suite runs on in-memory SQLite.
"""

import os

from kinerja.settings import *  # noqa: F403
from kinerja.settings import DATABASES

DATABASES["default"]["TEST"] = {"NAME": os.environ["KINERJA_TEST_SQLITE_FILE"]}
