"""A client's plan against the optimum (`fleet-planner compare CLIENT OPTIMUM [--report PAGE]`):
cost and emission differences, the fleet decisions that differ, the rules the client's plan
breaks, and one sentence saying what the client's plan costs above the optimum and whether it
meets the targets. Reads two result folders (CSV files) only."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from fleet_planner.exceptions import ScenarioError
from fleet_planner.reporting.i18n import Translator, translator
from fleet_planner.reporting.table_data import TableData, number_or_none
from fleet_planner.reporting.violations_view import is_client_plan, violations_section
from fleet_planner.schemas.client_plan import FLEET_KINDS

DECISION_KEYS = ["kind", "year", "segment", "technology", "to_technology", "model_year", "infrastructure"]


@dataclass
class ClientComparison:
    client_dir: Path
    optimum_dir: Path
    client: dict  # summary rows
    optimum: dict
    emissions: pd.DataFrame  # year, client_tco2e, optimum_tco2e, cap_tco2e
    decisions: pd.DataFrame  # DECISION_KEYS, client_count, optimum_count, difference_count
    violations: pd.DataFrame  # the client's

    @property
    def npv_difference(self) -> float:
        return float(self.client["npv_cost"]) - float(self.optimum["npv_cost"])

    @property
    def emissions_difference(self) -> float:
        return float(self.client["emissions_tco2e"]) - float(self.optimum["emissions_tco2e"])


def find_client_and_optimum(folders: list[Path]) -> tuple[Path, Path] | None:
    """The first client-plan folder and the first other folder, or None if there is not one of each."""
    summaries = {Path(f): _summary(Path(f)) for f in folders}
    clients = [f for f, s in summaries.items() if is_client_plan(s)]
    others = [f for f, s in summaries.items() if not is_client_plan(s)]
    return (clients[0], others[0]) if clients and others else None


def client_comparison(client_dir: Path, optimum_dir: Path) -> ClientComparison:
    client, optimum = _summary(client_dir), _summary(optimum_dir)
    if client.get("scenario") != optimum.get("scenario") or client.get("currency") != optimum.get("currency"):
        raise ScenarioError(f"{client_dir} and {optimum_dir} are results of different scenarios "
                            f"({client.get('scenario')!s}, {optimum.get('scenario')!s}); compare a client plan with "
                            "the optimised plan of the same scenario.")
    em_c = pd.read_csv(client_dir / "emissions.csv")
    em_o = pd.read_csv(optimum_dir / "emissions.csv")
    emissions = em_c[["year", "emissions_tco2e", "cap_tco2e"]].rename(columns={"emissions_tco2e": "client_tco2e"}) \
        .merge(em_o[["year", "emissions_tco2e"]].rename(columns={"emissions_tco2e": "optimum_tco2e"}), on="year",
               how="outer").sort_values("year")
    violations_file = client_dir / "violations.csv"
    violations = pd.read_csv(violations_file) if violations_file.is_file() else pd.DataFrame(
        columns=["rule", "year", "segment", "amount", "unit", "detail"])
    return ClientComparison(client_dir, optimum_dir, client, optimum, emissions.reset_index(drop=True),
                            differing_decisions(client_dir, optimum_dir), violations)


def differing_decisions(client_dir: Path, optimum_dir: Path) -> pd.DataFrame:
    """Fleet decisions (purchases, conversions, sales, buy-outs, builds) whose counts differ."""
    def fleet(folder: Path) -> pd.DataFrame:
        frame = pd.read_csv(folder / "decisions.csv", dtype={"model_year": "Int64", "year": "Int64"})
        frame = frame[frame["kind"].isin(FLEET_KINDS)].copy()
        for column in ("segment", "technology", "to_technology", "infrastructure"):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), "").astype(str)
        frame["model_year"] = frame["model_year"].fillna(0)
        return frame.groupby(DECISION_KEYS, as_index=False)["value"].sum()

    both = fleet(client_dir).merge(fleet(optimum_dir), on=DECISION_KEYS, how="outer", suffixes=("_client", "_optimum"))
    both = both.fillna({"value_client": 0.0, "value_optimum": 0.0})
    both = both.rename(columns={"value_client": "client_count", "value_optimum": "optimum_count"})
    both["difference_count"] = both["client_count"] - both["optimum_count"]
    both = both[both["difference_count"].abs() > 1e-9]
    both["model_year"] = both["model_year"].astype("Int64").where(both["model_year"] != 0)
    order = {k: i for i, k in enumerate(FLEET_KINDS)}
    both = both.assign(_order=both["kind"].map(order)).sort_values(["year", "_order", "segment", "technology"],
                                                                    kind="mergesort")
    return both.drop(columns="_order").reset_index(drop=True)


def _summary(folder: Path) -> dict:
    path = Path(folder) / "summary.csv"
    if not path.is_file():
        raise ScenarioError(f"{folder}: no summary.csv; give folders written by `fleet-planner plan` or "
                            "`fleet-planner evaluate --out`.")
    return pd.read_csv(path).iloc[0].to_dict()


def comparison_sentence(c: ClientComparison, t: Translator) -> str:
    """One sentence: what the client's plan costs above (or below) the optimum, and whether it meets
    the targets."""
    difference = c.npv_difference
    optimum_npv = float(c.optimum["npv_cost"])
    share = t.percent(abs(difference) / abs(optimum_npv), 1) if optimum_npv else "–"
    if c.violations.empty:
        targets = t("compare.targets_met")
    else:
        counts = c.violations.groupby("rule", sort=True).size()
        targets = t("compare.targets_broken", rules=t.join(
            t("client.rule_years", rule=rule, years=t.years(c.violations.loc[c.violations["rule"] == rule, "year"]
                                                            .dropna().astype(int)))
            if c.violations.loc[c.violations["rule"] == rule, "year"].notna().any() else str(rule)
            for rule in counts.index))
    key = "compare.sentence_more" if difference >= 0 else "compare.sentence_less"
    return t(key, first=int(c.client["first_year"]), last=int(c.client["last_year"]),
             difference=t.number(abs(difference)),
             currency=c.client.get("currency", ""), client=t.number(float(c.client["npv_cost"])),
             optimum=t.number(optimum_npv), share=share, targets=targets)


def emissions_sentence(c: ClientComparison, t: Translator) -> str:
    difference = c.emissions_difference
    return t("compare.emissions_sentence", client=t.number(float(c.client["emissions_tco2e"]), 1),
             optimum=t.number(float(c.optimum["emissions_tco2e"]), 1),
             difference=("+" if difference > 0 else "") + t.number(difference, 1))


def headline_table(c: ClientComparison, t: Translator) -> TableData:
    scope = str(c.client.get("emission_scope", "ttw"))
    rows = []
    for label, client, optimum, decimals in (
            (t("compare.npv_cost", currency=c.client.get("currency", "")), c.client["npv_cost"],
             c.optimum["npv_cost"], 0),
            (t("compare.emissions", first=int(c.client["first_year"]), last=int(c.client["last_year"]),
               scope=t(f"scope.{scope}") if scope in ("ttw", "wtw") else scope),
             c.client["emissions_tco2e"], c.optimum["emissions_tco2e"], 1),
            (t("compare.rules_broken"), len(c.violations), 0, 0)):
        client, optimum = float(client), float(optimum)
        difference = client - optimum
        rows.append([label, t.number(client, decimals), t.number(optimum, decimals),
                     ("+" if difference > 0 else "") + t.number(difference, decimals)])
    header = [t("compare.quantity"), t("compare.client"), t("compare.optimum"), t("compare.difference")]
    return TableData(header, rows, [False, True, True, True])


def decisions_table(c: ClientComparison, t: Translator) -> TableData:
    rows = []
    for r in c.decisions.itertuples(index=False):
        if r.kind == "infrastructure_build":
            what = str(r.infrastructure)
        else:
            what = f"{t.segment(r.segment)} / {t.technology(r.technology)}"
            if r.kind == "conversion":
                what += f" → {t.technology(r.to_technology)}"
            if number_or_none(r.model_year) is not None:
                what += f" ({int(r.model_year)})"
        difference = float(r.difference_count)
        rows.append([t(f"decision.{r.kind}"), str(int(r.year)), what, t.number(float(r.client_count)),
                     t.number(float(r.optimum_count)), ("+" if difference > 0 else "") + t.number(difference)])
    header = [t("compare.kind"), t("violations.year"), t("compare.what"), t("compare.client"), t("compare.optimum"),
              t("compare.difference")]
    return TableData(header, rows, [False, False, False, True, True, True])


def client_violations_table(c: ClientComparison, t: Translator) -> TableData:
    return violations_section({"violations": c.violations}, t)


def comparison_text(c: ClientComparison) -> str:
    """The comparison for the terminal (English): the sentence, emissions, the decisions that differ."""
    t = translator("en")
    lines = [comparison_sentence(c, t), emissions_sentence(c, t)]
    if c.decisions.empty:
        return "\n".join([*lines, t("compare.no_differences")])
    lines.append(f"Fleet decisions that differ ({len(c.decisions)}), client vs optimum:")
    for r in c.decisions.itertuples(index=False):
        if r.kind == "infrastructure_build":
            what = r.infrastructure
        else:
            what = f"{r.segment}/{r.technology}" + (f"->{r.to_technology}" if r.kind == "conversion" else "")
            what += f" model year {int(r.model_year)}" if pd.notna(r.model_year) else ""
        lines.append(f"  {int(r.year)} {r.kind} {what}: {r.client_count:g} vs {r.optimum_count:g}")
    return "\n".join(lines)
