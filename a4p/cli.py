"""The `a4p` command: the project's single management entry point.

`a4p <command>` runs any Django management command (`a4p migrate`, `a4p runserver`) and the
project's own (`a4p demo`, `a4p plan load FILE`, `a4p plan export`).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "a4p.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "a4p"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
