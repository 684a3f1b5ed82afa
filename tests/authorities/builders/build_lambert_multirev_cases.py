"""Build lambert_multirev_cases.npz: multi-revolution Lambert problems (both branches) solved by pykep 3.0.1.

Run: python tests/authorities/builders/build_lambert_multirev_cases.py [--n 5000] [--out PATH]
"""

from __future__ import annotations

import numpy as np
from _common import MU_SUN_KM3_S2, finish, import_pykep, parse_args, random_problems

SEED = 11


def main() -> None:
    args = parse_args(__doc__, "lambert_multirev_cases.npz", default_n=5000)
    pk = import_pykep()
    rng = np.random.default_rng(SEED)
    r1, r2, tof = random_problems(rng, args.n, (200.0, 2000.0), prograde_only=False)
    clockwise = rng.uniform(size=args.n) < 0.2
    max_revs = rng.integers(0, 4, args.n)
    case, revs, branch, v1, v2 = [], [], [], [], []
    for k in range(args.n):
        lp = pk.lambert_problem(
            r1[k].tolist(), r2[k].tolist(), float(tof[k]), MU_SUN_KM3_S2, bool(clockwise[k]), int(max_revs[k])
        )
        # pykep's order: v0[0] single-rev, then v0[2N-1], v0[2N] for N = 1 .. Nmax
        for s, (a, b) in enumerate(zip(lp.v0, lp.v1, strict=True)):
            case.append(k)
            revs.append((s + 1) // 2)
            branch.append(0 if s == 0 else 2 - s % 2)
            v1.append(a)
            v2.append(b)
    finish(
        args.out,
        r1_km=r1,
        r2_km=r2,
        tof_s=tof,
        clockwise=clockwise,
        max_revs=max_revs.astype(np.int64),
        case=np.array(case, np.int64),
        revs=np.array(revs, np.int64),
        branch=np.array(branch, np.int64),
        v1_kms=np.array(v1),
        v2_kms=np.array(v2),
        mu_km3s2=np.float64(MU_SUN_KM3_S2),
        seed=np.int64(SEED),
        description=np.str_(
            f"{args.n} random Lambert problems, heliocentric km, s; |r| U(0.7,1.7) AU, isotropic, transfer angle "
            "2..178 deg, |h_z|/|h|>0.01, tof U(200,2000) d; clockwise with p=0.2 (pykep cw=True: retrograde); "
            "max_revs U{0..3}. One row per pykep 3.0.1 lambert_problem(r1, r2, tof, mu, cw, max_revs) solution: "
            "case index, revs, branch (0 single-rev; for revs>=1, branch 1 and 2 in pykep's order v0[2N-1], "
            "v0[2N]). Built by tests/authorities/builders/build_lambert_multirev_cases.py."
        ),
        tool=np.str_(f"pykep {pk.__version__}, numpy {np.__version__}"),
    )


if __name__ == "__main__":
    main()
