"""Build porkchop_2016.npz: the Earth -> Mars 2016 porkchop from DE421 (jplephem) and pykep 3.0.1's Lambert solver.

Run: python tests/authorities/builders/build_porkchop_2016.py [--out PATH]
Needs pykep 3.0.1, jplephem and skyfield-data (for de421.bsp).
"""

from __future__ import annotations

from importlib.metadata import version as _version

import numpy as np
from _common import DAY_S, MU_SUN_KM3_S2, finish, import_pykep, parse_args

N = 200
DEP_JD = (2457388.5, 2457569.5)  # 2016-01-01 .. 2016-06-30, 00:00 TDB
ARR_JD = (2457601.5, 2457843.5)  # 2016-08-01 .. 2017-03-31, 00:00 TDB
OBLIQUITY_RAD = 84381.406 / 3600.0 * np.pi / 180.0  # IAU 2006 mean obliquity at J2000


def heliocentric_ecliptic(kernel, naif: int, jd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sun-centred ecliptic-J2000 position (km) and velocity (km/s) of Earth (399) or Mars (499) from DE421."""
    bary = naif // 100
    pos, vel = kernel[0, bary].compute_and_differentiate(jd)
    p2, v2 = kernel[bary, naif].compute_and_differentiate(jd)
    ps, vs = kernel[0, 10].compute_and_differentiate(jd)
    r, v = (pos + p2 - ps).T, (vel + v2 - vs).T / DAY_S
    c, s = np.cos(OBLIQUITY_RAD), np.sin(OBLIQUITY_RAD)
    rot = np.array([[1, 0, 0], [0, c, s], [0, -s, c]])
    return r @ rot.T, v @ rot.T


def _print_known_figures(pk, kernel, c3: np.ndarray, dep: np.ndarray, arr: np.ndarray) -> None:
    """The figures README.md quotes: ExoMars 2016's dates (00:00 TDB) and the grid minimum."""
    d, a = np.array([2457461.5]), np.array([2457680.5])  # 2016-03-14, 2016-10-19
    (r1,), (v1,) = heliocentric_ecliptic(kernel, 399, d)
    (r2,), (v2,) = heliocentric_ecliptic(kernel, 499, a)
    lp = pk.lambert_problem(r1.tolist(), r2.tolist(), float(a[0] - d[0]) * DAY_S, MU_SUN_KM3_S2, False, 0)
    dv1, dv2 = np.array(lp.v0[0]) - v1, np.array(lp.v1[0]) - v2
    print(f"2016-03-14 -> 2016-10-19: C3 {dv1 @ dv1:.4f} km2/s2, v-inf {np.linalg.norm(dv1):.5f} / ", end="")
    print(f"{np.linalg.norm(dv2):.5f} km/s")
    i, j = np.unravel_index(int(np.argmin(c3)), c3.shape)
    print(f"grid minimum C3 {c3[i, j]:.4f} km2/s2 at JD {dep[i]:.3f} -> {arr[j]:.3f} (TDB)")


def main() -> None:
    args = parse_args(__doc__, "porkchop_2016.npz")
    pk = import_pykep()
    import jplephem
    from jplephem.spk import SPK
    from skyfield_data import get_skyfield_data_path

    dep = np.linspace(*DEP_JD, N)
    arr = np.linspace(*ARR_JD, N)
    kernel = SPK.open(f"{get_skyfield_data_path()}/de421.bsp")
    r_e, v_e = heliocentric_ecliptic(kernel, 399, dep)
    r_m, v_m = heliocentric_ecliptic(kernel, 499, arr)
    c3 = np.empty((N, N))
    vinf_dep = np.empty((N, N))
    vinf_arr = np.empty((N, N))
    for i in range(N):
        for j in range(N):
            tof = (arr[j] - dep[i]) * DAY_S
            lp = pk.lambert_problem(r_e[i].tolist(), r_m[j].tolist(), tof, MU_SUN_KM3_S2, False, 0)
            dv1 = np.array(lp.v0[0]) - v_e[i]
            dv2 = np.array(lp.v1[0]) - v_m[j]
            c3[i, j] = dv1 @ dv1
            vinf_dep[i, j] = np.sqrt(dv1 @ dv1)
            vinf_arr[i, j] = np.sqrt(dv2 @ dv2)
    _print_known_figures(pk, kernel, c3, dep, arr)
    finish(
        args.out,
        dep_jd_tdb=dep,
        arr_jd_tdb=arr,
        c3_km2s2=c3,
        vinf_dep_kms=vinf_dep,
        vinf_arr_kms=vinf_arr,
        mu_km3s2=np.float64(MU_SUN_KM3_S2),
        description=np.str_(
            "Earth->Mars 2016 porkchop, DE421, heliocentric ecliptic J2000 (IAU 2006 obliquity), M=0 prograde, "
            "pykep 3.0.1 lambert_problem. Arrays indexed [i_dep, j_arr]; dates 00:00 TDB np.linspace(2016-01-01, "
            "2016-06-30, 200) x np.linspace(2016-08-01, 2017-03-31, 200). Earth=399 (not EMB), Mars=499 (not "
            "barycenter). Built by tests/authorities/builders/build_porkchop_2016.py."
        ),
        tool=np.str_(
            f"pykep {pk.__version__}, jplephem {jplephem.__version__}, DE421 from skyfield-data {_version('skyfield-data')}"
        ),
    )


if __name__ == "__main__":
    main()
