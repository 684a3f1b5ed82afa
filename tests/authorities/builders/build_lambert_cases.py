"""Build lambert_cases.npz: random single-revolution prograde Lambert problems solved by pykep 3.0.1.

Run: python tests/authorities/builders/build_lambert_cases.py [--n 20000] [--out PATH]
(the opt-in full set: --n 100000 --out DIR/lambert_cases.npz, then AREO_FULL_AUTHORITIES=DIR).
"""

from __future__ import annotations

import numpy as np
from _common import MU_SUN_KM3_S2, finish, import_pykep, parse_args, random_problems

SEED = 20160314


def main() -> None:
    args = parse_args(__doc__, "lambert_cases.npz", default_n=20000)
    pk = import_pykep()
    rng = np.random.default_rng(SEED)
    r1, r2, tof = random_problems(rng, args.n, (50.0, 500.0), prograde_only=True)
    v1 = np.empty_like(r1)
    v2 = np.empty_like(r2)
    for k in range(args.n):
        lp = pk.lambert_problem(r1[k].tolist(), r2[k].tolist(), float(tof[k]), MU_SUN_KM3_S2, False, 0)
        v1[k], v2[k] = lp.v0[0], lp.v1[0]
    finish(
        args.out,
        r1_km=r1,
        r2_km=r2,
        tof_s=tof,
        mu_km3s2=np.float64(MU_SUN_KM3_S2),
        v1_kms=v1,
        v2_kms=v2,
        seed=np.int64(SEED),
        description=np.str_(
            f"{args.n} random single-rev (M=0, prograde: h_z>0) Lambert problems, heliocentric km, s. |r| in "
            "U(0.7,1.7) AU (AU=149597870.7 km), isotropic directions, tof U(50,500) d; transfer angle in (2,178) "
            "deg, |h_z|/|h|>0.01. v1_kms/v2_kms from pykep 3.0.1 lambert_problem(r1, r2, tof, mu, cw=False, "
            "multi_revs=0).v0[0]/v1[0]. Built by tests/authorities/builders/build_lambert_cases.py."
        ),
        tool=np.str_(f"pykep {pk.__version__}, numpy {np.__version__}"),
    )


if __name__ == "__main__":
    main()
