"""Ground-station catalogue: positions, dishes, per-band G/T and EIRP, horizon masks and named networks.

The built-in catalogue is ``stations.toml`` beside this module; users add or replace stations with their own TOML
file of the same layout (:func:`load_catalogue` ``extra=[path]``). Station ids are lowercase slugs
(``rt70-yevpatoria``, ``dss-63``); networks are named sets of ids (``estrack``, ``dsn``, ``rt70``, ``russia``,
``all``) and may be combined with commas (``estrack,dsn``).

Where an operator does not publish G/T or EIRP for a band, they are derived from dish diameter, aperture
efficiency, zenith system noise temperature and transmitter power, and the band is marked ``derived``.
"""

from __future__ import annotations

import math
import numbers
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from ..constants import C_LIGHT, F_EARTH, R_EARTH_EQ
from ..errors import InputError, unknown_choice

# Band -> (downlink centre frequency Hz, uplink frequency Hz or None). Deep-space allocations (ITU-R SA.1014;
# DSN 810-005 module 201): S 2290-2300 / 2110-2120 MHz, X 8400-8450 / 7145-7190 MHz, Ka 31.8-32.3 / 34.2-34.7 GHz;
# UHF is the Mars proximity band (Schiaparelli transmitted at 401.585625 MHz, which GMRT listened to).
BANDS: dict[str, tuple[float, float | None]] = {
    "uhf": (401.585625e6, None),
    "s": (2295e6, 2115e6),
    "x": (8420e6, 7160e6),
    "ka": (32.0e9, 34.5e9),
}
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class BandSpec:
    """Receive and transmit performance of one station in one band.

    ``g_t_db_k``: figure of merit at zenith (dB/K); ``eirp_dbw``: uplink EIRP (dBW) or None (receive only);
    ``derived``: True when computed from diameter/efficiency/noise rather than published; ``source``: where from.
    """

    band: str
    frequency_down_hz: float
    frequency_up_hz: float | None
    g_t_db_k: float
    eirp_dbw: float | None
    system_noise_k: float
    gain_dbi: float
    derived: bool
    source: str


@dataclass(frozen=True)
class Station:
    """One ground antenna. ``r_itrs_m`` is its ITRS (WGS84) position; lat/lon are geodetic (WGS84)."""

    id: str
    name: str
    lat_deg: float
    lon_deg: float
    height_m: float
    r_itrs_m: tuple[float, float, float]
    diameter_m: float
    min_elevation_deg: float
    bands: dict[str, BandSpec]
    source: str
    operator: str = ""
    status: str = "operational"
    elements: int = 1
    horizon_mask: tuple[tuple[float, float], ...] = ()
    networks: tuple[str, ...] = field(default=())

    def __repr__(self) -> str:
        ns = "N" if self.lat_deg >= 0 else "S"
        ew = "E" if self.lon_deg >= 0 else "W"
        return (
            f"<Station {self.id} {abs(self.lat_deg):.4f} {ns} {abs(self.lon_deg):.4f} {ew} {self.height_m:.0f} m, "
            f"{self.diameter_m:g} m dish, bands {','.join(self.bands)}>"
        )

    def band(self, band: str) -> BandSpec:
        """The :class:`BandSpec` for ``band``; raises InputError naming the bands this station has."""
        key = str(band).strip().lower()
        if key not in self.bands:
            have = ", ".join(self.bands) or "none"
            raise InputError(
                f"station {self.id!r} has no {band!r} band; it has: {have}. "
                f"Choose one of those bands or another station (see `areo stations`)."
            )
        return self.bands[key]

    def mask_deg(self, azimuth_deg) -> np.ndarray:
        """Minimum elevation (deg) at the given azimuth(s): the horizon mask, else ``min_elevation_deg``."""
        az = np.asarray(azimuth_deg, dtype=float)
        if not self.horizon_mask:
            return np.full(az.shape, self.min_elevation_deg)
        pts = np.array(sorted(self.horizon_mask))
        xp = np.concatenate([pts[:, 0] - 360.0, pts[:, 0], pts[:, 0] + 360.0])
        fp = np.tile(pts[:, 1], 3)
        return np.maximum(np.interp(az % 360.0, xp, fp), self.min_elevation_deg)


