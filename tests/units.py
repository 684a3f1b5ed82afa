"""Units for writing test tolerances in physical terms (``1 * METRE``, ``1e-3 * ARCSEC``). SI base."""

import math

METRE = 1.0
KM = 1000.0
MM = 1e-3
SECOND = 1.0
MINUTE = 60.0
DAY = 86400.0
M_S = 1.0
MM_S = 1e-3
KM_S = 1000.0
KM2_S2 = 1e6
DEG = math.pi / 180.0
ARCSEC = DEG / 3600.0
