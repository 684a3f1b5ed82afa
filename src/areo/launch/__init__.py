"""Launch vehicles and launch periods: escape performance (payload vs C3) with sources, the declination of the
launch asymptote (DLA) a launch site and parking orbit can reach, and daily launch periods over a departure window.

>>> from areo.launch import assess, get_launcher
>>> a = assess(get_launcher("proton-m-breeze-m"), c3_km2_s2=14.7, dla_deg=-50.4, payload_kg=4332)
>>> a.feasible
True
"""

from .catalogue import get_launcher, load_launchers
from .departure import LaunchOpportunities, departure_geometry, launch_opportunities
from .period import LaunchPeriod, PorkchopLaunch, feasible_mask, judge_days, launch_period, porkchop_launch
from .spacecraft import CaptureOrbit, Spacecraft, capture_dv_m_s, spacecraft_budget
from .vehicle import Assessment, Launcher, LaunchSite, assess

__all__ = [
    "Assessment",
    "CaptureOrbit",
    "LaunchOpportunities",
    "LaunchPeriod",
    "LaunchSite",
    "Launcher",
    "PorkchopLaunch",
    "Spacecraft",
    "assess",
    "capture_dv_m_s",
    "departure_geometry",
    "feasible_mask",
    "get_launcher",
    "judge_days",
    "launch_opportunities",
    "launch_period",
    "load_launchers",
    "porkchop_launch",
    "spacecraft_budget",
]
