# Regenerate the corpus: cd tests/bad_inputs && python make_corpus.py
"""Writes the bad-input corpus: each case a scenario file (and sometimes a fleet CSV)."""
import json
import pathlib

import yaml

here = pathlib.Path()
base = {
    "name": "bad input case", "horizon_first_year": 2025, "horizon_last_year": 2027, "currency": "USD",
    "price_base_year": 2025, "discount_rate": 0.05, "region": "testland",
    "vehicles_catalogue": "../data/tiny/vehicles", "fuels_catalogue": "../data/tiny/fuels",
    "fleet": [{"segment": "van", "technology": "diesel", "model_year": 2020, "count": 10}],
    "demand": {"van": {"annual_activity_au": 100000}},
}
import copy


def case(name, expect, edit=None, text=None, fleet_csv=None, fleet_bytes=None):
    data = copy.deepcopy(base)
    if edit: edit(data)
    path = here / f"{name}.yaml"
    if fleet_csv is not None or fleet_bytes is not None:
        csv = here / f"{name}.fleet.csv"
        if fleet_bytes is not None: csv.write_bytes(fleet_bytes)
        else: csv.write_text(fleet_csv)
        data["fleet"] = csv.name
    if text is not None:
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
    else:
        path.write_text(yaml.safe_dump(data, sort_keys=False))
    cases[path.name] = expect
cases = {}
def s(**kw):
    def f(d): d.update(kw)
    return f
def setp(path, value):
    def f(d):
        node = d
        parts = path.split('.')
        for p in parts[:-1]: node = node.setdefault(p, {})
        node[parts[-1]] = value
    return f
def delete(key):
    def f(d): d.pop(key)
    return f
case("01-malformed-yaml", ["not valid YAML", "line"], text="name: x\n  horizon_first_year: [2025\n")
case("02-tabs-yaml", ["not valid YAML"], text="name: x\n\thorizon_first_year: 2025\n")
case("03-top-level-list", ["top level must be a mapping"], text="- a\n- b\n")
case("04-empty-file", ["top level must be a mapping"], text="")
case("05-unknown-key", ["horizon_frist_year", "remove the key"], s(horizon_frist_year=2025))
case("06-unknown-nested-key", ["policy.emission_capp", "allowed keys here"], setp("policy.emission_capp", 1))
case("07-wrong-type-year", ["horizon_first_year", "whole number"], s(horizon_first_year="next year"))
case("08-wrong-type-rate", ["discount_rate", "number"], s(discount_rate="five percent"))
case("09-negative-rate", ["discount_rate", "greater than or equal"], s(discount_rate=-0.1))
case("10-nan-activity", ["annual_activity_au", "finite"], setp("demand.van.annual_activity_au", float("nan")))
case("11-infinite-activity", ["annual_activity_au", "finite"], setp("demand.van.annual_activity_au", float("inf")))
case("12-negative-activity", ["annual_activity_au"], setp("demand.van.annual_activity_au", -5))
case("13-horizon-reversed", ["horizon_last_year", "before"], s(horizon_last_year=2020))
case("14-horizon-too-long", ["longer than 60 years"], s(horizon_last_year=2100))
case("15-cap-year-outside-horizon", ["policy.emission_cap", "outside the horizon"],
     setp("policy.emission_cap", {"tco2e": {2040: 10}}))
case("16-unknown-segment", ["demand.bus_99m", "unknown segment"], setp("demand.bus_99m", {"annual_activity_au": 5}))
case("17-unknown-technology-in-fleet", ["fleet row 1", "hover_car", "use one of"],
     s(fleet=[{"segment": "van", "technology": "hover_car", "model_year": 2020, "count": 1}]))
case("18-unknown-fuel", ["fuels", "unknown fuel", "plutonium"], setp("fuels.allowed", ["diesel", "plutonium"]))
case("19-bad-id-characters", ["demand", "lower-case letters, digits and single underscores"], s(demand={"Van-1": {"annual_activity_au": 5}}))
case("20-fleet-csv-empty", ["empty"], fleet_csv="")
case("21-fleet-csv-headerless", ["missing column"], fleet_csv="van,diesel,2020,10\n")
case("22-fleet-csv-bad-count", ["line 2", "count"], fleet_csv="segment,technology,model_year,count\nvan,diesel,2020,ten\n")
case("23-fleet-csv-duplicate-cohort", ["more than once", "Merge"],
     fleet_csv="segment,technology,model_year,count\nvan,diesel,2020,5\nvan,diesel,2020,3\n")
case("24-fleet-csv-not-utf8", ["not UTF-8"], fleet_bytes="segment,technology,model_year,count\nvan,di\xe9sel,2020,5\n".encode("latin-1"))
case("25-fleet-csv-unknown-column", ["unknown column", "colour"],
     fleet_csv="segment,technology,model_year,count,colour\nvan,diesel,2020,5,red\n")
case("26-fleet-csv-huge-count", ["count", "less than or equal"],
     fleet_csv="segment,technology,model_year,count\nvan,diesel,2020,99999999999\n")
case("27-fleet-csv-negative-count", ["count", "greater than or equal"],
     fleet_csv="segment,technology,model_year,count\nvan,diesel,2020,-3\n")
case("28-fleet-model-year-after-start", ["model_year 2030", "after the first planning year"],
     s(fleet=[{"segment": "van", "technology": "diesel", "model_year": 2030, "count": 1}]))
