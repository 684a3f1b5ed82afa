"""Physical constants: value in SI units, unit, and the published source of each.

Every number the physics uses lives here once. ``Constant`` is a ``float`` subclass, so ``GM_SUN`` can be
used directly in arithmetic, and still carries ``.unit`` and ``.source`` for documentation and reports.
"""

from __future__ import annotations


class Constant(float):
    """A float with its unit and source attached (``GM_MARS.unit``, ``GM_MARS.source``)."""

    unit: str
    source: str
    name: str

    def __new__(cls, value: float, unit: str, source: str, name: str = "") -> Constant:
        self = super().__new__(cls, value)
        self.unit = unit
        self.source = source
        self.name = name
        return self

    def __repr__(self) -> str:
        return f"<Constant {self.name} = {float(self)!r} {self.unit} ({self.source})>"

    def __reduce__(self) -> tuple[type[Constant], tuple[float, str, str, str]]:
        return (Constant, (float(self), self.unit, self.source, self.name))


_DE421 = "JPL DE421 header constants, Folkner et al. 2008, IPN Progress Report 42-178"
_IAU2015 = "IAU 2015 Resolution B3 (nominal values)"

# Fundamental
C_LIGHT = Constant(299_792_458.0, "m/s", "SI definition (exact)", "C_LIGHT")
AU = Constant(149_597_870_700.0, "m", "IAU 2012 Resolution B2 (exact)", "AU")
DAY = Constant(86_400.0, "s", "SI day", "DAY")
J2000_JD = Constant(2_451_545.0, "d", "JD of J2000.0 (2000-01-01 12:00 TT)", "J2000_JD")
G0 = Constant(9.80665, "m/s^2", "CGPM 1901 standard gravity (exact)", "G0")

# Gravitational parameters (DE421 values: GM in au^3/day^2 converted with AU and DAY above)
GM_SUN = Constant(
    1.32712440018e20,
    "m^3/s^2",
    "IAU 2009 System of Astronomical Constants (TDB-compatible); equals DE421's GM_sun within 1e-13 and pykep's MU_SUN",
    "GM_SUN",
)
GM_MERCURY = Constant(2.2032080e13, "m^3/s^2", _DE421, "GM_MERCURY")
GM_VENUS = Constant(3.24858599e14, "m^3/s^2", _DE421, "GM_VENUS")
GM_EARTH = Constant(3.98600436e14, "m^3/s^2", _DE421, "GM_EARTH")
GM_MOON = Constant(4.902801e12, "m^3/s^2", _DE421, "GM_MOON")
GM_MARS = Constant(4.2828375e13, "m^3/s^2", "Mars system GM, DE421; MRO120D gives 4.282837362e13", "GM_MARS")
GM_JUPITER_SYSTEM = Constant(1.26712764800e17, "m^3/s^2", _DE421, "GM_JUPITER_SYSTEM")
GM_SATURN_SYSTEM = Constant(3.7940585e16, "m^3/s^2", _DE421, "GM_SATURN_SYSTEM")
GM_URANUS_SYSTEM = Constant(5.794548e15, "m^3/s^2", _DE421, "GM_URANUS_SYSTEM")
GM_NEPTUNE_SYSTEM = Constant(6.836535e15, "m^3/s^2", _DE421, "GM_NEPTUNE_SYSTEM")
GM_PLUTO_SYSTEM = Constant(9.77e11, "m^3/s^2", _DE421, "GM_PLUTO_SYSTEM")

# Radii and shapes
R_EARTH_EQ = Constant(6_378_137.0, "m", "WGS84 semi-major axis", "R_EARTH_EQ")
F_EARTH = Constant(1.0 / 298.257223563, "1", "WGS84 flattening", "F_EARTH")
R_MARS_EQ = Constant(3_396_190.0, "m", "IAU WGCCRE 2015 (Archinal et al. 2018), Mars equatorial radius", "R_MARS_EQ")
R_MARS_POLAR = Constant(3_376_200.0, "m", "IAU WGCCRE 2015 (Archinal et al. 2018), Mars polar radius", "R_MARS_POLAR")
R_MARS_MOLA = Constant(3_396_000.0, "m", "MOLA reference sphere radius (Smith et al. 2001)", "R_MARS_MOLA")
J2_MARS = Constant(1.96045e-3, "1", "Mars J2, Konopliv et al. 2006 (MGS95J), unnormalised", "J2_MARS")
OMEGA_MARS = Constant(
    7.088218e-5, "rad/s", "Mars rotation rate 350.891982443297 deg/day, IAU WGCCRE 2015", "OMEGA_MARS"
)
OMEGA_EARTH = Constant(7.292115e-5, "rad/s", "WGS84 / IERS nominal Earth rotation rate", "OMEGA_EARTH")

