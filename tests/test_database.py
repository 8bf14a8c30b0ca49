import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_it_was_given():
    wanted = os.environ.get("DATABASE_URL", "")
    if wanted.startswith("postgres"):
        assert connection.vendor == "postgresql"
    else:
        assert connection.vendor == "sqlite"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("select current_setting('server_version_num')::int")
            assert cursor.fetchone()[0] >= 150000
