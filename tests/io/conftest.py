"""Small trajectories flown with areo's propagator for the file-format tests (seconds, not a replay).

``helio``: Sun + Earth + Mars gravity, 200 days of cruise from 1 AU with a 50 m/s impulsive manoeuvre at day 90
(a velocity break the OEM must segment at). ``mars_orbit``: a Mars-centred 250 x 98,000 km capture orbit (the
ExoMars 2016 TGO figures, ESA 2016-10-20) flown for 5 days through one periapsis at ~5 km/s, the fastest
dynamics an areo OEM has to carry.
"""

import numpy as np
import pytest

from areo import constants as K
from areo.cruise.forces import ForceModel
from areo.cruise.maneuvers import ImpulsiveBurn
from areo.cruise.propagate import SpacecraftState, propagate

T0 = 5.2e8  # 2016-06-24 TDB
DAY = 86400.0


@pytest.fixture(scope="session")
def helio():
    forces = ForceModel.for_span(T0 - DAY, T0 + 201 * DAY, bodies=("sun", "earth", "mars"))
    r0 = np.array([K.AU, 0.0, 0.0])
    v0 = np.array([0.0, 31.5e3, 1.0e3])  # a little faster than circular: an ellipse towards Mars
    burn = ImpulsiveBurn(T0 + 90 * DAY, np.array([30.0, 40.0, 0.0]), name="tcm")
    arc = propagate(SpacecraftState(T0, r0, v0, 1000.0, "sun"), T0 + 200 * DAY, forces, [burn], switch_origin=False)
    return arc, forces, burn


@pytest.fixture(scope="session")
def mars_orbit():
    forces = ForceModel.for_span(T0 - DAY, T0 + 6 * DAY, bodies=("sun", "mars"))
    mu = float(K.GM_MARS)
    rp = float(K.R_MARS_EQ) + 250e3
    ra = float(K.R_MARS_EQ) + 98_000e3
    a = 0.5 * (rp + ra)
    va = np.sqrt(mu * (2 / ra - 1 / a))
    state = SpacecraftState(T0, np.array([-ra, 0.0, 0.0]), np.array([0.0, -va * 0.9, va * 0.4359]), 1000.0, "mars")
    arc = propagate(state, T0 + 5 * DAY, forces, switch_origin=False, stop_at_impact=False)
    return arc, forces
