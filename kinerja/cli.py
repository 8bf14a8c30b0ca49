"""The `kinerja` command: Django's management commands under one name.

`kinerja start`, `kinerja demo`, `kinerja unit add|list`, `kinerja indicator list`, and every
other management command (`kinerja migrate`, `kinerja createsuperuser`, ...).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["kinerja", *args])


if __name__ == "__main__":
    main()
