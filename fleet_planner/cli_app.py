"""The command line's frame: the typer app, the shared arguments, and the guard that turns user
errors into a message and an exit code (0 ok, 1 bad input, 2 usage, 3 infeasible or solver
failure, 130 interrupted). User errors never print a traceback. The commands are in cli.py and
cli_proposal.py."""

from __future__ import annotations

import functools
import signal
import threading
from pathlib import Path
from typing import Annotated

import typer

from fleet_planner._version import __version__
from fleet_planner.cli_terminal import PlainHelpCommand, show_library_log
from fleet_planner.exceptions import EXIT_INVALID_INPUT, FleetPlannerError, InfeasibleError, describe_os_error
from fleet_planner.text import visible

app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Plan what to buy, convert and retire each year so a fleet meets its service and emission "
         "targets at least total cost.",
)

ScenarioArg = Annotated[Path, typer.Argument(metavar="SCENARIO", show_default=False,
                                             help="Scenario YAML file (paths inside are relative to it).")]
VariantOpt = Annotated[str | None, typer.Option("--variant", metavar="NAME",
                                                help="Apply a named variant from the scenario file.")]
SetOpt = Annotated[list[str] | None, typer.Option("--set", metavar="KEY.PATH=VALUE",
                                                  help="Override a value, e.g. policy.gas_end_year=2035 (repeatable).")]
WorkersOpt = Annotated[int | None, typer.Option(metavar="K", help="Local worker processes (default: the CPUs, at "
                                               "most 8); with --dask, a lower bound on the chunks.")]
DaskOpt = Annotated[str | None, typer.Option("--dask", metavar="ADDRESS", help="Run on a Dask cluster, e.g. "
                                             "tcp://10.0.0.5:8786 (default: Dask's scheduler-address setting, if "
                                             "any; otherwise local processes).")]
WORKERS_DEFAULT_MAX = 8
EXIT_INTERRUPTED = 130


def command(**settings):
    """Register a command of the app; its help names arguments in plain words (PlainHelpCommand)."""
    return app.command(cls=PlainHelpCommand, **settings)


def show_version(value: bool) -> None:
    if value:
        echo(f"fleet-planner {__version__}")
        raise typer.Exit


@app.callback()
def _options(version: Annotated[bool, typer.Option("--version", callback=show_version, is_eager=True,
                                                   help="Print the version and exit.")] = False) -> None:
    show_library_log()


def echo(message: str = "", *, err: bool = False) -> None:
    """Print; control characters in user text are shown as \\xNN, never obeyed by the terminal."""
    typer.echo(visible(message), err=err)


def guarded(command):
    """Turn user errors into a message and an exit code; Ctrl-C into a clean stop."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        _stop_on_sigterm()
        try:
            return command(*args, **kwargs)
        except OSError as exc:
            echo(f"Error: {describe_os_error(exc)}", err=True)
            raise typer.Exit(EXIT_INVALID_INPUT) from None
        except FleetPlannerError as exc:
            echo(f"Error: {exc}", err=True)
            if isinstance(exc, InfeasibleError) and getattr(exc, "out_note", None):
                echo(exc.out_note, err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            echo("Interrupted: the solver was stopped and nothing was written.", err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None

    return wrapper


def _stop_on_sigterm() -> None:
    """A termination request (kill, a job scheduler) stops the run like Ctrl-C: the solver worker is
    killed and staging folders are removed."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(_signum, _frame) -> None:
    from fleet_planner.exceptions import TerminationRequest

    raise TerminationRequest


def check_language(lang: str) -> None:
    from fleet_planner.exceptions import ScenarioError
    from fleet_planner.reporting.i18n import LANGUAGES

    if lang not in LANGUAGES:
        raise ScenarioError(f"--lang {lang!r}: not a report language; use one of {', '.join(LANGUAGES)}.")


def where_to_run(workers: int | None, dask: str | None) -> tuple[int, str | None]:
    """(local worker processes, Dask scheduler address or None) from --workers and --dask."""
    import os

    from fleet_planner.analysis.backends import configured_dask_address

    count = workers if workers is not None else max(1, min(WORKERS_DEFAULT_MAX, os.cpu_count() or 1))
    return count, dask or configured_dask_address()


def running_on(count: int, address: str | None) -> str:
    """Where an analysis runs, in words: "Dask cluster ADDRESS" or "K local worker(s)"."""
    return f"Dask cluster {address}" if address else f"{count} local worker(s)"


def load_scenario_arg(scenario: Path, variant: str | None, overrides: list[str] | None):
    from fleet_planner.loading.scenario import load_scenario

    return load_scenario(scenario, variant=variant, overrides=tuple(overrides or ()))
