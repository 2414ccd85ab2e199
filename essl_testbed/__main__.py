"""``python -m essl_testbed``: the same as the ``essl-testbed`` command."""

import sys

from .cli import main

sys.exit(main())
