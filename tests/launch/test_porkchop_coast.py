"""The lift-off times and coasts where users look (`areo porkchop --launcher` table) and the coast in the porkchop's
shading (areo.launch.period.feasible_mask, areo.launch.departure.coast_fits).

The coast geometry itself is checked against outside tools in test_departure.py; here: the table shows what the
launch period computed, the flown Venus Express lift-off is the one it names first, and the shading obeys the
invariants of a coast limit (monotonic in the limit; no limit = the old shading; the same verdict as the days')."""

import dataclasses
import itertools
import json
import re

import numpy as np
import pytest
from typer.testing import CliRunner

from areo.cli import app
from areo.cli.porkchop import _opportunities
from areo.errors import InputError
from areo.launch import feasible_mask, get_launcher, launch_period, load_launchers
from areo.launch.departure import DEPARTURE_COAST_TOO_LONG, coast_fits
from areo.time import utc_to_tdb_seconds
from areo.transfer.window import porkchop
from tests.units import MINUTE

runner = CliRunner()

# Venus Express (scenario venus-express2005.toml): Soyuz-FG/Fregat, 1270 kg (ESA), its porkchop window
VEX = ["porkchop", "earth", "venus", "--arrive", "2006-03-15:2006-05-15", "--launcher", "soyuz-fg-fregat"]
VEX_FLOWN_UTC = "2005-11-09T03:33:00Z"  # Spaceflight Now / Roscosmos: lift-off 0333 GMT
LIFT_OFF_TOL = 6 * MINUTE  # the error budget of test_departure.py (LIFT_OFF_TOL)


def _row(table: str, day: str) -> list[str]:
    """The cells of the table row that starts with ``day``."""
    line = next(ln for ln in table.splitlines() if ln.startswith(f"│ {day}"))
    return [c.strip() for c in line.strip("│").split("│")]


@pytest.fixture
def wide_console():
    """The CLI's console 200 columns wide, whatever the width it took when first imported (a 80-column console
    folds the two lift-off times onto two lines)."""
    from areo.cli._app import console

    saved = console._width
    console.width = 200
    yield
    console._width = saved


@pytest.mark.usefixtures("wide_console")
def test_the_table_names_the_flown_venus_express_lift_off_first():
    """The 9 Nov 2005 row lists both opportunities, the first within 6 min of the flown 03:33 UTC (measured
    03:36:49, coast 86 min of Fregat's 90), each as the launch period's JSON gives it."""
    args = [*VEX, "--depart", "2005-11-08:2005-11-10", "--grid", "10", "--payload-kg", "1270"]
    r = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    table = r.stdout
    assert "coast over 90 min" in table  # the caption names the launcher's limit
    cells = _row(table, "2005-11-09")
    times = re.findall(r"\d\d:\d\d:\d\d", cells[7])
    assert len(times) == 2 and "(" not in cells[7]
    flown = float(utc_to_tdb_seconds(VEX_FLOWN_UTC))
    assert abs(float(utc_to_tdb_seconds(f"2005-11-09T{times[0]}Z")) - flown) < LIFT_OFF_TOL
    r = runner.invoke(app, [*args, "--json"])
    day = next(d for d in json.loads(r.stdout)["launch_period"]["days"] if d["utc"].startswith("2005-11-09"))
    assert times == [t[11:19] for t in day["launch_times_utc"]]
    assert cells[8].split() == [f"{c:.0f}" for c in day["coast_min"]] and all(day["coast_ok"])


def test_opportunities_that_fit_come_first_and_the_others_in_parentheses():
    day = {
        "launch_times_utc": ["2016-03-14T05:54:14Z", "2016-03-14T07:53:40Z"],
        "coast_min": [95.0, 12.4],
        "coast_ok": [False, True],
    }
    assert _opportunities(day) == ("07:53:40 (05:54:14)", "12 (95)")
    assert _opportunities({**day, "launch_times_utc": []}) == ("—", "12 (95)")  # a site without a longitude
    assert _opportunities({"launch_times_utc": [], "coast_min": [], "coast_ok": []}) == ("—", "—")  # C3 <= 0


# ------------------------------------------------------------------------------------------------ shading
def _user_launcher(tmp_path, base, max_coast_min: float):
    """``base`` as a user's TOML launcher with another coast limit."""
    f = tmp_path / f"coast{max_coast_min:g}.toml"
    lists = {k: ", ".join(f"{x!r}" for x in v) for k, v in (
        ("inc", base.parking_inclinations_deg), ("c3", base.c3_table_km2_s2), ("kg", base.payload_table_kg))}  # fmt: skip
    f.write_text(
        f'[launchers.mine]\ntitle = "Mine"\nsite = "{base.site.name}"\nparking_inclinations_deg = [{lists["inc"]}]\n'
        f"parking_altitude_km = {base.parking_altitude_km!r}\nmax_coast_min = {max_coast_min!r}\n"
        f'c3_km2_s2 = [{lists["c3"]}]\npayload_kg = [{lists["kg"]}]\nsource = "test: {base.name}, another coast"\n'
    )
    return load_launchers(f)["mine"]


@pytest.fixture(scope="module")
def vex_grid():
    return porkchop("earth", "venus", depart="2005-10-26:2005-11-24", arrive="2006-03-15:2006-05-15", grid="40").grid


def _mask(lv, g, with_coast=True):
    c3 = np.where(g.status == 0, g.c3_km2_s2, np.nan)
    if not with_coast:
        return feasible_mask(lv, 1270.0, c3, g.dla_deg)
    return feasible_mask(lv, 1270.0, c3, g.dla_deg, rla_deg=g.rla_deg, depart_tdb_s=g.depart_tdb_s[:, None])


def test_a_shorter_coast_limit_shades_more_cells_never_fewer(vex_grid, tmp_path):
    """Invariant: shading grows monotonically as the limit shrinks; a 1-min limit shades more than Fregat's 90 min;
    a limit above any coast (one parking revolution is ~88 min) shades exactly what the old mask did."""
    shipped = get_launcher("soyuz-fg-fregat")
    masks = [_mask(_user_launcher(tmp_path, shipped, m), vex_grid) for m in (9999.0, 60.0, 20.0, 1.0)]
    shipped_mask = _mask(shipped, vex_grid)
    assert np.array_equal(masks[0], _mask(shipped, vex_grid, with_coast=False))
    for wide, narrow in itertools.pairwise(masks):
        assert np.all(narrow <= wide)
    assert np.all(masks[-1] <= shipped_mask) and masks[-1].sum() < shipped_mask.sum()
    assert np.all(shipped_mask <= masks[0])


def test_cell_verdict_matches_the_launch_period_day_verdict():
    """The shading's coast verdict for a day's chosen transfer is the launch period's (a 12-min limit closes some
    ExoMars 2016 days and leaves others, test_departure.py)."""
    lv = dataclasses.replace(get_launcher("proton-m-breeze-m"), max_coast_min=12.0)
    p = launch_period(lv, 4332.0, "2016-03-12:2016-03-20", "2016-10-19")
    fits = coast_fits(lv, p.depart_tdb_s, p.c3_km2_s2, p.dla_deg, p.rla_deg)
    assert p.opportunities is not None
    closed = p.opportunities.status == DEPARTURE_COAST_TOO_LONG
    assert np.array_equal(fits, ~closed) and closed.any() and not closed.all()


def test_coast_check_needs_both_rla_and_departure_epochs():
    lv = get_launcher("soyuz-fg-fregat")
    with pytest.raises(InputError, match="rla_deg and depart_tdb_s"):
        feasible_mask(lv, 1270.0, [8.0], [-20.0], rla_deg=[300.0])
