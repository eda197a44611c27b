from purenet.cli import main
import sys
import fastnet

if __name__ == "__main__":
    sys.exit(main(package=fastnet))
