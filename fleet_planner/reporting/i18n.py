"""Words of the report and charts in English, Spanish and Japanese.

One gettext catalogue per language (locales/<lang>/LC_MESSAGES/fleet_planner.po) whose msgids
are message keys; texts use `str.format` fields. A key
missing in the chosen language raises `MissingTranslationError` (tests render every language,
so a gap is caught before a user sees it). Display names of technologies and fuels come from
here when the id is known, otherwise from the catalogue's `name` column; segment names and
everything the user wrote in the scenario stay as written.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd
from babel.messages.pofile import read_po

from fleet_planner.exceptions import FleetPlannerError

LANGUAGES: tuple[str, ...] = ("en", "es", "ja")
"""Languages of the report (`--lang`)."""

NameKind = str  # "technology", "fuel" or "segment"

LOCALES = Path(__file__).parent / "locales"
"""Message catalogues: locales/<lang>/LC_MESSAGES/fleet_planner.po (gettext format)."""


DOMAINS: tuple[str, ...] = ("fleet_planner", "proposal", "analysis", "uncertainty")
"""gettext domains read per language, merged: the report's core words, then the proposal sections
(actions, grants, MRV, comparison), then the analysis pages (frontier, sensitivity, alternatives)
and the uncertainty page; a key in two domains is an error."""


def read_messages(lang: str) -> dict[str, str]:
    """{message key: text} of one language's catalogues (msgid = key, msgstr = text)."""
    messages: dict[str, str] = {}
    for domain in DOMAINS:
        path = LOCALES / lang / "LC_MESSAGES" / f"{domain}.po"
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=lang)
        found = {str(m.id): str(m.string) for m in catalogue if m.id and m.string}
        twice = sorted(set(found) & set(messages))
        if twice:
            raise FleetPlannerError(f"{path}: message key(s) {twice[:5]} also in another domain; keep one.")
        messages |= found
    return messages


class _Messages(Mapping[str, dict[str, str]]):
    """MESSAGES[lang][key]: every catalogue, read once on first use."""

    @cache
    def __getitem__(self, lang: str) -> dict[str, str]:
        if lang not in LANGUAGES:
            raise KeyError(lang)
        return read_messages(lang)

    def __iter__(self):
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)

    def __hash__(self) -> int:
        return id(self)


MESSAGES: Mapping[str, dict[str, str]] = _Messages()
"""Messages of the report and charts by language and key."""

# how numbers are written: (thousands separator, decimal mark, percent format)
NUMBER_STYLE: dict[str, tuple[str, str, str]] = {
    "en": (",", ".", "{number}%"),
    "es": (".", ",", "{number} %"),
    "ja": (",", ".", "{number}%"),
}
LIST_STYLE: dict[str, tuple[str, str]] = {  # (separator, separator before the last item)
    "en": ("; ", "; and "),
    "es": ("; ", "; y "),
    "ja": ("、", "、"),
}


YEAR_SEPARATOR: dict[str, str] = {"en": ", ", "es": ", ", "ja": "・"}


class MissingTranslationError(KeyError):
    """A message key has no text in the chosen language."""


@dataclass(frozen=True)
class Translator:
    """Message lookup and number formatting for one language.

    `names[kind][id]` are catalogue display names (kind: technology, fuel, segment), used when
    the message file has no `kind.id` key.
    """

    lang: str
    names: Mapping[NameKind, Mapping[str, str]] = field(default_factory=dict)

    def __call__(self, key: str, **values: object) -> str:
        try:
            template = MESSAGES[self.lang][key]
        except KeyError:
            raise MissingTranslationError(f"no {self.lang!r} text for message key {key!r}") from None
        return template.format(**values)

    def name(self, kind: NameKind, identifier: str) -> str:
        """Display name of a technology, fuel or segment id."""
        key = f"{kind}.{identifier}"
        if key in MESSAGES[self.lang]:
            return MESSAGES[self.lang][key]
        return str(self.names.get(kind, {}).get(identifier) or identifier)

    def technology(self, identifier: str) -> str:
        return self.name("technology", identifier)

    def fuel(self, identifier: str) -> str:
        return self.name("fuel", identifier)

    def segment(self, identifier: str) -> str:
        return self.name("segment", identifier)

    def number(self, value: float | None, decimals: int = 0) -> str:
        """1234.5 -> '1,234.5' (en, ja) or '1.234,5' (es); missing values -> '–'."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        thousands, decimal, _ = NUMBER_STYLE[self.lang]
        text = f"{value:,.{decimals}f}"
        if text in {f"-{0:.{decimals}f}"}:  # no "-0"
            text = text[1:]
        return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)

    def percent(self, share: float | None, decimals: int = 0) -> str:
        """0.213 -> '21%' (en), '21 %' (es)."""
        if share is None or (isinstance(share, float) and math.isnan(share)):
            return "–"
        return NUMBER_STYLE[self.lang][2].format(number=self.number(100 * share, decimals))

    @property
    def plotly_separators(self) -> str:
        """Plotly's layout.separators: decimal mark then thousands separator."""
        thousands, decimal, _ = NUMBER_STYLE[self.lang]
        return decimal + thousands

    def join(self, items: Iterable[str]) -> str:
        """['a', 'b', 'c'] -> 'a; b; and c' (en)."""
        items = list(items)
        separator, last = LIST_STYLE[self.lang]
        if len(items) <= 1:
            return "".join(items)
        return separator.join(items[:-1]) + last + items[-1]

    def years(self, years: Iterable[int]) -> str:
        """[2025, 2026, 2027, 2030] -> '2025–2027, 2030' (runs of consecutive years)."""
        runs: list[list[int]] = []
        for year in sorted({int(y) for y in years}):
            if runs and year == runs[-1][-1] + 1:
                runs[-1].append(year)
            else:
                runs.append([year])
        parts = [str(r[0]) if len(r) == 1 else self("years.range", first=r[0], last=r[-1]) for r in runs]
        return YEAR_SEPARATOR[self.lang].join(parts)


def translator(lang: str, names: Mapping[NameKind, Mapping[str, str]] | None = None) -> Translator:
    """The Translator for `lang` (en, es or ja); an unknown language is a user error."""
    if lang not in LANGUAGES:
        raise FleetPlannerError(f"--lang {lang!r}: the report is available in {', '.join(LANGUAGES)}; choose one.")
    return Translator(lang, names or {})


def catalogue_names(catalogue_tables: Mapping[str, pd.DataFrame]) -> dict[NameKind, dict[str, str]]:
    """Display names from the catalogue: technology_types.csv, fuels.csv and segments.csv `name`."""
    sources = {"technology": ("technology_types", "technology"), "fuel": ("fuels", "fuel"),
               "segment": ("segments", "segment")}
    names: dict[NameKind, dict[str, str]] = {}
    for kind, (table, key) in sources.items():
        frame = catalogue_tables.get(table)
        if frame is None or frame.empty or "name" not in frame.columns:
            names[kind] = {}
            continue
        names[kind] = {str(k): str(v) for k, v in zip(frame[key], frame["name"], strict=True) if isinstance(v, str)}
    return names
