"""Entry point of `fleet-planner` and `python -m fleet_planner`.

Ctrl-C during start-up (while the libraries load) exits with 130 and no traceback, and the
terminal never receives a control character from user text (see fleet_planner.text)."""

from __future__ import annotations

import sys

EXIT_INTERRUPTED = 130


def main() -> None:
    try:
        from fleet_planner.cli import app, visible_streams
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        sys.exit(EXIT_INTERRUPTED)
    visible_streams()
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        sys.exit(EXIT_INTERRUPTED)


if __name__ == "__main__":
    main()
