"""python -m purenet: the purenet command (see cli.py)."""
import sys

from purenet.cli import main

if __name__ == "__main__":
    sys.exit(main())