def geodetic_to_itrs(lat_deg: float, lon_deg: float, height_m: float) -> np.ndarray:
    """WGS84 geodetic latitude/longitude/height to ITRS Cartesian metres."""
    lat, lon = math.radians(lat_deg), math.radians(lon_deg)
    e2 = F_EARTH * (2.0 - F_EARTH)
    n = R_EARTH_EQ / math.sqrt(1.0 - e2 * math.sin(lat) ** 2)
    return np.array(
        [
            (n + height_m) * math.cos(lat) * math.cos(lon),
            (n + height_m) * math.cos(lat) * math.sin(lon),
            (n * (1.0 - e2) + height_m) * math.sin(lat),
        ]
    )


def itrs_to_geodetic(r_m) -> tuple[float, float, float]:
    """ITRS Cartesian metres to WGS84 geodetic (lat_deg, lon_deg, height_m).

    Fixed-point iteration lat = atan2(z + e^2 N sin(lat), p), which converges by a factor e^2 per step, and the
    height h = p cos(lat) + (z + e^2 N sin(lat)) sin(lat) - N, which stays exact at the poles (where p = 0)."""
    x, y, z = (float(c) for c in r_m)
    e2 = F_EARTH * (2.0 - F_EARTH)
    p = math.hypot(x, y)
    lon = math.atan2(y, x)
    lat = math.atan2(z, p * (1.0 - e2))
    for _ in range(12):
        n = R_EARTH_EQ / math.sqrt(1.0 - e2 * math.sin(lat) ** 2)
        lat = math.atan2(z + e2 * n * math.sin(lat), p)
    n = R_EARTH_EQ / math.sqrt(1.0 - e2 * math.sin(lat) ** 2)
    h = p * math.cos(lat) + (z + e2 * n * math.sin(lat)) * math.sin(lat) - n
    return math.degrees(lat), math.degrees(lon), h


def dish_gain_dbi(diameter_m: float, frequency_hz: float, efficiency: float, elements: int = 1) -> float:
    """Aperture gain 10 log10(N eff (pi D f / c)^2) of ``elements`` phased dishes (dBi)."""
    return 10.0 * math.log10(elements * efficiency * (math.pi * diameter_m * frequency_hz / C_LIGHT) ** 2)


# Plausible ranges of the numbers of a station row (a value outside is a typo or a unit mix-up).
_RANGES: dict[str, tuple[float, float, str]] = {
    "lat_deg": (-90.0, 90.0, "deg"),
    "lon_deg": (-180.0, 360.0, "deg (east)"),
    "diameter_m": (0.0, 1000.0, "m"),
    "height_m": (-1000.0, 10000.0, "m"),
    "frequency_down_mhz": (1.0, 1e6, "MHz"),
    "g_t_db_k": (-60.0, 100.0, "dB/K"),
    "system_noise_k": (1.0, 1e5, "K"),
    "efficiency": (0.01, 1.0, ""),
    "tx_power_w": (1e-3, 1e7, "W"),
    "eirp_dbw": (-100.0, 200.0, "dBW"),
}


def _is_num(x) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _number(row: dict, key: str, where: str, default: float | None = None) -> float:
    """``row[key]`` (or ``default``) as a float inside its plausible range (:data:`_RANGES`), else a clear InputError;
    KeyError when the key is missing and there is no default."""
    if key not in row and default is None:
        raise KeyError(key)
    raw = row.get(key, default)
    if not _is_num(raw):
        raise InputError(f"{key} of {where} is {raw!r}; it must be a number (e.g. {key} = 34.0).")
    v = float(raw)  # type: ignore[arg-type]  # _is_num checked it
    lo, hi, unit = _RANGES.get(key, (-math.inf, math.inf, ""))
    if not (math.isfinite(v) and lo <= v <= hi):
        raise InputError(f"{key} of {where} is {raw!r}; it must be a finite number in {lo:g}..{hi:g} {unit}.".rstrip())
    return v


# The keys a station row and a band row may hold (anything else is a typo, refused with the list).
_STATION_KEYS = (
    "id", "name", "operator", "status", "source", "lat_deg", "lon_deg", "height_m", "itrf_xyz_m", "diameter_m",
    "elements", "min_elevation_deg", "horizon_mask", "bands",
)  # fmt: skip
_BAND_KEYS = ("frequency_down_mhz", "g_t_db_k", "system_noise_k", "efficiency", "tx_power_w", "eirp_dbw", "source")


def _check_keys(row: dict, allowed: tuple[str, ...], where: str, header: str) -> None:
    """Refuse a key that areo does not read (a typo would otherwise be ignored without a word)."""
    for key in row:
        if key not in allowed:
            hint = (
                "Network membership is declared in the file's [networks] table: [networks] then "
                'mine = ["station-id", ...].'
                if key == "networks"
                else f"Fix the key in the {header} table."
            )
            raise unknown_choice(f"key of {where}:", str(key), allowed, hint)


