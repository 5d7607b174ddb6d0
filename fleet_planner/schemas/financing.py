"""How a scenario pays for what the plan buys: the financing options it offers (vehicles/financing.csv)
and the limits on up-front spending."""

from __future__ import annotations

from pydantic import Field

from fleet_planner.schemas._base import FrozenModel, Id, Share
from fleet_planner.schemas.series import Series


class FinancingTerms(FrozenModel):
    """A scenario's own terms for a catalogue option (each omitted term keeps the catalogue's)."""

    rate_share_per_year: float | None = Field(default=None, ge=0.0, le=1.0)
    tenor_years: int | None = Field(default=None, ge=1, le=40)
    down_payment_share: Share | None = None
    margin_share: float | None = Field(default=None, ge=0.0, le=2.0)
    payment_share_per_year: float | None = Field(default=None, gt=0.0, le=1.0)
    buyout_share: Share | None = None


class FinancingSettings(FrozenModel):
    """Financing the plan may choose from, besides cash."""

    offers: list[Id] = []
    """Options of vehicles/financing.csv the plan may use (empty: cash only)."""
    terms: dict[Id, FinancingTerms] = {}
    """Per offered option, terms that replace the catalogue's (e.g. a negotiated rate)."""
    upfront_max: Series | None = None
    """Most the owner may pay up front per year: cash purchases, conversions and infrastructure,
    and down payments, net of grants. 0 = no money down. [scenario currency/a]"""
