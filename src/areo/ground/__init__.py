"""Deep-space ground segment: station catalogue, visibility passes, light-time range and Doppler, link budgets,
network coverage and CCSDS telemetry.

Conventions: epochs inside are TDB seconds past J2000; the user-layer functions (``passes``, ``link_report``,
``network_coverage``, ``event_coverage``, ``tracking_data``, ``telemetry_run``, ``stations_table``,
``observables_between``) take epochs in any form of :func:`areo.time.epoch_tdb_s`, degrees and kbit/s and return
plain data (lists and dicts with ``.to_dataframe()``). Targets are DE421 bodies by name or :class:`Target`
objects, e.g. a real spacecraft from an SPK kernel or a CCSDS OEM file (:func:`load_target`). Station ids are
lowercase slugs (``areo stations``).

    >>> from areo.ground import passes
    >>> p = passes("rt70-yevpatoria", "mars", "2016-10-01", "2016-10-03", min_elevation_deg=10)
    >>> p[0]["rise_utc"]
    '2016-10-01T12:34:48.334Z'
"""

from .api import (
    event_coverage,
    link_report,
    network_coverage,
    observables_between,
    passes,
    stations_table,
    telemetry_run,
    tracking_data,
)
from .coverage import CoverageResult, Gap, StationView, coverage, critical_event
from .geometry import (
    AltAz,
    BodyTarget,
    EarthOrientation,
    Pass,
    Target,
    TrajectoryTarget,
    altaz,
    altaz_many,
    as_target,
    elevation_deg,
    find_passes,
)
from .link import CODINGS, SPACECRAFT, LinkBudget, coding, free_space_loss_db, link_budget, station_link
from .measurements import Observables, observables, one_way_light_time
from .stations import BandSpec, Catalogue, Station, get_network, get_station, load_catalogue, make_station
from .targets import FileTarget, OemTarget, SpkTarget, load_target

__all__ = [
    "CODINGS",
    "SPACECRAFT",
    "AltAz",
    "BandSpec",
    "BodyTarget",
    "Catalogue",
    "CoverageResult",
    "EarthOrientation",
    "FileTarget",
    "Gap",
    "LinkBudget",
    "Observables",
    "OemTarget",
    "Pass",
    "SpkTarget",
    "Station",
    "StationView",
    "Target",
    "TrajectoryTarget",
    "altaz",
    "altaz_many",
    "as_target",
    "coding",
    "coverage",
    "critical_event",
    "elevation_deg",
    "event_coverage",
    "find_passes",
    "free_space_loss_db",
    "get_network",
    "get_station",
    "link_budget",
    "link_report",
    "load_catalogue",
    "load_target",
    "make_station",
    "network_coverage",
    "observables",
    "observables_between",
    "one_way_light_time",
    "passes",
    "station_link",
    "stations_table",
    "telemetry_run",
    "tracking_data",
]
