"""The whole report as one PDF (A4, the page's print style) through a headless Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from fleet_planner.exceptions import FleetPlannerError

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
PDF_TIMEOUT_S = 180
A4_WINDOW = "794,1123"
"""A4 at 96 dpi: the charts are laid out for the page width before printing."""
NO_CHROMIUM = ("--pdf needs Chrome or Chromium: install it (Debian/Ubuntu: apt-get install chromium) or set "
               "BROWSER_PATH to its binary; the HTML report was written.")


def find_browser() -> str | None:
    """BROWSER_PATH, else a Chrome/Chromium on PATH, else the one kaleido would use."""
    if os.environ.get("BROWSER_PATH") and Path(os.environ["BROWSER_PATH"]).is_file():
        return os.environ["BROWSER_PATH"]
    for name in CHROMIUM_NAMES:
        if found := shutil.which(name):
            return found
    from fleet_planner.reporting.images import find_chromium

    return find_chromium()


def write_pdf(page: Path, pdf: Path) -> Path:
    """Print `page` (an HTML file) to `pdf` with headless Chromium; a clear error without one."""
    browser = find_browser()
    if browser is None:
        raise FleetPlannerError(NO_CHROMIUM)
    pdf = Path(pdf).resolve()
    with tempfile.TemporaryDirectory(prefix="fleet-planner-pdf-") as profile:
        args = [browser, "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}",
                f"--window-size={A4_WINDOW}", "--virtual-time-budget=15000", "--no-pdf-header-footer",
                f"--print-to-pdf={pdf}", Path(page).resolve().as_uri()]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        try:
            done = subprocess.run(args, capture_output=True, text=True, timeout=PDF_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise FleetPlannerError(f"{pdf}: Chromium did not finish printing in {PDF_TIMEOUT_S} s; "
                                    "try again or print report.html from a browser.") from None
    if not pdf.is_file() or pdf.read_bytes()[:5] != b"%PDF-":
        tail = (done.stderr or "").strip().splitlines()[-1:] or ["no message"]
        raise FleetPlannerError(f"{pdf}: Chromium wrote no PDF ({tail[0][:200]}); print report.html from a browser.")
    return pdf
