"""`python -m handouts` runs the same command line as `handouts` and `generate.py`."""

from handouts.cli import main

main()
