"""`python -m watchfloor`: the `watchfloor` command (used to start the background translation worker)."""

from watchfloor.cli import main

main()
