"""Financing (loans, ESCO contracts, leases), each rule with a tiny case computed by hand.

The tiny van (tests/data/tiny, see test_model_tiny.py): diesel 10,000 USD, BEV 20,000 USD, 10,000 km a
year; fuel 2,000 USD (diesel) or 720 USD (BEV) per van-year; value falling 10 % of the price a
year; 10 vans needed. Options in tests/data/tiny/vehicles/financing.csv: loan_test (10 %, 3 years,
20 % down), esco_test (10 % required return, 3 years, 10 % margin), lease_test (30 % of the price a
year, 2 years, returned).
"""

from __future__ import annotations

import pytest

from fleet_planner.exceptions import ScenarioError
from fleet_planner.loading import load_and_check
from fleet_planner.optimisation.coefficients.financing import capital_recovery
from fleet_planner.pipeline import optimise

ONE_YEAR = ("fleet=[]", "horizon_last_year=2025")
NO_MONEY_DOWN = "financing.upfront_max=0"
CRF_10_3 = 0.1 / (1 - 1.1 ** -3)  # 0.40211...: the yearly payment that repays 1 over 3 years at 10 %


def bought(result, technology: str) -> float:
    p = result.tables["purchases"]
    return float(p.loc[p["technology"] == technology, "purchases_count"].sum())


def cost_of(result, category: str) -> float:
    costs = result.tables["costs"]
    return float(costs.loc[costs["category"] == category, "cost"].sum())


def test_annuity_payment_by_hand():
    # 1 over 3 years at 10 %: x (1/1.1 + 1/1.21 + 1/1.331) = 1 -> x = 1 / 2.48685 = 0.402115
    assert capital_recovery(0.1, 3) == pytest.approx(1 / (1 / 1.1 + 1 / 1.21 + 1 / 1.331), rel=1e-12)
    assert capital_recovery(0.0, 4) == 0.25


def test_a_loan_at_the_owners_discount_rate_costs_what_cash_costs(plan_tiny):
    # cash: 10 diesel vans in 2025 (100,000; at 10 % the BEV's dearer price does not pay back in 3
    # years). With no money down, the same vans on a 0 %-down loan at 10 %, the owner's own rate:
    # 3 payments of 100,000 x 0.402115 = 40,211, worth 100,000 in 2025.
    base = ("fleet=[]", "discount_rate=0.1")
    cash = plan_tiny(*base)
    loan = plan_tiny(*base, "financing.offers=[loan_test]", "financing.terms={loan_test: {down_payment_share: 0}}",
                     NO_MONEY_DOWN)
    assert bought(loan, "diesel") == bought(cash, "diesel") == 10
    assert loan.evaluation.npv_cost == pytest.approx(cash.evaluation.npv_cost, rel=1e-9)
    contracts = loan.tables["financing"]
    assert contracts["financed_cost"].sum() == pytest.approx(100_000)
    assert contracts["yearly_payment_cost"].sum() == pytest.approx(100_000 * CRF_10_3)
    flows = loan.tables["cash_flows"].set_index("year")
    assert flows.loc[2025, "upfront_cost"] == pytest.approx(0, abs=1e-6)
    assert flows.loc[[2025, 2026, 2027], "loan_payments_cost"].tolist() == pytest.approx([100_000 * CRF_10_3] * 3)


def test_a_dearer_loan_is_used_only_when_cash_is_short(plan_tiny):
    # at 10 % with the owner at 0 %, the loan costs 0.2 + 0.8 x 3 x 0.402115 - 1 = 16.5 % more: cash wins
    free = plan_tiny(*ONE_YEAR, "financing.offers=[loan_test]")
    assert free.tables["financing"].empty
    # with at most 40,000 up front the 10 diesel vans (100,000) need F >= 75,000 of loan
    # (100,000 - 0.8 F <= 40,000), and the loan costs more, so exactly 75,000:
    # 30,000 (cash plan) + 75,000 x 0.165 extra
    short = plan_tiny(*ONE_YEAR, "financing.offers=[loan_test]", "financing.upfront_max=40000")
    assert bought(short, "diesel") == 10
    assert short.tables["financing"]["financed_cost"].sum() == pytest.approx(75_000)
    assert short.tables["cash_flows"].set_index("year").loc[2025, "upfront_cost"] == pytest.approx(40_000)
    extra = 0.2 + 0.8 * 3 * CRF_10_3 - 1
    assert short.evaluation.npv_cost == pytest.approx(30_000 + 75_000 * extra, rel=1e-9)


