"""Cruise plans for the cruise tests, built from the shipped scenarios (their numbers and sources live there)."""

from __future__ import annotations

import dataclasses

from areo.cruise import CruisePlan
from areo.mission.replay import cruise_plan
from areo.mission.scenario import load_scenario


def exomars2016_plan(**overrides) -> CruisePlan:
    """ExoMars 2016 as flown (src/areo/scenarios/exomars2016.toml); keyword arguments override fields."""
    return dataclasses.replace(cruise_plan(load_scenario("exomars2016")), **overrides)
