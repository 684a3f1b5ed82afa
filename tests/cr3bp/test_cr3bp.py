"""CR3BP kernels against outside authorities: a peer's Lagrange-point test, JPL's periodic-orbit catalogue, and
invariants (equilibria, Jacobi constant, periodicity, frame round trips). Tolerances in normalised units are
converted to km where it helps (Earth-Moon: 1 unit = 384 400 km; Sun-Earth: 1 au)."""

import numpy as np
import pytest
from typer.testing import CliRunner

from areo.cli import app
from areo.cr3bp import api
from areo.cr3bp.dynamics import SUN_EARTH, accel, jacobi, lagrange_points, propagate
from areo.cr3bp.family import correct_batch
from areo.cr3bp.halo import DIVERGED, OK, correct, halo_from_az
from areo.errors import InputError
from tests.units import KM

# jared711/ThreeBodyProblem.jl, test/utils_tests.jl: mu = 4902 / (398600 + 4902), findL1/findL2/findL3/findL4.
PEER_MU = 4902.0 / (398600.0 + 4902.0)
PEER_L = {
    1: (0.8369247061700067, 0.0),
    2: (1.1556746768583537, 0.0),
    3: (-1.005061834632099, 0.0),
    4: (0.48785136133154233, 0.8660254037844386),
    5: (0.48785136133154233, -0.8660254037844386),
}

# JPL Three-Body Periodic Orbits catalogue (ssd.jpl.nasa.gov/tools/periodic_orbits.html), Earth-Moon L2 northern
# halo family, mu = 1.215058560962404e-2, as quoted in the public MATLAB script "Plotting the halo families for
# the CR3BP" (P. de la Hogue Moran, 2024, GitHub): (x0, z0, vy0, period) of members 5, 13, 21, 31.
JPL_MU = 1.215058560962404e-2
JPL_EML2 = [
    (1.1784496916179399, 4.8140435768697247e-2, -1.6797405042301869e-1, 3.3963805494683674),
    (1.1599142517039056, 1.2493104137908298e-1, -2.0877759243379301e-1, 3.2683796978298347),
    (1.1427323976670050, 1.5915200933380999e-1, -2.2233902828510901e-1, 3.1327035113287223),
    (1.1098928777210029, 1.9429272244184692e-1, -2.2138261166524692e-1, 2.7707861925069994),
]
EM_KM = 389_703.0  # the catalogue's length unit


def test_lagrange_points_match_peer_to_1e10():
    pts = lagrange_points(PEER_MU)
    for i, (x, y) in PEER_L.items():
        assert abs(pts[i - 1, 0] - x) < 1e-10
        assert abs(pts[i - 1, 1] - y) < 1e-10


@pytest.mark.parametrize("mu", [PEER_MU, SUN_EARTH.mu, 0.3])
def test_lagrange_points_are_equilibria(mu):
    for p in lagrange_points(mu):
        assert np.max(np.abs(accel(np.r_[p, 0.0, 0.0, 0.0], mu))) < 1e-13


@pytest.mark.parametrize("member", range(len(JPL_EML2)))
def test_reference_corrector_reproduces_jpl_catalogue(member):
    x0, z0, vy0, period = JPL_EML2[member]
    guess = np.array([x0 + 2e-3, 0.0, z0, 0.0, vy0 - 2e-3, 0.0])  # ~800 km and ~2 m/s off
    h = correct(JPL_MU, 2, guess, 0.5 * period * 1.01)
    assert h.status == OK
    assert abs(h.state0[0] - x0) * EM_KM * KM < 1.0 * KM
    assert abs(h.state0[4] - vy0) < 1e-8
    assert abs(h.period - period) < 1e-8


def test_batched_kernel_reproduces_jpl_catalogue():
    x0, z0, vy0, period = (np.array(c) for c in zip(*JPL_EML2, strict=True))
    x, vy, per, status, _, _ = correct_batch(JPL_MU, x0 + 1e-3, z0, vy0 - 1e-3, 0.5 * period * 1.01, steps=1500)
    assert np.all(status == OK)
    assert np.max(np.abs(x - x0)) * EM_KM * KM < 1.0 * KM
    assert np.max(np.abs(vy - vy0)) < 1e-7
    assert np.max(np.abs(per - period)) < 1e-7


