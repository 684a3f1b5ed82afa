"""areo: Mars missions and the deep-space network that flies them.

Conventions (stated once, here)
-------------------------------
Units
    SI everywhere inside: metres, seconds, kilograms, radians, m/s, m^3/s^2. Other units appear only at the
    edges and then in the name: ``c3_km2_s2``, ``tof_days``, ``altitude_km``, ``dla_deg``, ``*_utc`` strings.
Epochs
    TDB seconds past J2000 (2000-01-01 12:00:00 TDB) as float64 (``tdb_s``); where precision matters, two floats
    (whole Julian date + fraction) as in jplephem. UTC (with leap seconds, from skyfield) only at the edges.
Frames
    ICRF axes (equatorial, "EME2000") unless a name says otherwise; ``ecliptic`` means the mean ecliptic and
    equinox of J2000 (IAU 2006 obliquity). Names state the origin: ``r_sun_icrf_m`` (heliocentric),
    ``r_ssb_icrf_m`` (solar-system barycentre), Mars-centred states say ``mars``.
Orbital elements
    ``(a_m, e, i_rad, raan_rad, argp_rad, nu_rad)``, semi-major axis negative for hyperbolae.
Flight-path angle
    Angle of the velocity above the local horizontal: negative while descending (entry at about -12 deg).
Lambert
    "Prograde" means angular momentum with positive z in the frame of the inputs (porkchops use the ecliptic).
    Multi-revolution branches are named ``short-period`` (smaller semi-major axis; Izzo/pykep "left") and
    ``long-period`` (larger; "right").
Failures in batched kernels
    Per-element integer status codes (0 = OK) with NaN in the failed rows; never a silent NaN.

Public API
----------
``areo.lambert`` (batched Lambert solver), ``areo.porkchop`` (launch-window analysis), ``areo.propagate``
(two-body propagation), ``areo.ephem`` (DE421 states), ``areo.time`` (UTC/TDB).
"""

__version__ = "0.1.0"

from .kepler import propagate
from .transfer.lambert import LambertSolution, lambert
from .transfer.lambert_status import LambertStatus
from .transfer.window import porkchop

__all__ = ["LambertSolution", "LambertStatus", "__version__", "lambert", "porkchop", "propagate"]