def _band_spec(station_id: str, band: str, row: dict, diameter_m: float, elements: int, path: str) -> BandSpec:
    if band not in BANDS:
        raise unknown_choice(f"band of station {station_id!r} in {path}:", band, BANDS)
    if not isinstance(row, dict):
        raise InputError(
            f"band {band!r} of station {station_id!r} in {path} is {row!r}; it must be a table "
            f"[station.bands.{band}] with g_t_db_k or efficiency and system_noise_k."
        )
    where = f"station {station_id!r} band {band!r} in {path}"
    _check_keys(row, _BAND_KEYS, where, f"[station.bands.{band}]")
    f_down, f_up = BANDS[band]
    f_down = _number(row, "frequency_down_mhz", where, f_down / 1e6) * 1e6
    src = str(row.get("source", ""))
    needs_dish = "g_t_db_k" not in row or ("eirp_dbw" not in row and "tx_power_w" in row)
    if needs_dish and not diameter_m >= 0.1:
        raise InputError(
            f"{where} derives its gain from the dish, but diameter_m is {diameter_m:g}; give the dish diameter "
            "(at least 0.1 m) or published g_t_db_k and eirp_dbw."
        )
    if "g_t_db_k" in row:
        g_t = _number(row, "g_t_db_k", where)
        t_sys = _number(row, "system_noise_k", where) if "system_noise_k" in row else float("nan")
        gain = g_t + 10.0 * math.log10(t_sys) if math.isfinite(t_sys) else float("nan")
        derived = False
    else:
        try:
            eff, t_sys = _number(row, "efficiency", where), _number(row, "system_noise_k", where)
        except KeyError as exc:
            raise InputError(
                f"station {station_id!r} band {band!r} in {path} needs either g_t_db_k or both efficiency and "
                f"system_noise_k (missing {exc.args[0]!r}); add them to the [station.bands.{band}] table."
            ) from None
        if not (0.0 < eff <= 1.0) or t_sys <= 0.0:
            raise InputError(
                f"station {station_id!r} band {band!r}: efficiency must be in (0, 1] and system_noise_k > 0 "
                f"(got {eff}, {t_sys}); fix the values in {path}."
            )
        gain = dish_gain_dbi(diameter_m, f_down, eff, elements)
        g_t = gain - 10.0 * math.log10(t_sys)
        derived = True
    eirp = _number(row, "eirp_dbw", where) if "eirp_dbw" in row else None
    if eirp is None and "tx_power_w" in row and f_up is not None:
        eff = _number(row, "efficiency", where, 0.6)
        eirp = 10.0 * math.log10(_number(row, "tx_power_w", where)) + dish_gain_dbi(diameter_m, f_up, eff, elements)
        derived = derived or "eirp_dbw" not in row
    return BandSpec(
        band=band,
        frequency_down_hz=f_down,
        frequency_up_hz=f_up,
        g_t_db_k=g_t,
        eirp_dbw=None if eirp is None else float(eirp),
        system_noise_k=t_sys,
        gain_dbi=gain,
        derived=derived,
        source=src,
    )


def _position(row: dict, sid: str, path: str) -> tuple[float, float, float, np.ndarray]:
    """(lat_deg, lon_deg, height_m, r_itrs_m) of a station row, from itrf_xyz_m or lat_deg/lon_deg/height_m."""
    where = f"station {sid!r} in {path}"
    if "itrf_xyz_m" in row:
        xyz = row["itrf_xyz_m"]
        ok = isinstance(xyz, (list, tuple)) and len(xyz) == 3 and all(_is_num(c) for c in xyz)
        r = np.asarray(xyz, dtype=float) if ok else np.zeros(0)
        if not ok or not np.all(np.isfinite(r)):
            raise InputError(f"{where}: itrf_xyz_m is {xyz!r}; it must be [x, y, z], three numbers in metres.")
        if not 6.0e6 <= float(np.linalg.norm(r)) <= 6.5e6:
            raise InputError(
                f"{where}: itrf_xyz_m {xyz!r} is {float(np.linalg.norm(r)) / 1e3:.1f} km from the geocentre; a ground "
                "station lies 6357-6388 km from it. Give the ITRF position in metres (not km), or lat_deg/lon_deg."
            )
        lat, lon, h = itrs_to_geodetic(r)
        return lat, lon, h, r
    try:
        lat, lon = _number(row, "lat_deg", where), _number(row, "lon_deg", where)
    except KeyError:
        raise InputError(
            f"station {sid!r} in {path} needs a position: lat_deg, lon_deg (east), height_m, or itrf_xyz_m."
        ) from None
    h = _number(row, "height_m", where, 0.0)
    if not (-90.0 <= lat <= 90.0) or not (-180.0 <= lon <= 360.0):
        raise InputError(f"station {sid!r} in {path}: latitude must be in -90..90 and longitude -180..360 deg.")
    return lat, lon, h, geodetic_to_itrs(lat, lon, h)


