"""Build passes_yevpatoria_2016-10.json: Mars passes above 10 deg seen from RT-70 Yevpatoria in October 2016,
from skyfield (almanac.find_risings / find_settings on DE421, built-in UT1, no polar motion, no refraction).

Run: python tests/authorities/builders/build_passes_yevpatoria_2016_10.py [--out PATH]
Needs skyfield and skyfield-data (no network: the ephemeris and time tables come with the packages).
"""

from __future__ import annotations

import json
import os
import warnings
from importlib.metadata import version

import numpy as np
from _common import parse_args

SITE = {
    "name": "RT-70, Yevpatoria (Crimea), approximate coordinates 45.19 N 33.19 E",
    "lat_deg": 45.19,
    "lon_deg_east": 33.19,
    "height_m_wgs84": 70.0,
}
WINDOW = ("2016-10-01T00:00:00Z", "2016-11-01T00:00:00Z")
MIN_ELEVATION_DEG = 10.0


def _iso(t) -> str:
    """UTC ISO 8601 with milliseconds (truncated), e.g. 2016-10-01T12:34:48.333Z."""
    return t.utc_strftime("%Y-%m-%dT%H:%M:%S.%f")[:23] + "Z"


def main() -> None:
    args = parse_args(__doc__, "passes_yevpatoria_2016-10.json")
    import skyfield
    from skyfield import almanac
    from skyfield.api import Loader, wgs84
    from skyfield_data import get_skyfield_data_path

    warnings.simplefilter("ignore")  # skyfield-data's "finals2000A.all has expired": the built-in UT1 is used
    ts = Loader(get_skyfield_data_path()).timescale(builtin=True)
    eph = Loader(get_skyfield_data_path())("de421.bsp")
    earth, mars = eph["earth"], eph["mars"]
    topos = wgs84.latlon(SITE["lat_deg"], SITE["lon_deg_east"], elevation_m=SITE["height_m_wgs84"])
    observer = earth + topos
    t0, t1 = (ts.utc(int(w[:4]), int(w[5:7]), int(w[8:10])) for w in WINDOW)
    rises, _ = almanac.find_risings(observer, mars, t0, t1, horizon_degrees=MIN_ELEVATION_DEG)
    sets, _ = almanac.find_settings(observer, mars, t0, t1, horizon_degrees=MIN_ELEVATION_DEG)
    passes = []
    for rise in rises:
        later = [s for s in sets if s.tt > rise.tt]
        if not later:
            continue
        st = later[0]
        # culmination: the best sample of a whole-minute UTC grid between rise and set
        c = rise.utc
        first_min = int(np.ceil((c.hour * 60 + c.minute + c.second / 60.0) - 1e-9))
        minutes = np.arange(first_min, first_min + int((st.tt - rise.tt) * 1440) + 1)
        grid = ts.utc(c.year, c.month, c.day, 0, minutes)
        grid = grid[(grid.tt >= rise.tt) & (grid.tt <= st.tt)]
        alt, az, _ = observer.at(grid).observe(mars).apparent().altaz()
        k = int(np.argmax(alt.degrees))
        passes.append(
            {
                "rise_utc": _iso(rise),
                "set_utc": _iso(st),
                "duration_min": round((st.tt - rise.tt) * 1440.0, 3),
                "max_elevation_deg": round(float(alt.degrees[k]), 4),
                "max_elevation_utc": grid[k].utc_strftime("%Y-%m-%dT%H:%M:%SZ"),
                "azimuth_at_max_deg": round(float(az.degrees[k]), 3),
            }
        )
    doc = {
        "site": SITE,
        "target": "Mars (NAIF 499), DE421",
        "window_utc": list(WINDOW),
        "min_elevation_deg": MIN_ELEVATION_DEG,
        "model": "skyfield apparent altaz, no refraction, builtin UT1, no polar motion",
        "method": f"skyfield.almanac.find_risings/find_settings(horizon_degrees={MIN_ELEVATION_DEG:g})",
        "tool": f"skyfield {skyfield.__version__}, DE421 from skyfield-data {version('skyfield-data')}",
        "builder": "tests/authorities/builders/build_passes_yevpatoria_2016_10.py",
        "n_passes": len(passes),
        "passes": passes,
    }
    tmp = args.out.with_name(args.out.name + ".tmp")
    tmp.write_text(json.dumps(doc, indent=1) + "\n")
    os.replace(tmp, args.out)
    print(f"wrote {args.out} ({len(passes)} passes)")


if __name__ == "__main__":
    main()
