"""The fastnet command line: purenet's command line (purenet/cli.py) driving fastnet."""
import sys

import fastnet
from purenet import cli


def main(argv=None):
    return cli.main(argv, package=fastnet)


if __name__ == "__main__":
    sys.exit(main())
