"""The ``backpace`` command (``python -m backpace``, and the script pip installs)."""

import gc


def main() -> None:
    # Importing the command line (Typer, the contracts' Pydantic models) makes some hundred
    # thousand objects that live as long as the process and no garbage, yet the cyclic collector
    # walked them about 70 times: 0.01 s of CPU at every start. So it is imported without the
    # collector, as a command's own start-up is (cli.io.starting_up), and what it made is frozen
    # out of later collections: the process that imports the command line is this one only.
    gc.disable()
    try:
        from backpace.cli import main as run
    finally:
        gc.enable()
    gc.freeze()
    run()


if __name__ == "__main__":
    main()