def _station_from_row(row: dict, path: str) -> Station:
    if not isinstance(row, dict):
        raise InputError(
            f"a station entry in {path} is {row!r}; each station must be a table: write [[station]] followed by "
            "id = ..., lat_deg = ..., diameter_m = ..., source = ... lines."
        )
    sid = row.get("id", "")
    if not isinstance(sid, str) or not _SLUG.match(sid):
        raise InputError(
            f"station id {sid!r} in {path} is not a lowercase slug; use letters, digits and '-' (e.g. 'dss-63')."
        )
    for key in ("diameter_m", "source"):
        if key not in row:
            raise InputError(f"station {sid!r} in {path} lacks {key!r}; every station row needs it.")
    where = f"station {sid!r} in {path}"
    _check_keys(row, _STATION_KEYS, where, "[[station]]")
    lat, lon, h, r = _position(row, sid, path)
    mask = row.get("min_elevation_deg", 0.0)
    if not _is_num(mask):
        raise InputError(f"min_elevation_deg of {where} is {mask!r}; it must be a number of degrees in 0..90.")
    check_mask(mask, f"min_elevation_deg of station {sid!r} in {path}")
    mask = float(mask)
    hm = _horizon_mask(row.get("horizon_mask", ()), where)
    diameter = _number(row, "diameter_m", where)
    elements = row.get("elements", 1)
    if not isinstance(elements, int) or isinstance(elements, bool) or not 1 <= elements <= 1000:
        raise InputError(f"elements of {where} is {elements!r}; it must be a whole number of dishes, 1..1000.")
    band_rows = row.get("bands", {})
    if not isinstance(band_rows, dict):
        raise InputError(f"bands of {where} is {band_rows!r}; give one [station.bands.<band>] table per band.")
    bands = {b: _band_spec(sid, b, brow, diameter, elements, path) for b, brow in band_rows.items()}
    return Station(
        id=sid,
        name=str(row.get("name", sid)),
        lat_deg=lat,
        lon_deg=lon if lon <= 180.0 else lon - 360.0,
        height_m=h,
        r_itrs_m=(float(r[0]), float(r[1]), float(r[2])),
        diameter_m=diameter,
        min_elevation_deg=mask,
        bands=bands,
        source=str(row["source"]),
        operator=str(row.get("operator", "")),
        status=str(row.get("status", "operational")),
        elements=elements,
        horizon_mask=hm,
    )


def _horizon_mask(points, where: str) -> tuple[tuple[float, float], ...]:
    """The horizon_mask of a row as ((azimuth_deg, elevation_deg), ...), checked."""
    msg = f"horizon_mask of {where} must be [[azimuth_deg, elevation_deg], ...] with azimuths in 0..360 deg"
    if not isinstance(points, (list, tuple)):
        raise InputError(f"{msg}; got {points!r}.")
    out = []
    for p in points:
        ok = isinstance(p, (list, tuple)) and len(p) == 2 and all(_is_num(c) for c in p)
        if not ok or not (math.isfinite(float(p[0])) and 0.0 <= float(p[0]) <= 360.0):
            raise InputError(f"{msg}; got {p!r}.")
        check_mask(p[1], f"horizon_mask of {where}")
        out.append((float(p[0]), float(p[1])))
    return tuple(out)


def check_mask(mask_deg: float, what: str = "elevation mask") -> float:
    """Raise InputError unless ``mask_deg`` is a finite angle in 0..90 degrees."""
    m = float(mask_deg)
    if not (math.isfinite(m) and 0.0 <= m <= 90.0):
        raise InputError(f"{what} is {mask_deg} deg; it must lie between 0 and 90 degrees.")
    return m


