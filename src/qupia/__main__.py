"""``python -m qupia``: the command line, as the ``qupia`` script runs it."""

from qupia.cli import main

main(prog_name="qupia")
