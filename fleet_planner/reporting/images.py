"""Static images of the charts (PNG, SVG, PDF) through kaleido, when a Chromium is present."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import plotly.graph_objects as go

Log = Callable[[str], None]

IMAGE_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")


IMAGE_WIDTH_PX = 1000


PNG_SCALE = 2
"""PNG pixels per layout pixel (sharp enough for print); SVG and PDF are vector."""


NO_CHROMIUM_MESSAGE = ("static images skipped: no Chromium found; install it (Debian/Ubuntu: apt-get install "
                       "chromium) or run `plotly_get_chrome`, or set BROWSER_PATH to a Chrome/Chromium binary")


NO_KALEIDO_MESSAGE = "static images skipped: kaleido is not installed; pip install 'fleet-planner[images]'"


def find_chromium() -> str | None:
    """Path of the Chrome/Chromium kaleido will use (BROWSER_PATH, PATH, usual places, or one
    downloaded by `plotly_get_chrome`), or None."""
    try:
        from choreographer.browsers.chromium import Chromium
    except ImportError:
        return None
    return Chromium.find_browser(skip_local=False)


def write_images(charts: Mapping[str, go.Figure], folder: Path, *, log: Log = print) -> list[Path]:
    """PNG, SVG and PDF of each chart in one kaleido session; without kaleido or Chromium, one
    log line says how to get them and nothing is written."""
    try:
        import kaleido  # noqa: F401
    except ImportError:
        log(NO_KALEIDO_MESSAGE)
        return []
    if find_chromium() is None:
        log(NO_CHROMIUM_MESSAGE)
        return []
    import plotly.io as pio

    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(fig, folder / f"{name}.{fmt}", fmt) for name, fig in charts.items() for fmt in IMAGE_FORMATS]
    try:
        pio.write_images([fig for fig, _, _ in jobs], [path for _, path, _ in jobs],
                         width=IMAGE_WIDTH_PX, height=[int(fig.layout.height or 450) for fig, _, _ in jobs],
                         scale=[PNG_SCALE if fmt == "png" else 1 for _, _, fmt in jobs])
    except Exception as exc:  # noqa: BLE001 images are optional: the report must still be written
        log(f"static images skipped: export failed ({str(exc).strip().splitlines()[0] if str(exc).strip() else exc!r})")
        return []
    return [path for _, path, _ in jobs if path.is_file()]
