"""python -m fastnet: the fastnet command (see cli.py)."""
import sys

from fastnet.cli import main

if __name__ == "__main__":
    sys.exit(main())
