"""``python -m gradspec``: the same as the ``gradspec`` command."""

from gradspec.cli import main

raise SystemExit(main())
