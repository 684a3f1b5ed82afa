"""Cruise plans for the cruise tests, built from the shipped scenarios (their numbers and sources live there)."""

from __future__ import annotations

import dataclasses

from areo.cruise import CruisePlan
from areo.mission.replay import cruise_plan
from areo.mission.scenario import load_scenario


def exomars2016_plan(**overrides) -> CruisePlan:
    """ExoMars 2016 as flown (src/areo/scenarios/exomars2016.toml); keyword arguments override fields. A plan with
    overrides flies the segment sequence its fields imply (the scenario's explicit ``sequence`` names the flown
    one: removing the TCMs or the lander would contradict it)."""
    plan = cruise_plan(load_scenario("exomars2016"))
    if overrides:
        overrides.setdefault("sequence", ())
    return dataclasses.replace(plan, **overrides)
