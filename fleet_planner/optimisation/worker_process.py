"""A solver's worker process: it dies with the run that started it, leads its own process group (so
the parent can kill the solver and anything it started), ignores Ctrl-C (the parent decides when to
stop) and keeps the solver's banner off the terminal."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # linux/prctl.h


_LIBC: list = []  # the C library, loaded once (a forked child must not search for it)


def die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies (Linux), so a solver never outlives
    a run that was killed (kill -9, a closed terminal). Elsewhere the parent's own clean-up applies.
    Safe in a forked child before exec once it has run in the parent (the library is cached)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        if not _LIBC:
            _LIBC.append(ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True))
        _LIBC[0].prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return


def worker_setup(parent_pid: int) -> None:
    """First thing a worker process does (see the module)."""
    die_with_parent()
    if os.getppid() != parent_pid:  # the run died before the request took effect
        os._exit(1)
    os.setpgrp()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    devnull = os.open(os.devnull, os.O_WRONLY)  # HiGHS prints a banner to stdout on creation
    os.dup2(devnull, 1)
    os.close(devnull)