@dataclass(frozen=True)
class Catalogue:
    """Stations by id and networks by name."""

    stations: dict[str, Station]
    networks: dict[str, tuple[str, ...]]

    def station(self, station_id: str) -> Station:
        key = str(station_id).strip().lower()
        if key not in self.stations:
            raise unknown_choice("station", str(station_id), self.stations, "List them with `areo stations`.")
        return self.stations[key]

    def network(self, spec: str) -> list[Station]:
        """Stations of a network spec: names and/or station ids joined by commas (``estrack,dsn``, ``dss-63``)."""
        out: dict[str, Station] = {}
        parts = [p.strip().lower() for p in str(spec).split(",") if p.strip()]
        if not parts:
            raise InputError("empty network; give a name such as 'estrack', 'dsn,estrack' or station ids.")
        for p in parts:
            if p == "all":
                out.update(self.stations)
            elif p in self.networks:
                out.update({s: self.stations[s] for s in self.networks[p]})
            elif p in self.stations:
                out[p] = self.stations[p]
            else:
                raise unknown_choice(
                    "network or station",
                    p,
                    [*list(self.networks), "all", *list(self.stations)],
                    "Networks are named sets of stations; see `areo stations`.",
                )
        return list(out.values())

    def network_names(self) -> list[str]:
        return [*sorted(self.networks), "all"]


def _read_toml(path: str | Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise InputError(f"station file {str(path)!r} does not exist; give the path of a TOML station file.") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"station file {str(path)!r} is not valid TOML ({exc}); fix the syntax.") from None


def _merge(stations: dict, networks: dict, doc: dict, path: str) -> None:
    rows = doc.get("station", [])
    if not isinstance(rows, list):
        raise InputError(
            f"'station' in {path} is a single table; write each station as an array entry, [[station]] "
            "(double brackets), not [station]."
        )
    for key in doc:
        if key not in ("station", "networks"):
            raise unknown_choice(
                f"table of {path}:", str(key), ("station", "networks"), "Write stations as [[station]] entries."
            )
    seen: set[str] = set()
    for row in rows:
        st = _station_from_row(row, path)
        if st.id in seen:
            raise InputError(f"station {st.id!r} appears twice in {path}; keep one [[station]] entry per id.")
        seen.add(st.id)
        stations[st.id] = st
    nets = doc.get("networks", {})
    if not isinstance(nets, dict):
        raise InputError(f"'networks' in {path} must be a table: [networks] then name = [\"station-id\", ...].")
    for name, ids in nets.items():
        if not _SLUG.match(name) or name == "all":
            raise InputError(f"network name {name!r} in {path} must be a lowercase slug other than 'all'.")
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
            raise InputError(f"network {name!r} in {path} is {ids!r}; it must be a non-empty list of station ids.")
        networks[name] = tuple(ids)


@lru_cache(maxsize=8)
def _load(extra: tuple[str, ...]) -> Catalogue:
    stations: dict[str, Station] = {}
    networks: dict[str, tuple[str, ...]] = {}
    builtin = resources.files("areo.ground").joinpath("stations.toml")
    with builtin.open("rb") as fh:
        _merge(stations, networks, tomllib.load(fh), "areo/ground/stations.toml")
    for p in extra:
        _merge(stations, networks, _read_toml(p), p)
    for name, ids in networks.items():
        for i in ids:
            if i not in stations:
                raise unknown_choice(f"station in network {name!r}:", i, stations)
    membership: dict[str, list[str]] = {s: [] for s in stations}
    for name, ids in networks.items():
        for i in ids:
            membership[i].append(name)
    stations = {s: Station(**{**st.__dict__, "networks": tuple(sorted(membership[s]))}) for s, st in stations.items()}
    return Catalogue(stations=stations, networks=networks)


def load_catalogue(extra: list[str | Path] | tuple = ()) -> Catalogue:
    """The built-in catalogue plus the stations and networks of each TOML file in ``extra`` (later files win)."""
    return _load(tuple(str(p) for p in extra))


def get_station(station_id: str, extra=()) -> Station:
    """Station by id (close matches suggested on a miss)."""
    return load_catalogue(extra).station(station_id)


def get_network(spec: str, extra=()) -> list[Station]:
    """Stations of a network spec (``'estrack'``, ``'estrack,dsn'``, ``'rt70'``, ``'all'``, or station ids)."""
    return load_catalogue(extra).network(spec)


def make_station(
    station_id: str,
    lat_deg: float,
    lon_deg: float,
    height_m: float = 0.0,
    *,
    diameter_m: float = 0.0,
    min_elevation_deg: float = 0.0,
    name: str = "",
    source: str = "user",
    bands: dict | None = None,
) -> Station:
    """A station built in code (e.g. a test site), validated like a catalogue row."""
    row = dict(
        id=station_id,
        name=name or station_id,
        lat_deg=lat_deg,
        lon_deg=lon_deg,
        height_m=height_m,
        diameter_m=diameter_m,
        min_elevation_deg=min_elevation_deg,
        source=source,
        bands=bands or {},
    )
    return _station_from_row(row, "make_station()")