case("29-policy-bans-everything", ["bans every technology"],
     setp("policy.purchase_windows", [{"technology": t, "last_year": 2000} for t in ["diesel", "cng", "bev"]]))
case("30-cap-below-zero", ["tco2e", "greater than or equal"], setp("policy.emission_cap", {"tco2e": {2026: -5}}))
case("31-subsidy-over-100", ["capex_share", "less than or equal"],
     s(subsidies=[{"name": "grant", "technologies": ["bev"], "first_year": 2025, "last_year": 2026, "capex_share": 1.5}]))
case("32-subsidy-unknown-technology", ["subsidies[0]", "warp_drive"],
     s(subsidies=[{"name": "grant", "technologies": ["warp_drive"], "first_year": 2025, "last_year": 2026, "capex_share": 0.5}]))
case("33-missing-catalogue-folder", ["not found", "vehicles_catalogue"], s(vehicles_catalogue="../data/no_such_catalogue"))
case("34-fleet-file-missing", ["file not found"], s(fleet="no_such_fleet.csv"))
case("35-fleet-file-is-directory", ["is a folder"], s(fleet="."))
case("36-unknown-currency", ["currency", "exchange rate"], s(currency="XYZ"))
case("37-lowercase-currency", ["currency", "three capital letters"], s(currency="usd"))
case("38-unknown-region", ["region", "no fuel prices"], s(region="atlantis"))
case("39-share-of-base-without-base", ["share_of_base needs exactly one"],
     setp("policy.emission_cap", {"share_of_base": {2026: 0.5}}))
case("40-cap-both-forms", ["exactly one of tco2e"], setp("policy.emission_cap", {"tco2e": {2026: 5}, "share_of_base": {2026: 0.5}, "base_year": 2025}))
case("41-duty-bands-not-one", ["duty_bands", "add up to"],
     setp("demand.van.duty_bands", [{"daily_activity_au": 50, "share": 0.5}, {"daily_activity_au": 100, "share": 0.2}]))
case("42-locked-cohort-not-in-fleet", ["locked_cohorts[0]", "no fleet cohort"],
     setp("policy.locked_cohorts", [{"segment": "van", "technology": "bev", "model_year": 2019, "until_year": 2026}]))
case("43-unknown-infrastructure", ["infrastructure.options", "tesla_tower"], setp("infrastructure.options", ["tesla_tower"]))
case("44-solver-unknown", ["solver.name"], setp("solver.name", "gurobi"))
case("45-empty-demand", ["demand"], s(demand={}))
case("46-missing-required-keys", ["currency", "add this key"], delete("currency"))
case("47-yaml-python-tag", ["not valid YAML"], text="name: !!python/object/apply:os.system ['echo pwned']\n")
case("48-variant-unknown", None)  # tested with --variant in the test itself
case("49-purchase-window-unknown-tech", ["purchase_windows[0]", "teleporter"],
     setp("policy.purchase_windows", [{"technology": "teleporter", "first_year": 2026}]))
case("50-price-multiplier-negative", ["price_multipliers", "greater than or equal"],
     setp("fuels.price_multipliers", {"diesel": -1}))
# hardening: hostile or absurd input (each refused before solving, without a traceback)
case("51-duplicate-key", ["emission_cap", "appears twice"],
     text="name: x\nhorizon_first_year: 2025\nhorizon_last_year: 2027\ncurrency: USD\nprice_base_year: 2025\n"
          "discount_rate: 0.05\nregion: testland\nvehicles_catalogue: ../data/tiny/vehicles\n"
          "fuels_catalogue: ../data/tiny/fuels\ndemand: {van: {annual_activity_au: 100000}}\n"
          "policy:\n  emission_cap: {tco2e: {2026: 5}}\n  emission_cap: null\n")
case("52-sexagesimal-number", ["discount_rate"], s(discount_rate="0:05"))
case("53-alias-bomb", ["not valid YAML", "aliases"],
     text="a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "\n".join(
         f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 10) + "]" for i in range(9)) + "\n")
case("54-deep-nesting", ["not valid YAML", "nested"], text="name: " + "[" * 500 + "]" * 500 + "\n")
case("55-control-character-name", ["name", "control character"], s(name="fleet \x0b plan"))
case("56-escape-sequence-description", ["description", "control character"], s(description="\x1b]0;pwned\x07"))
case("57-absurd-activity", ["annual_activity_au", "not a fleet"], setp("demand.van.annual_activity_au", 1e300))
case("58-absurd-fleet", ["count", "less than or equal"],
     s(fleet=[{"segment": "van", "technology": "diesel", "model_year": 2020, "count": 50_000_000}]))
case("59-empty-cap", ["emission_cap", "no milestone years"], setp("policy.emission_cap", {"tco2e": {}}))
case("60-formula-in-name-too-long", ["name"], s(name="=" + "A" * 300))
case("61-huge-cell-in-fleet-csv", ["fleet", "more characters"],
     fleet_csv="segment,technology,model_year,count\nvan,diesel,2020," + "9" * 20_000 + "\n")
case("62-million-bad-rows", ["more problem(s) in later rows"],
     fleet_csv="segment,technology,model_year,count\n" + "van,diesel,20x0,1\n" * 20_000)
(here / "expected.json").write_text(json.dumps(cases, indent=1, sort_keys=True) + "\n")
print(len(cases))