def test_no_money_down_picks_a_financed_mode(plan_tiny):
    # ESCO only: it pays 110 % of the price back over 3 years at 10 %. Diesel: 3 x 110,000 x 0.402115
    # = 132,698 + 20,000 fuel - 90,000 value = 62,698; BEV: 265,396 + 7,200 - 180,000 = 92,596 -> diesel
    result = plan_tiny(*ONE_YEAR, "financing.offers=[esco_test]", NO_MONEY_DOWN)
    assert bought(result, "diesel") == 10
    assert result.evaluation.npv_cost == pytest.approx(3 * 110_000 * CRF_10_3 + 20_000 - 90_000, rel=1e-9)
    flows = result.tables["cash_flows"].set_index("year")
    assert flows.loc[2025, "upfront_cost"] == pytest.approx(0, abs=1e-6)
    assert flows.loc[2025, "esco_fees_cost"] == pytest.approx(110_000 * CRF_10_3)
    assert flows.loc[2026, "esco_fees_cost"] == pytest.approx(2 * 110_000 * CRF_10_3)  # paid after the horizon


def test_an_esco_fee_is_lowered_by_a_grant(plan_tiny):
    # a 50 % BEV grant goes to the ESCO: it finances 10 x 10,000 and the fee halves to 44,233 a year
    # (100,000 x 1.1 x 0.402115).
    # BEV: 132,698 fees + 7,200 energy - 90,000 value (180,000 less the grant's share, which the
    # value left falls by: docs/model.md, Subsidies) = 49,898, below diesel's 62,698.
    grant = "subsidies=[{name: grant, technologies: [bev], first_year: 2025, last_year: 2025, capex_share: 0.5}]"
    result = plan_tiny(*ONE_YEAR, "financing.offers=[esco_test]", NO_MONEY_DOWN, grant)
    assert bought(result, "bev") == 10
    contracts = result.tables["financing"]
    assert contracts["financed_cost"].sum() == pytest.approx(100_000)
    assert contracts["yearly_payment_cost"].sum() == pytest.approx(100_000 * 1.1 * CRF_10_3)
    assert result.evaluation.npv_cost == pytest.approx(3 * 110_000 * CRF_10_3 + 7_200 - 90_000, rel=1e-9)


def test_a_returned_lease_has_no_resale_and_is_replaced(plan_tiny):
    # leases only, no money down: diesel 3,000 a year + 2,000 fuel beats BEV 6,000 + 720. 2025: 10 vans
    # on a 2-year lease, returned at the start of 2027 and leased again: 3 x 30,000 + 3 x 20,000 fuel,
    # and nothing is valued at the end (the 2027 vans belong to the lessor).
    result = plan_tiny("fleet=[]", "financing.offers=[lease_test]", NO_MONEY_DOWN)
    assert result.evaluation.npv_cost == pytest.approx(150_000, rel=1e-9)
    leases = result.tables["financing"]
    assert leases.set_index("year")["count"].to_dict() == {2025: 10, 2027: 10}
    assert cost_of(result, "lease") == pytest.approx(90_000)
    assert cost_of(result, "capex") == pytest.approx(0, abs=1e-6)  # the lessor buys the vans
    assert cost_of(result, "resale") == cost_of(result, "residual_value") == 0
    assert result.tables["sales"]["sales_count"].sum() == 0
    # the 2027 lease's second payment falls after the horizon: listed, not costed
    flows = result.tables["cash_flows"].set_index("year")
    assert flows.loc[2028, "lease_payments_cost"] == pytest.approx(30_000)
    assert leases["implied_return_share"].isna().all()  # returned: the lessor's residual is unknown


def test_a_transfer_lease_implies_the_lessors_return():
    from fleet_planner.accounts.financing import implied_return

    # 14.2 % of the price a year, in advance, for 10 years, then the bus is the client's: i = 8.8 %
    i = implied_return(1.0, 0.142, 10, in_advance=True)
    assert sum(0.142 * (1 + i) ** -k for k in range(10)) == pytest.approx(1.0)
    assert 0.087 < i < 0.089


def test_upfront_max_is_checked_by_the_evaluator(tiny):
    from fleet_planner.accounts import evaluate_plan

    scenario = tiny(*ONE_YEAR, "financing.offers=[esco_test]", NO_MONEY_DOWN)
    result = optimise(scenario)
    decisions = result.decisions
    decisions.financing = decisions.financing.iloc[0:0]  # pay the vans in cash instead
    catalogue, _ = load_and_check(scenario)
    evaluation = evaluate_plan(scenario, catalogue, decisions)
    broken = [v for v in evaluation.violations if v.rule == "upfront_max"]
    assert broken and broken[0].year == 2025


