#!/usr/bin/env python
"""Django's usual entry point; `a4p` (a4p/cli.py) is the same thing installed as a command."""

from a4p.cli import main

if __name__ == "__main__":
    main()
