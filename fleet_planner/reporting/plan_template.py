"""Write a client-plan template (`fleet-planner template plan`) as CSV or Excel."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from fleet_planner.reporting.results import write_csv
from fleet_planner.text import spreadsheet_safe


def write_plan_template(frame: pd.DataFrame, path: Path) -> Path:
    """CSV, or with an .xlsx name a workbook with one sheet `plan` (text cells stored as text)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() != ".xlsx":
        write_csv(frame, path)
        return path
    safe = frame.astype(object).where(frame.notna(), None)
    for column in ("kind", "segment", "technology", "to_technology", "infrastructure"):
        safe[column] = safe[column].map(lambda v: spreadsheet_safe(v) if isinstance(v, str) else v)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        safe.to_excel(writer, sheet_name="plan", index=False)
        for row in writer.sheets["plan"].iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    return path