@pytest.mark.parametrize(("overrides", "needle"), [
    (("financing.offers=[loan_tset]",), "unknown option 'loan_tset'"),
    (("financing.offers=[loan_test]", "financing.terms={loan_test: {rate_share_per_year: -0.05}}"),
     "rate_share_per_year"),
    (("financing.offers=[loan_test]", "financing.terms={loan_test: {tenor_years: 12}}"),
     "longer than the 10-year life"),
    (("financing.offers=[lease_test]", "financing.terms={lease_test: {buyout_share: 1.5}}"), "buyout_share"),
    (("financing.terms={esco_test: {tenor_years: 2}}",), "not in financing.offers"),
])
def test_bad_financing_is_refused_with_the_field_and_fix(tiny, overrides, needle):
    with pytest.raises(ScenarioError) as caught:
        load_and_check(tiny(*overrides))
    assert needle in str(caught.value)


def test_the_esco_implied_return_includes_its_margin(plan_tiny):
    # 100,000 financed at 10 % with a 10 % margin: 3 x 44,233 a year is worth 100,000 at i where
    # 44,233 x (1 - (1 + i)^-3) / i = 100,000 -> i = 15.6 % (at 15.6 % the sum is 99,997)
    result = plan_tiny(*ONE_YEAR, "financing.offers=[esco_test]", NO_MONEY_DOWN)
    row = result.tables["financing"].iloc[0]
    i = row["implied_return_share"]
    assert sum(row["yearly_payment_cost"] * (1 + i) ** -k for k in (1, 2, 3)) == pytest.approx(row["financed_cost"])
    assert 0.15 < i < 0.16
    # the owner's discount rate is 0: the contract costs it 3 x 44,233 - 100,000 more than cash
    assert row["extra_npv_cost"] == pytest.approx(3 * 110_000 * CRF_10_3 - 100_000)


# -- the report's financing section, in a headless browser -------------------------------------------

@pytest.fixture(scope="module")
def financed_reports(tmp_path_factory):
    """A 3-year tiny plan with no money down, paid by ESCO contracts and leases, reported in every
    language: lang -> folder."""
    from conftest import TINY

    from fleet_planner.loading.scenario import load_scenario
    from fleet_planner.reporting import report

    result = optimise(load_scenario(TINY, overrides=["fleet=[]", "financing.offers=[esco_test, lease_test]",
                                                     NO_MONEY_DOWN]))
    assert not result.tables["financing"].empty
    folders = {}
    for lang in ("en", "es", "ja"):
        folder = tmp_path_factory.mktemp(f"financed_{lang}")
        report.write_report(result.tables, result.scenario, result.catalogue, folder, lang=lang, log=lambda _m: None)
        folders[lang] = folder
    return folders


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "words"), [("en", ("How the plan is paid", "Implied return")),
                                             ("es", ("Cómo se paga el plan", "Rentabilidad implícita")),
                                             ("ja", ("計画の支払方法", "暗黙の利回り"))])
def test_the_financing_section_renders_in_every_language(financed_reports, lang, words, tmp_path):
    import re

    from test_report import run_browser

    from fleet_planner.reporting.report import REPORT_HTML, output_name

    page = financed_reports[lang] / output_name(REPORT_HTML, lang)
    done = run_browser(["--dump-dom", page.as_uri()], tmp_path / "profile")
    dom = done.stdout
    assert re.search(r'data-js-errors="0"', dom), done.stderr[-2000:]
    section = dom.split('<section id="financing">', 1)[1].split("</section>", 1)[0]
    for word in words:
        assert word in section
    chart = section.split('id="chart-cash_flows"', 1)[1][:20_000]
    assert 'class="main-svg"' in chart
    assert "{" not in re.sub(r"<[^>]+>|<script.*?</script>", "", section.split("<figure", 1)[0])  # no raw placeholder


def test_a_leased_vehicle_claims_no_purchase_grant(plan_tiny):
    # a 90 % BEV grant, but every van must be leased (no money down, leases only): the lessor's vans
    # claim nothing, so diesel (3,000 + 2,000 a year) still beats BEV (6,000 + 720)
    grant = "subsidies=[{name: grant, technologies: [bev], first_year: 2025, last_year: 2025, capex_share: 0.9}]"
    result = plan_tiny(*ONE_YEAR, "financing.offers=[lease_test]", NO_MONEY_DOWN, grant)
    assert bought(result, "diesel") == 10
    assert result.tables["subsidies"].empty or result.tables["subsidies"]["subsidy_cost"].sum() == 0
    assert result.evaluation.npv_cost == pytest.approx(50_000, rel=1e-9)
