"""`python -m tokenshare ...`: see tokenshare.cli."""

from tokenshare.cli import main

raise SystemExit(main())
