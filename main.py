"""Entry point: ``python main.py`` is ``kiosk run`` (simulated devices, no configuration)."""

import sys

from kiosk.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], default_command="run"))