# IAU rotation poles at J2000 (right ascension, declination of the north pole in ICRF, degrees),
# Archinal et al. 2018, "Report of the IAU WG on Cartographic Coordinates and Rotational Elements: 2015".
# Rates are neglected: they move the poles by < 0.01 deg over the decades areo covers.
POLE_RA_DEC_DEG: dict[str, tuple[float, float]] = {
    "sun": (286.13, 63.87),
    "mercury": (281.0103, 61.4155),
    "venus": (272.76, 67.16),
    "earth": (0.0, 90.0),
    "moon": (269.9949, 66.5392),
    "mars": (317.269202, 54.432516),
    "jupiter": (268.056595, 64.495303),
    "saturn": (40.589, 83.537),
    "uranus": (257.311, -15.175),
    "neptune": (299.36, 43.46),
}

# Obliquity of the ecliptic at J2000 (IAU 2006), for ecliptic frames.
OBLIQUITY_J2000 = Constant(
    84_381.406 / 3600.0 * 3.141592653589793 / 180.0,
    "rad",
    "IAU 2006 precession (Capitaine et al. 2003)",
    "OBLIQUITY_J2000",
)

# --- cruise and arrival (areo.cruise) ---
W0_MARS_DEG = Constant(
    176.049863,
    "deg",
    "Mars prime meridian angle W at J2000 (W = 176.049863 + 350.891982443297 d), IAU WGCCRE 2015 (Archinal et al. 2018); periodic terms (< 0.001 deg) neglected",
    "W0_MARS_DEG",
)
SOLAR_PRESSURE_1AU = Constant(
    1361.0 / 299_792_458.0,
    "N/m^2",
    "solar irradiance 1361 W/m^2 at 1 au (Kopp & Lean 2011, GRL 38, L01706) divided by c",
    "SOLAR_PRESSURE_1AU",
)
R_SOI_EARTH = Constant(
    9.25e8,
    "m",
    "Earth sphere of influence (Laplace), Curtis, Orbital Mechanics for Engineering Students, 3rd ed., table A.2",
    "R_SOI_EARTH",
)
R_SOI_MARS = Constant(
    5.77e8,
    "m",
    "Mars sphere of influence (Laplace), Curtis, Orbital Mechanics for Engineering Students, 3rd ed., table A.2",
    "R_SOI_MARS",
)

# Entry, descent and landing (areo.edl)
R_GAS_UNIVERSAL = Constant(8.314462618, "J/(mol K)", "CODATA 2018 molar gas constant (exact)", "R_GAS_UNIVERSAL")
M_MOLAR_MARS_AIR = Constant(
    0.04334,
    "kg/mol",
    "Mars atmosphere mean molar mass 43.34 g/mol, NASA Mars Fact Sheet (Williams 2020)",
    "M_MOLAR_MARS_AIR",
)
K_SUTTON_GRAVES_MARS = Constant(
    1.9027e-4,
    "kg^0.5/m",
    "Sutton & Graves 1971, NASA TR R-376, coefficient for CO2/N2 Mars atmosphere (as used by Tauber & Sutton 1991)",
    "K_SUTTON_GRAVES_MARS",
)

# Venus (areo.bodies, areo.aerobraking)
R_VENUS_MEAN = Constant(6_051_800.0, "m", "IAU WGCCRE 2015 (Archinal et al. 2018), Venus mean radius", "R_VENUS_MEAN")
J2_VENUS = Constant(
    4.40443e-6, "1", "Venus J2 (unnormalised), Konopliv et al. 1999, Icarus 139, MGNP180U gravity field", "J2_VENUS"
)
OMEGA_VENUS = Constant(
    -1.4813688 * 3.141592653589793 / 180.0 / 86_400.0,
    "rad/s",
    "Venus rotation -1.4813688 deg/day (retrograde), IAU WGCCRE 2015 (Archinal et al. 2018)",
    "OMEGA_VENUS",
)
R_SOI_VENUS = Constant(
    6.16e8,
    "m",
    "Venus sphere of influence (Laplace), Curtis, Orbital Mechanics for Engineering Students, 3rd ed., table A.2",
    "R_SOI_VENUS",
)
W0_VENUS_DEG = Constant(
    160.20,
    "deg",
    "Venus prime meridian angle W at J2000 (W = 160.20 - 1.4813688 d), IAU WGCCRE 2015 (Archinal et al. 2018)",
    "W0_VENUS_DEG",
)
R_MOON_MEAN = Constant(1_737_400.0, "m", "IAU WGCCRE 2015 (Archinal et al. 2018), Moon mean radius", "R_MOON_MEAN")
R_SUN_NOMINAL = Constant(695_700_000.0, "m", "IAU 2015 Resolution B3 nominal solar radius", "R_SUN_NOMINAL")
M_MOLAR_VENUS_AIR = Constant(
    0.04344, "kg/mol", "Venus lower atmosphere mean molar mass 43.44 g/mol, NASA Venus Fact Sheet", "M_MOLAR_VENUS_AIR"
)
