"""python -m fastnet: the fastnet command (see purenet/cli.py, which serves both packages)."""
import sys

from purenet.cli import fastnet_main

if __name__ == "__main__":
    sys.exit(fastnet_main())
