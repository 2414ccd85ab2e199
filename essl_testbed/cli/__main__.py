"""``python -m essl_testbed.cli``: the same as the ``essl-testbed`` command."""

import sys

from . import main

sys.exit(main())
