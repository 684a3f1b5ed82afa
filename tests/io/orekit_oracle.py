"""Orekit (through orekit-jpype, a test extra) as an outside reader of areo's CCSDS files.

Orekit's CCSDS parsers are strict about keyword placement: they raised the issue's "unexpected keyword ...
COMMENT". Orekit needs two kinds of data it cannot download here:

- the UTC-TAI history (every CCSDS header has a UTC CREATION_DATE): written as a USNO ``tai-utc.dat`` from
  skyfield's built-in leap-second table;
- JPL ephemerides, to place a CENTER_NAME such as SUN: replaced by stand-in bodies that all sit at the origin of
  GCRF, so Orekit reads and interpolates every OEM segment in its own frame (no frame change: the tests compare
  in the file's frame, which is all a reader of these files needs).

``orekit()`` returns None with the reason when Java, JPype or orekit-jpype is missing, so the tests can skip.

The JVM runs in a child process (``python -m tests.io.orekit_oracle REQUEST.json`` prints a JSON answer): a JVM
started inside a pytest worker installs its own signal handlers, and native code of later tests in that process
then crashed it (SIGSEGV).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import shutil
import sys
import tempfile
from pathlib import Path


@functools.cache
def orekit():
    """(module namespace, DataContext) or (None, reason)."""
    try:
        import orekit_jpype
    except ImportError:
        return None, "orekit-jpype is not installed (pip install -e '.[test]')"
    if shutil.which("java") is None:
        return None, "no Java runtime (make java, or apt-get install default-jre-headless)"
    try:
        orekit_jpype.initVM()
        return _context(), ""
    except Exception as e:  # a JVM or Orekit build that does not start is an environment problem, not areo's
        return None, f"the JVM or Orekit did not start: {e}"


def _leap_second_file(folder: Path) -> None:
    from skyfield.api import load

    ts = load.timescale(builtin=True)
    rows = [(2441317.5, 10.0), *zip(ts.leap_dates, ts.leap_offsets)]
    lines = []
    for jd, off in rows:
        day = dt.datetime(2000, 1, 1, 12) + dt.timedelta(days=float(jd) - 2451545.0)
        mjd = int(jd - 2400000.5)
        lines.append(
            f" {day.year} {day.strftime('%b').upper()} {day.day:2d} =JD {jd:.1f}  TAI-UTC= {off:5.1f}       "
            f"S + (MJD - {mjd}.) X 0.0      S"
        )
    (folder / "tai-utc.dat").write_text("\n".join(lines) + "\n")


def _context():
    from java.io import File
    from jpype import JImplements, JOverride
    from org.hipparchus.geometry.euclidean.threed import Vector3D
    from org.orekit.data import DataContext, DirectoryCrawler
    from org.orekit.frames import FramesFactory, LazyLoadedEop, LazyLoadedFrames
    from org.orekit.utils import TimeStampedPVCoordinates

    folder = Path(tempfile.mkdtemp(prefix="areo-orekit-"))
    _leap_second_file(folder)
    default = DataContext.getDefault()
    default.getDataProvidersManager().addProvider(DirectoryCrawler(File(str(folder))))

    @JImplements("org.orekit.bodies.CelestialBody")
    class Body:
        def __init__(self, name):
            self.name = name

        @JOverride
        def getName(self):
            return self.name

        @JOverride
        def getGM(self):
            return 1.0

        @JOverride
        def getInertiallyOrientedFrame(self):
            return FramesFactory.getGCRF()

        @JOverride
        def getBodyOrientedFrame(self):
            return FramesFactory.getGCRF()

        @JOverride
        def getPosition(self, date, frame):
            return Vector3D.ZERO

        @JOverride
        def getPVCoordinates(self, date, frame):
            return TimeStampedPVCoordinates(date, Vector3D.ZERO, Vector3D.ZERO)

    cache: dict = {}

    def body(name):
        return cache.setdefault(name, Body(name))

    names = "SolarSystemBarycenter Sun Mercury Venus EarthMoonBarycenter Earth Moon Mars Jupiter Saturn Uranus"
    methods = {f"get{n}": JOverride(lambda self, n=n: body(n.upper())) for n in (*names.split(), "Neptune", "Pluto")}
    methods["getBody"] = JOverride(lambda self, name: body(str(name)))
    Bodies = JImplements("org.orekit.bodies.CelestialBodies")(type("Bodies", (), methods))
    bodies = Bodies()
    frames = LazyLoadedFrames(LazyLoadedEop(default.getDataProvidersManager()), default.getTimeScales(), bodies)

    @JImplements("org.orekit.data.DataContext")
    class Context:
        @JOverride
        def getTimeScales(self):
            return default.getTimeScales()

        @JOverride
        def getFrames(self):
            return frames

        @JOverride
        def getCelestialBodies(self):
            return bodies

        @JOverride
        def getGravityFields(self):
            return default.getGravityFields()

        @JOverride
        def getGeoMagneticFields(self):
            return default.getGeoMagneticFields()

    return Context()


def parse(kind: str, path):
    """Orekit's OEM or TDM parser on ``path`` (raises Orekit's exception on a file it refuses)."""
    from org.orekit.data import DataSource
    from org.orekit.files.ccsds.ndm import ParserBuilder

    ctx, _ = orekit()
    builder = ParserBuilder(ctx)
    parser = builder.buildOemParser() if kind == "oem" else builder.buildTdmParser()
    return parser.parseMessage(DataSource(str(path)))


def tdb_date(tdb_s: float):
    """An Orekit AbsoluteDate at TDB seconds past J2000."""
    from org.orekit.time import AbsoluteDate

    ctx, _ = orekit()
    j2000 = AbsoluteDate(2000, 1, 1, 12, 0, 0.0, ctx.getTimeScales().getTDB())
    return j2000.shiftedBy(float(tdb_s))


def answer(req: dict) -> dict:
    """What Orekit reads from the files named in ``req``: ``tdm`` (participants, comments, observations),
    ``old_tdm`` (the error Orekit raises, or None), ``oem`` with ``epochs`` per segment (interpolated positions)."""
    ctx, why = orekit()
    if ctx is None:
        return {"skip": why}
    out: dict = {}
    if "tdm" in req:
        (seg,) = list(parse("tdm", req["tdm"]).getSegments())
        meta = seg.getMetadata()
        out["participants"] = {str(int(e.getKey())): str(e.getValue()) for e in meta.getParticipants().entrySet()}
        out["comments"] = [str(c) for c in meta.getComments()]
        obs = list(seg.getData().getObservations())
        out["n_obs"] = len(obs)
        out["ranges_m"] = [float(o.getMeasurement()) for o in obs if str(o.getType()) == "RANGE"]
    if "old_tdm" in req:
        try:
            parse("tdm", req["old_tdm"])
            out["old_tdm_error"] = None
        except Exception as exc:  # Orekit's refusal is the answer
            out["old_tdm_error"] = str(exc)
    if "oem" in req:
        osegs = list(parse("oem", req["oem"]).getSegments())
        out["oem_segments"] = []
        for oseg, epochs in zip(osegs, req["epochs"], strict=True):
            prop, frame = oseg.getPropagator(), oseg.getFrame()
            pos = []
            for tk in epochs:
                p = prop.getPVCoordinates(tdb_date(tk), frame).getPosition()
                pos.append([p.getX(), p.getY(), p.getZ()])
            md = oseg.getMetadata()
            out["oem_segments"].append(
                {
                    "degree": int(md.getInterpolationDegree()),
                    "method": str(md.getInterpolationMethod()),
                    "positions_m": pos,
                }
            )
    return out


if __name__ == "__main__":
    print(json.dumps(answer(json.loads(Path(sys.argv[1]).read_text()))))
