"""``python -m portal_audit …`` is the same as the ``portal-audit`` command."""
from portal_audit.cli import main

raise SystemExit(main())
