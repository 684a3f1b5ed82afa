"""Read a CCSDS OEM or TDM file and summarise it (``areo check FILE``): the user-layer check a user runs on a
file from another tool before giving it to areo. Anything unreadable or malformed raises InputError (one line)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..errors import InputError


def _text(path: str | os.PathLike[str]) -> str:
    p = Path(path)
    if not p.is_file():
        raise InputError(f"no file at {str(p)!r}; give the path of a CCSDS OEM or TDM (KVN) file.")
    try:
        return p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(
            f"cannot read {str(p)!r} as UTF-8 text ({e.__class__.__name__}); give a KVN text file."
        ) from None


def check_ccsds_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """``{"kind": "OEM"|"TDM", "segments": [...]}`` with, per segment, the object or participants, the time
    system as written, the sample count and the first/last epoch (TDB seconds past J2000 for an OEM)."""
    from .oem import parse_oem
    from .tdm import parse_tdm

    text = _text(path)
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if first.startswith("CCSDS_OEM_VERS") or first.startswith("<"):
        _header, segs = parse_oem(text)
        rows = [
            {
                "object": s.object_name,
                "center": s.center_name,
                "time_system": s.metadata.get("TIME_SYSTEM", s.time_system),
                "interpolation": f"{s.interpolation} {s.interpolation_degree}" if s.interpolation else "",
                "samples": int(s.tdb_s.size),
                "start_tdb_s": float(s.tdb_s[0]),
                "stop_tdb_s": float(s.tdb_s[-1]),
                "covariances": len(s.covariances),
            }
            for s in segs
        ]
        return {"kind": "OEM", "segments": rows}
    if first.startswith("CCSDS_TDM_VERS"):
        rows = [
            {
                "participants": ", ".join(v for k, v in sorted(meta.items()) if k.startswith("PARTICIPANT_")),
                "time_system": meta["TIME_SYSTEM"],
                "samples": len(data),
                "start": data[0][1] if data else "",
                "stop": data[-1][1] if data else "",
            }
            for meta, data in parse_tdm(text)
        ]
        return {"kind": "TDM", "segments": rows}
    raise InputError(
        f"{str(path)!r} starts with {first[:40]!r}; areo checks CCSDS OEM (CCSDS_OEM_VERS) and TDM (CCSDS_TDM_VERS) "
        "files in KVN form."
    )
