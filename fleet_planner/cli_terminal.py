"""What the terminal shows besides command output: help in plain words, progress lines from the
library's log, and streams that never pass a control character from user text to the terminal."""

from __future__ import annotations

import logging
import re
import sys

import typer
from typer.core import TyperCommand

from fleet_planner.text import visible

LOGGER_NAME = "fleet_planner"
"""The library logs what it noticed while reading inputs (e.g. a fleet file's CSV dialect) here."""
_REQUIRED_IN_USAGE = re.compile(r"\{([A-Z][A-Z0-9_.=]*)\}")
_ARGUMENT_TYPE = re.compile(r"^(  [A-Z][A-Z0-9_]*)( <[A-Za-z_\[\]|]+>)", re.MULTILINE)


class PlainHelpCommand(TyperCommand):
    """Help that names an argument as written in the docstrings (SCENARIO), without the library's
    {braces} around required arguments and <type> labels after them."""

    def get_help(self, ctx) -> str:
        text = _REQUIRED_IN_USAGE.sub(r"\1", super().get_help(ctx))
        return _ARGUMENT_TYPE.sub(lambda m: m.group(1) + " " * len(m.group(2)), text)

    def get_usage(self, ctx) -> str:
        return _REQUIRED_IN_USAGE.sub(r"\1", super().get_usage(ctx))


class EchoHandler(logging.Handler):
    """Log records of the library as lines on standard error (shown, never obeyed: see visible);
    a line already shown in this command is not repeated (validate reads the fleet once per variant)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.shown: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        line = record.getMessage()
        if line not in self.shown:
            self.shown.add(line)
            typer.echo(visible(f"  {line}"), err=True)


def show_library_log() -> None:
    """Print the library's information lines from now on (one handler, however often a command runs
    in one process; each command starts with nothing shown)."""
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(logging.INFO)
    handlers = [h for h in logger.handlers if isinstance(h, EchoHandler)]
    if handlers:
        handlers[0].shown.clear()
    else:
        logger.addHandler(EchoHandler())


class _VisibleStream:
    """A text stream that shows control characters as \\xNN (click and typer print user text too)."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(visible(text))

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def visible_streams() -> None:
    """Wrap stdout and stderr so nothing the program prints can drive the terminal."""
    sys.stdout = _VisibleStream(sys.stdout)
    sys.stderr = _VisibleStream(sys.stderr)
