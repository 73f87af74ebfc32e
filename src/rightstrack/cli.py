"""The `rightstrack` command. Each sub-command is a Django management command underneath.

    rightstrack init | serve | demo [--reset] | createuser | backup | restore | check | worker | extract ...

Any other Django command works too (`rightstrack migrate`, `rightstrack shell`).
"""

from __future__ import annotations

import os
import sys

#: Sub-commands whose management command has another name (Django already owns `check`).
ALIASES = {"check": "rightstrack_check"}


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `rightstrack` console script."""
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
    from django.core.management import execute_from_command_line

    if len(argv) > 1:
        argv[1] = ALIASES.get(argv[1], argv[1])
    else:
        argv.append("help")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
