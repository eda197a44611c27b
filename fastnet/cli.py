"""The fastnet command line: purenet's command line (purenet/cli.py) driving fastnet."""
import sys

from purenet.cli import fastnet_main as main

if __name__ == "__main__":
    sys.exit(main())
