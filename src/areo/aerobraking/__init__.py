"""Aerobraking: tabulated atmospheres, drag passes, corridor control and campaigns (nominal and Monte Carlo).

Kernels (:mod:`.kernel`) are numpy in SI units, batched over runs with per-run status codes; the user layer
(:mod:`.api`) reads a scenario's ``[aerobraking]`` table. Domain package: it imports no other domain.
"""

from .api import CampaignResult, load, parse, plan_of, run_montecarlo, run_nominal
from .atmosphere import AtmosphereTable, DensityDispersion, load_table

__all__ = [
    "AtmosphereTable",
    "CampaignResult",
    "DensityDispersion",
    "load",
    "load_table",
    "parse",
    "plan_of",
    "run_montecarlo",
    "run_nominal",
]
