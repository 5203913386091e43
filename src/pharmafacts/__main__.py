"""``python -m pharmafacts``: the command line, as the ``pharmafacts`` script."""

from .cli import main

if __name__ == "__main__":
    main(prog_name="pharmafacts")
