"""A mission as an ordered list of small segments acting on one :class:`MissionState`.

Kinds (each a function ``(state, segment) -> None`` in its own module, tested alone):

============  ===========================================================================================
launch        design, n-body check of the Lambert arc, aimed injection (:mod:`.launch`)
dsm           the deep-space manoeuvre, a finite burn flown on the next coast (:mod:`.launch`)
tcm           coast, then a TCM by differential correction to the entry or approach target (:mod:`.tcm`)
separation    coast, then the lander leaves the stack (:mod:`.separation`)
entry         the released lander coasts to the entry interface, where it ends (:mod:`.separation`)
avoidance     the orbiter's manoeuvre after separation, targeted with the insertion (:mod:`.insertion`)
approach      an orbiter's last TCM (no lander), targeted with the insertion (:mod:`.insertion`)
insertion     orbit insertion, a finite burn ending at ``moi_end`` (:mod:`.insertion`)
end           a vehicle without a capture orbit coasts to arrival: entry, impact or burn-up (:mod:`.end`)
coast         coast to an epoch or an event (``periapsis:BODY``, ``soi-entry:BODY``) (:mod:`.coast`)
maneuver      an impulsive burn, Delta-v in VNB, RTN or ICRF, at an epoch or an event (:mod:`.coast`)
trim          after insertion, a periapsis burn to a target apoapsis or period (:mod:`.trim`)
============  ===========================================================================================

A scenario names the sequence (``cruise.sequence``); the epochs stay in their keys (``tcm_utc``, ...); the
coasts, manoeuvres and trims take the plan's ``coasts``, ``maneuvers`` and ``trims`` in turn.
:func:`resolve` pairs the names with the plan's epochs and :func:`check_sequence` refuses an impossible order
(insertion before the approach, separation of a lander that is not there, a TCM after separation, ...) in one
line, before any propagation.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from ...errors import InputError, unknown_choice
from ...time import tdb_seconds_to_utc_iso
from .coast import CoastSpec, ManeuverSpec, coast, maneuver
from .end import end, result
from .insertion import approach, insert_into_orbit, insertion
from .launch import dsm, launch
from .separation import entry, separation
from .state import MissionState, Segment
from .tcm import tcm
from .trim import TrimSpec, trim

SEGMENTS: dict[str, Callable[[MissionState, Segment], None]] = {
    "launch": launch,
    "dsm": dsm,
    "tcm": tcm,
    "separation": separation,
    "entry": entry,
    "avoidance": approach,
    "approach": approach,
    "insertion": insertion,
    "end": end,
    "coast": coast,
    "maneuver": maneuver,
    "trim": trim,
}
_SPECS = {"coast": ("coasts", "[[cruise.coasts]]"), "maneuver": ("maneuvers", "[[cruise.maneuvers]]")}
_SPECS["trim"] = ("trims", "[[cruise.trims]]")

__all__ = ["SEGMENTS", "MissionState", "Segment", "check_sequence", "default_sequence", "insert_into_orbit", "resolve"]
__all__ += ["CoastSpec", "ManeuverSpec", "TrimSpec", "result"]


def default_sequence(plan: Any) -> tuple[str, ...]:
    """The sequence a plan implies when it names none: launch, DSM, TCMs, separation and entry, the approach
    manoeuvre (the avoidance, or an orbiter's last TCM), insertion, end."""
    kinds = ["launch"] + (["dsm"] if plan.dsm_tdb_s is not None else [])
    tcms = ["tcm"] * len(plan.tcm_tdb_s)
    moi = plan.moi_end_tdb_s is not None
    if plan.lander is None and plan.avoidance_tdb_s is None and moi and tcms:
        tcms[-1] = "approach"
    kinds += tcms
    if plan.lander is not None:
        kinds += ["separation", "entry"]
    if plan.avoidance_tdb_s is not None:
        kinds.append("avoidance")
    if moi:
        kinds.append("insertion")
    return (*kinds, "end")


def resolve(kinds, plan: Any) -> tuple[Segment, ...]:
    """Segments for the ``kinds`` in order, each with its epoch from the plan (TCMs take ``tcm_tdb_s`` in turn)."""
    tcm_epochs = iter(enumerate(plan.tcm_tdb_s))
    specs = {k: iter(enumerate(getattr(plan, fld, ()))) for k, (fld, _) in _SPECS.items()}
    out = []
    for kind in kinds:
        if kind not in SEGMENTS:
            raise unknown_choice("segment", kind, SEGMENTS)
        if kind in _SPECS:
            out.append(_spec_segment(kind, next(specs[kind], None), plan))
            continue
        if kind in ("tcm", "approach"):
            nxt = next(tcm_epochs, None)
            if nxt is None:
                raise InputError(
                    f"the sequence has more TCMs ('tcm'/'approach') than tcm_tdb_s gives epochs "
                    f"({len(plan.tcm_tdb_s)}); add an epoch to tcm_utc or remove a 'tcm' from the sequence."
                )
            names = getattr(plan, "tcm_names", ())  # published names (a skipped TCM keeps its number)
            out.append(Segment(kind, nxt[1], names[nxt[0]] if names else f"TCM-{nxt[0] + 1}"))
            continue
        t = {
            "launch": plan.launch_tdb_s,
            "dsm": plan.dsm_tdb_s,
            "separation": plan.separation_tdb_s,
            "entry": plan.entry.tdb_s,
            "avoidance": plan.avoidance_tdb_s,
            "insertion": plan.moi_end_tdb_s,
            "end": plan.arrival_tdb_s,
        }[kind]
        out.append(Segment(kind, t, {"dsm": "DSM", "insertion": "MOI"}.get(kind, kind)))
    left = sum(1 for _ in tcm_epochs)
    if left:
        raise InputError(
            f"tcm_tdb_s gives {len(plan.tcm_tdb_s)} TCM epochs but the sequence flies "
            f"{len(plan.tcm_tdb_s) - left}; add 'tcm' to the sequence or remove epochs from tcm_utc."
        )
    for kind, (fld, key) in _SPECS.items():
        left = sum(1 for _ in specs[kind])
        if left:
            raise InputError(
                f"the plan gives {len(getattr(plan, fld))} {fld} but the sequence flies {len(getattr(plan, fld)) - left} "
                f"'{kind}' segments; add '{kind}' to the sequence or remove a {key} table."
            )
    return tuple(out)


def _spec_segment(kind: str, nxt, plan: Any) -> Segment:
    """A coast, manoeuvre or trim segment with the plan's next spec of that kind (its epoch, when it has one)."""
    fld, key = _SPECS[kind]
    if nxt is None:
        have = len(getattr(plan, fld, ()))
        raise InputError(
            f"the sequence has more '{kind}' segments than the plan gives {fld} ({have}); add a {key} table or "
            f"remove a '{kind}' from the sequence."
        )
    k, spec = nxt
    when = getattr(spec, "until", getattr(spec, "at", None))
    label = getattr(spec, "name", "") if kind == "maneuver" else ""
    name = label if label and label != "manoeuvre" else f"{kind}-{k + 1}"
    return Segment(kind, None if isinstance(when, str) else when, name, spec)


_NEEDS = {  # kind -> (plan field it needs, the key a scenario sets)
    "dsm": ("dsm_tdb_s", "dsm_utc"),
    "separation": ("separation_tdb_s", "separation_utc"),
    "avoidance": ("avoidance_tdb_s", "avoidance_utc"),
    "insertion": ("moi_end_tdb_s", "moi_end_utc"),
}
_ORBITER_LAST = ("insertion",)  # after it the orbiter flies no more manoeuvres


def _fail(what: str, fix: str, kinds) -> InputError:
    return InputError(f"impossible segment order {list(kinds)}: {what}; {fix}.")


def check_sequence(segments: tuple[Segment, ...], plan: Any) -> None:
    """Refuse an impossible sequence in one line (what is wrong and how to fix it), before any heavy work."""
    kinds = [s.kind for s in segments]
    _check_kinds(plan, kinds)
    attached = plan.lander is not None
    inserted = False
    for i, kind in enumerate(kinds):
        attached = _check_lander_step(plan, kinds, i, kind, attached)
        _check_orbit_step(kinds, i, kind, inserted)
        inserted = inserted or kind in _ORBITER_LAST
    if attached and plan.lander is not None:
        raise _fail("the lander never separates", "add 'separation' and 'entry' after the TCMs", kinds)
    if plan.lander is not None and "entry" not in kinds:
        raise _fail("the released lander never enters", "add 'entry' after 'separation'", kinds)
    if "approach" in kinds and "insertion" not in kinds:
        raise _fail("'approach' targets an insertion that does not come", "add 'insertion' or use 'tcm'", kinds)
    _check_specs(segments, plan, kinds)
    _check_epochs(segments)


def _check_kinds(plan: Any, kinds: list[str]) -> None:
    """One 'launch', first; 'end' once, last; each epoch-bearing kind at most once, present iff its epoch is set."""
    if not kinds or kinds[0] != "launch" or kinds.count("launch") != 1:
        raise _fail("a mission starts with exactly one 'launch'", "put 'launch' first, once", kinds)
    if "end" in kinds and (kinds.count("end") != 1 or kinds[-1] != "end"):
        raise _fail("'end' must come once, last", "move 'end' to the end of the sequence", kinds)
    for kind, (fld, key) in _NEEDS.items():
        given = getattr(plan, fld) is not None
        if kind in kinds and not given:
            raise _fail(f"'{kind}' has no epoch", f"set {key} or remove '{kind}'", kinds)
        if given and kind not in kinds:
            raise _fail(f"{key} is set but the sequence has no '{kind}'", f"add '{kind}' or remove {key}", kinds)
        if kinds.count(kind) > 1:
            raise _fail(f"'{kind}' comes {kinds.count(kind)} times", f"keep one '{kind}'", kinds)


def _check_lander_step(plan: Any, kinds: list[str], i: int, kind: str, attached: bool) -> bool:
    """Segment ``i`` against the lander: separate an attached one, enter after it, the stack's TCMs before, the
    orbiter's manoeuvres after. Returns whether the lander is still attached after the segment."""
    if kind == "separation" and not attached:
        who = "no lander is attached (it separated already)" if plan.lander is not None else "the plan has no lander"
        raise _fail(f"'separation' at position {i + 1}: {who}", "add a [cruise.lander] or remove 'separation'", kinds)
    if kind == "separation":
        attached = False
    if kind == "entry" and (plan.lander is None or attached):
        raise _fail(
            f"'entry' at position {i + 1} comes before the lander separates", "put 'separation' before 'entry'", kinds
        )
    if kind in ("tcm", "dsm") and plan.lander is not None and not attached:
        raise _fail(
            f"'{kind}' at position {i + 1} comes after separation (the stack's TCMs aim the lander's entry)",
            "fly TCMs before 'separation' and the orbiter's approach as 'avoidance'",
            kinds,
        )
    if kind in ("avoidance", "approach", "insertion") and attached:
        raise _fail(
            f"'{kind}' at position {i + 1} comes while the lander is still attached",
            "put 'separation' (and 'entry') before the orbiter's manoeuvres",
            kinds,
        )
    return attached


def _check_orbit_step(kinds: list[str], i: int, kind: str, inserted: bool) -> None:
    """Segment ``i`` against the insertion: only entry, end, coasts, manoeuvres and trims after it, nothing between
    the approach manoeuvre and it, and a trim only once there is an orbit."""
    if inserted and kind not in ("entry", "end", *_SPECS):
        raise _fail(
            f"'{kind}' at position {i + 1} comes after the orbit insertion",
            "make 'insertion' the orbiter's last manoeuvre (after the TCMs, separation and avoidance)",
            kinds,
        )
    if kind in _SPECS and "insertion" in kinds[i:] and any(k in ("avoidance", "approach") for k in kinds[:i]):
        raise _fail(
            f"'{kind}' at position {i + 1} comes between the approach manoeuvre and the insertion, which are "
            "targeted together",
            f"fly '{kind}' before the approach manoeuvre or after the insertion",
            kinds,
        )
    if kind == "trim" and not inserted:
        raise _fail(
            f"'trim' at position {i + 1} comes before the orbit insertion (there is no orbit to trim)",
            "put 'trim' after 'insertion'",
            kinds,
        )


def _check_specs(segments: tuple[Segment, ...], plan: Any, kinds) -> None:
    """Events name the arrival body; a coast to its sphere of influence comes before the insertion; every epoch
    lies inside the ephemeris."""
    from ...ephem import default_ephemeris
    from .coast import parse_event

    inserted = False
    for i, s in enumerate(segments):
        inserted = inserted or s.kind == "insertion"
        when = getattr(s.params, "until", getattr(s.params, "at", None)) if s.kind in _SPECS else None
        if isinstance(when, str):
            ev, _ = parse_event(when, plan.body)
            if ev == "soi-entry" and inserted:
                raise _fail(
                    f"'{s.kind}' at position {i + 1} waits for {when!r} after the orbit insertion (the orbiter is "
                    "inside that sphere of influence already)",
                    "wait for a periapsis or an epoch instead",
                    kinds,
                )
        elif when is not None:
            default_ephemeris().check_range(float(when), what=f"{s.name} epoch")


def _check_epochs(segments: tuple[Segment, ...]) -> None:
    """The stack's and orbiter's segments must come in time order (the lander's entry is its own clock)."""
    timed = [(s, s.tdb_s) for s in segments if s.tdb_s is not None and s.kind not in ("entry", "end")]
    for (a, ta), (b, tb) in itertools.pairwise(timed):
        if not tb > ta:
            ua, ub = tdb_seconds_to_utc_iso(ta), tdb_seconds_to_utc_iso(tb)
            raise InputError(
                f"impossible segment order: {b.name} ({ub}) comes after {a.name} ({ua}) in the sequence but not in "
                "time; order the sequence by epoch or fix the dates."
            )
