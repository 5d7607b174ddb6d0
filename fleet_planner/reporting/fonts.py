"""Is a Japanese (CJK) font installed? Without one, Japanese text in images and in a report opened
on this machine renders as boxes, so a `--lang ja` report warns and says how to install one."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache

FONT_CHECK_TIMEOUT_S = 20


@cache
def has_cjk_font() -> bool | None:
    """True when fontconfig lists a font covering Japanese, False when it lists none, None when it
    cannot be asked (no fc-list)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        done = subprocess.run([fc_list, ":lang=ja", "family"], capture_output=True, text=True,
                              timeout=FONT_CHECK_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return bool(done.stdout.strip())
