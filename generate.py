"""The script therapists run: `python generate.py handout examples/maria-lopez.yaml`."""

from handouts.cli import main

if __name__ == "__main__":
    main()
