"""CSV files as spreadsheets write them: the separator (',' ';' or tab), the decimal mark (point or
comma) and digit grouping ('1.234,5', '1,234.5', '1 234'), and a byte-order mark.

Excel writes the list separator and decimal mark of the computer's region: a Spanish-locale Excel
(Chile, Spain) saves 'CSV' with ';' between cells and '12,5' for twelve and a half, and
'CSV UTF-8' adds a byte-order mark. The separator is read from the header row (column names never
hold one); the decimal mark from the numbers themselves, and where no number shows it (only whole
numbers), from the separator: ';' goes with a decimal comma, ',' and tab with a decimal point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

SEPARATORS = {";": "';'", "\t": "tab", ",": "','"}
"""Separators looked for in the header row, in this order, with their names in messages."""
DECIMAL_NAMES = {".": "decimal point", ",": "decimal comma"}
SPACE_GROUPING = "[ \u00a0\u202f]"
"""Digit groups separated by a space, a no-break space or a narrow no-break space (e.g. '1 234')."""


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file writes its cells and numbers."""

    separator: str
    decimal: str
    decimal_seen: bool
    """True when a number in the file shows the decimal mark; False when it follows from the separator."""
    byte_order_mark: bool

    @property
    def grouping(self) -> str:
        return "." if self.decimal == "," else ","

    def describe(self) -> str:
        """The dialect in words, for the line that tells the user how the file was read."""
        decimal = DECIMAL_NAMES[self.decimal] + ("" if self.decimal_seen else " (assumed: no number shows it)")
        bom = "UTF-8 with a byte-order mark" if self.byte_order_mark else "UTF-8"
        return f"separator {SEPARATORS[self.separator]}, {decimal}, {bom}"


def detect_separator(text: str) -> str:
    """The separator of the header row (the first line): the first of ';', tab, ',' it holds."""
    header = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    return next((s for s in SEPARATORS if s in header), ",")


def decimal_evidence(cell: str) -> str | None:
    """The decimal mark a number cell shows ('.' or ','), or None when it could be either (no mark,
    or one mark followed by exactly three digits as in '1.234', which may be grouping)."""
    text = cell.strip().lstrip("+-")
    if not re.fullmatch(r"[\d.,]*\d[\d.,]*", text):
        return None
    if "." in text and "," in text:
        return "." if text.rfind(".") > text.rfind(",") else ","
    for mark, other in ((".", ","), (",", ".")):
        if text.count(mark) > 1:
            return other  # a repeated mark groups digits; the other one is the decimal mark
        if text.count(mark) == 1:
            head, tail = text.split(mark)
            could_group = len(tail) == 3 and 1 <= len(head) <= 3 and not head.startswith("0")
            return None if could_group else mark
    return None


def detect_decimal(frame: pd.DataFrame, numeric: list[str], separator: str,
                   display_name: str, problems: list[str]) -> tuple[str, bool]:
    """(decimal mark, whether a number showed it) from the number columns; a file that mixes both
    marks is a problem (which cell uses which)."""
    first_seen: dict[str, str] = {}
    for column in (c for c in numeric if c in frame.columns):
        for position, cell in zip(frame.index, frame[column], strict=True):
            mark = decimal_evidence(str(cell))
            if mark is not None and mark not in first_seen:
                first_seen[mark] = f"line {position + 2}, column {column} ({cell!r})"
    if len(first_seen) == 2:
        problems.append(f"{display_name}: numbers use both a decimal point ({first_seen['.']}) and a decimal comma "
                        f"({first_seen[',']}). Write every number the same way.")
    if len(first_seen) == 1:
        return next(iter(first_seen)), True
    return ("," if separator == ";" else "."), False


def plain_number(cell: str, decimal: str) -> str:
    """A number cell written with grouping and the given decimal mark as plain '1234.5'; a cell that
    is not such a number is returned unchanged (validation then names it)."""
    text = re.sub(f"(?<=\\d){SPACE_GROUPING}(?=\\d{{3}}(\\D|$))", "", cell.strip())
    group = re.escape("." if decimal == "," else ",")
    match = re.fullmatch(f"([+-]?)(\\d{{1,3}}(?:{group}\\d{{3}})+|\\d+)(?:{re.escape(decimal)}(\\d+))?", text)
    if match is None:
        return cell
    sign, whole, fraction = match.groups()
    whole = re.sub(group, "", whole)
    return f"{sign}{whole}" + (f".{fraction}" if fraction is not None else "")


def plain_numbers(frame: pd.DataFrame, numeric: list[str], decimal: str) -> pd.DataFrame:
    """The frame with every number column's cells as plain numbers (text cells untouched)."""
    frame = frame.copy()
    for column in (c for c in numeric if c in frame.columns):
        frame[column] = [plain_number(str(v), decimal) if v not in ("", None) else v for v in frame[column]]
    return frame
