"""Build areo's built-in set of reconstructed Mars lander entry profiles from the NASA PDS source text.

Reads the excerpts in ``tests/authorities/mars_entry_profiles/`` (each file's header names its PDS product, the copy
it was transcribed from and what was kept) and writes ``src/areo/edl/data/mars_lander_entry_profiles.csv``: one
profile per lander, columns ``solar_longitude_deg, latitude_deg, local_time_h`` (the conditions of the profile)
then ``altitude_m`` (height above that lander's landing site), ``temperature_K, pressure_Pa, density_kg_m3``.

Conversions, nothing else: mbar -> Pa (x 100), km -> m, the altitude reference moved to the landing site (Viking 1:
z + 1.49 km, Seiff & Kirk 1977 Table II; Pathfinder: radius - 3389.72 km, the PDS altitude reference), rows sorted
by altitude. Five Viking 1 rows are left out, each a misprint the source itself shows (listed in VL1_MISPRINTS).
The season Ls and the local true solar time come from the Mars24 algorithm (areo.edl.atmosphere.mars_solar_time)
at the epoch and site longitude given per profile below; tests/edl/test_atmosphere_profiles.py checks them against
published values where a source gives them.

Run from the repository root: ``python tests/authorities/builders/build_mars_entry_profiles.py``.
"""

from __future__ import annotations

import math
from pathlib import Path

from areo.edl.atmosphere import mars_solar_time
from areo.io.files import atomic_write_text
from areo.time import utc_to_tdb_seconds

ROOT = Path(__file__).resolve().parents[3]
SOURCES = ROOT / "tests" / "authorities" / "mars_entry_profiles"
OUT = ROOT / "src" / "areo" / "edl" / "data" / "mars_lander_entry_profiles.csv"

VL1_SITE_Z_KM = -1.49  # Seiff & Kirk 1977 Table II: its z = 0 (7.620 mbar, 237.3 K) is the entry file's -1.49 km
MPF_SITE_RADIUS_KM = 3389.72  # PDS EDL_DDR.TAB altitude reference (landing-site radius, Folkner et al. 1997)

# (t_s, z_km) of Viking 1 rows whose value is a misprint in the source: three altitudes (the neighbouring rows
# step 0.50-0.56 km, and the source's own -dz/dt column reads 1736/296, 1482/-128, 1132/-320 m/s there against
# ~1000-400 m/s around them) and two pressures: 0.22876 mbar sits between 0.33149 and 0.34599 mbar, and
# 0.16668 mbar (between 0.16258 and 0.17529) breaks the source's own p = rho R T (mu = 43.49, Seiff & Kirk
# Table II) by 1.4 % where the other entry rows hold it within 0.3 %.
VL1_MISPRINTS = {(11652.0, 79.374), (11697.0, 38.373), (11710.0, 31.374), (11711.0, 31.338), (11699.0, 37.460)}

PROFILES = (
    # name, source file, epoch (UTC) for Ls and local time, site latitude (deg N), site east longitude (deg)
    # Viking 1: landing 1976-07-20 11:53:06 UTC (NSSDC Viking 1 Lander); site 22.270 N 48.264 W areocentric
    # (Yoder & Standish 1997, as quoted by the PDS Viking mission description). The profile spans the 7 minutes
    # before landing (0.1 h of local time).
    ("viking1", "viking1_entry_profile_excerpt.txt", "1976-07-20T11:53:06", 22.270, 360.0 - 48.264),
    # Pathfinder: mid-profile, 120 s after the EDL_DDR.TAB time origin 1997-07-04 16:51:12.28 UTC (PDS label); site
    # = the profile's last point, 19.117 N 326.555 E (EDL_DDR.TAB, 8.9 km above the site).
    ("pathfinder", "pathfinder_entry_profile_excerpt.txt", "1997-07-04T16:53:12", 19.117, 326.555),
)


def conditions(epoch_utc: str, lat: float, lon_e: float) -> tuple[float, float, float]:
    jd_tt = 2451545.0 + float(utc_to_tdb_seconds(epoch_utc)) / 86400.0  # TDB - TT < 2 ms
    ls, lt = mars_solar_time(jd_tt, lon_e)
    return round(ls, 2), lat, round(lt, 2)


def _rows(path: Path) -> list[tuple[str, list[float]]]:
    block, out = "", []
    for line in path.read_text().splitlines():
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        if s.isalpha():
            block = s
            continue
        out.append((block, [float(x) for x in s.split()]))
    return out


def viking1(path: Path) -> list[tuple[float, float, float, float]]:
    """(altitude above the site m, T K, p Pa, rho kg/m^3) from the excerpt (t, V, z km, rho, p mbar, T)."""
    rows = []
    for _, (t, _v, z, rho, p_mbar, temp) in _rows(path):
        if (t, z) in VL1_MISPRINTS:
            continue
        rows.append(((z - VL1_SITE_Z_KM) * 1e3, temp, p_mbar * 100.0, rho))
    return rows


def pathfinder(path: Path) -> list[tuple[float, float, float, float]]:
    """(altitude above the site m, T K, p Pa, rho kg/m^3) from the excerpt (time, radius km, rho, p Pa, T, mu)."""
    return [((r - MPF_SITE_RADIUS_KM) * 1e3, temp, p, rho) for _, (_t, r, rho, p, temp, _mu) in _rows(path)]


def build() -> str:
    lines = [
        "# Reconstructed entry profiles of Mars landers (NASA PDS; US public domain), one per lander, for the EDL",
        "# atmosphere model 'entry_profile' (areo.edl.atmosphere_profiles). altitude_m is the height above that",
        "# lander's landing site. Built by tests/authorities/builders/build_mars_entry_profiles.py from the source",
        "# excerpts in tests/authorities/mars_entry_profiles/ (sources and what was kept are in their headers).",
        "# Ls and local true solar time: Mars24 at the epoch and site of each profile (see the builder).",
    ]
    for name, _fname, epoch, lat, lon in PROFILES:
        ls, _, lt = conditions(epoch, lat, lon)
        lines.append(
            f"# {name}: Ls {ls:.2f} deg, latitude {lat:.3f} deg, local true solar time {lt:.2f} h ({epoch} UTC)"
        )
    lines.append("solar_longitude_deg,latitude_deg,local_time_h,altitude_m,temperature_K,pressure_Pa,density_kg_m3")
    for name, fname, epoch, lat, lon in PROFILES:
        ls, _, lt = conditions(epoch, lat, lon)
        rows = (viking1 if name == "viking1" else pathfinder)(SOURCES / fname)
        rows.sort(key=lambda r: r[0])
        for h, temp, p, rho in rows:
            assert math.isfinite(h) and temp > 0 and p > 0 and rho > 0
            lines.append(f"{ls:.2f},{lat:.3f},{lt:.2f},{h:.1f},{temp:.3f},{p:.6g},{rho:.6g}")
    return "\n".join(lines) + "\n"


def main() -> None:
    text = build()
    atomic_write_text(OUT, text)
    print(f"wrote {OUT.relative_to(ROOT)} ({text.count(chr(10))} lines)")


if __name__ == "__main__":
    main()