def test_batched_kernel_flags_bad_members_instead_of_nan():
    _, _, _, status, _, _ = correct_batch(SUN_EARTH.mu, [np.nan, 1.0083], [1e-3, 1e-3], [0.01, 0.0103], [1.5, 1.55])
    assert status[0] == DIVERGED
    assert status[1] == OK


def test_sun_earth_halo_is_periodic_and_conserves_jacobi():
    h = halo_from_az(SUN_EARTH.mu, 2, 300_000e3 / SUN_EARTH.length_m)
    assert h.status == OK
    sol = propagate(h.state0, h.period, SUN_EARTH.mu, dense=True)
    c = jacobi(sol.sol(np.linspace(0.0, h.period, 50)).T, SUN_EARTH.mu)
    assert np.ptp(c) < 1e-12
    back = sol.sol(h.period)
    assert np.linalg.norm(back[:3] - h.state0[:3]) * SUN_EARTH.length_m < 10 * KM
    # period of Sun-Earth L2 halos: ~178-180 days (Farquhar; every L2 mission's "six-month" halo)
    assert 175.0 < h.period * SUN_EARTH.time_s / 86400.0 < 182.0


def test_halo_api_hits_requested_amplitude_and_is_unstable():
    h = api.halo(400_000)
    assert abs(h["amplitude_z_km"] - 400_000) * KM < 1.0 * KM
    assert h["stability_indices"][0] > 1.0  # halos about L2 are unstable (Howell 1984)


def test_family_rows_have_status_and_no_nan():
    rows = api.halo_family(100_000, 700_000, 20)
    assert {r["status"] for r in rows} == {"converged"}
    assert all(np.isfinite(r["period_d"]) for r in rows)


def test_amplitude_outside_family_is_one_clear_error():
    with pytest.raises(InputError, match="no convergent halo"):
        api.halo(2_000_000)
    res = CliRunner().invoke(app, ["halo", "--az-km", "2000000"])
    assert res.exit_code == 2
    assert "no convergent halo" in res.output and "Traceback" not in res.output


def test_transfer_reaches_parking_orbit():
    tr = api.transfer(400_000, 200.0)
    assert abs(tr["perigee_radius_km"] - 6578.137) * KM < 1.0 * KM
    # Spektr-RG's transfer took ~100 days (Roscosmos, 2019-10-21)
    assert 60.0 < tr["tof_d"] < 200.0
    # escape from a 200 km orbit to Sun-Earth L2: C3 slightly below zero (areo/launch/launchers.toml: ~ -0.7)
    assert -1.0 < tr["c3_km2_s2"] < 0.0


def test_lissajous_is_one_ballistic_trajectory():
    # continuity from multiple shooting: a ballistic CR3BP trajectory has one Jacobi constant at every node
    lj = api.lissajous(300_000, 200_000)
    assert lj["defect_km"] * KM < 1.0 * KM
    assert lj["jacobi_spread"] < 1e-11
    # the linear guess's amplitudes survive the correction within 20 % (Richardson 1980, linear theory)
    assert abs(lj["amplitude_y_km"] / 300_000 - 1) < 0.2
    assert abs(lj["amplitude_z_km"] / 200_000 - 1) < 0.2


def test_stable_manifold_reaches_earth_and_keeps_jacobi():
    rows = api.manifolds(400_000, n=12, days=200)
    c_orbit = api.halo(400_000)["jacobi"]
    assert all(r["jacobi_spread"] < 1e-10 for r in rows)  # each trajectory is ballistic
    assert all(abs(r["jacobi"] - c_orbit) < 1e-6 for r in rows)  # and starts next to the orbit
    # the transfer relies on it: some branch passes well inside lunar distance (direct L2 transfers, e.g. SRG)
    assert min(r["closest_approach_km"] for r in rows) < 100_000


def test_cli_json_is_pure_and_out_file_matches(tmp_path):
    import json

    out = tmp_path / "halo.json"
    res = CliRunner().invoke(app, ["halo", "--az-km", "300000", "--json", "--out", str(out)])
    assert res.exit_code == 0
    assert json.loads(res.stdout) == json.loads(out.read_text())
