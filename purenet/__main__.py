from purenet.cli import main
import sys
import purenet

if __name__ == "__main__":
    sys.exit(main(package=purenet))
