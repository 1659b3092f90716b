"""`python -m tui`: the `zipin` command (tui.cli)."""

import sys

from tui.cli import main

sys.exit(main())
