"""The data the documentation site shows, committed to the repository, and the check that keeps it true.

``docs/data/replay.json`` is ``gradspec replay --json`` of the ten runs (``nox -s replay`` writes it);
``docs/data/frameworks.json`` is the frameworks' verdicts (``nox -s frameworks``). The site renders
both, so it never needs a two-minute replay or the frameworks installed to build. CI runs both again
and checks, with :func:`differences`, that it gets the same data: a stale file fails CI, not the
reader's build.

"The same data" is: every string, integer, boolean and ``null`` identical, every list the same
length, every object the same keys, and every float within a relative ``1e-9`` (plus an absolute
``1e-12``) of the committed one. The floats are the replay's costs and final parameters, after up to
150,000 training steps: BLAS kernels and NumPy versions may round their last bits differently from
one machine to the next, and that is no change in what the site shows. The ``environment`` entries
(the Python and NumPy the data was computed with) are reported, not compared.

``python -m gradspec.sitedata check COMMITTED FRESH`` prints each difference and exits with
status 1 if there is one.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["ATOL", "INFORMATIONAL", "RTOL", "differences", "main"]

#: Floats are the same data when within ``RTOL`` relative plus ``ATOL`` absolute.
RTOL, ATOL = 1e-9, 1e-12
#: Keys whose values say what the data was computed with; reported when they differ, never compared.
INFORMATIONAL = frozenset({"environment"})


def differences(committed: Any, fresh: Any, *, rtol: float = RTOL, atol: float = ATOL, path: str = "$") -> list[str]:
    """Where ``fresh`` is not the same data as ``committed``, one line per place (a JSON path and both
    values); empty when they are the same. See the module's docstring for what "the same" means."""
    if isinstance(committed, bool) or isinstance(fresh, bool) or committed is None or fresh is None:
        same = type(committed) is type(fresh) and committed == fresh
    elif isinstance(committed, float) or isinstance(fresh, float):
        same = (isinstance(committed, int | float) and isinstance(fresh, int | float)
                and math.isclose(committed, fresh, rel_tol=rtol, abs_tol=atol))
    elif isinstance(committed, dict) and isinstance(fresh, dict):
        out = []
        for key in sorted(committed.keys() | fresh.keys()):
            where = f"{path}.{key}"
            if key in INFORMATIONAL:
                continue
            if key not in fresh:
                out.append(f"{where}: committed {_short(committed[key])}, now missing")
            elif key not in committed:
                out.append(f"{where}: not committed, now {_short(fresh[key])}")
            else:
                out += differences(committed[key], fresh[key], rtol=rtol, atol=atol, path=where)
        return out
    elif isinstance(committed, list) and isinstance(fresh, list):
        if len(committed) != len(fresh):
            return [f"{path}: committed {len(committed)} items, now {len(fresh)}"]
        return [line for i, (a, b) in enumerate(zip(committed, fresh, strict=True))
                for line in differences(a, b, rtol=rtol, atol=atol, path=f"{path}[{i}]")]
    else:
        same = type(committed) is type(fresh) and committed == fresh
    return [] if same else [f"{path}: committed {_short(committed)}, now {_short(fresh)}"]


def _short(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 80 else text[:77] + "..."


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m gradspec.sitedata check COMMITTED FRESH``."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m gradspec.sitedata",
                                     description="Check that regenerated site data is the committed data.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="compare a freshly written data file with the committed one")
    check.add_argument("committed", metavar="COMMITTED.json")
    check.add_argument("fresh", metavar="FRESH.json")
    args = parser.parse_args(argv)
    try:
        committed, fresh = (json.loads(Path(p).read_text(encoding="utf-8")) for p in (args.committed, args.fresh))
    except (OSError, json.JSONDecodeError) as problem:
        print(f"gradspec.sitedata: {problem}")
        return 2
    found = differences(committed, fresh)
    for key in sorted(INFORMATIONAL):
        if committed.get(key) != fresh.get(key):
            print(f"note: {key} differs (not compared): committed {_short(committed.get(key))}, "
                  f"now {_short(fresh.get(key))}")
    for line in found[:40]:
        print(line)
    if len(found) > 40:
        print(f"... and {len(found) - 40} more")
    if found:
        print(f"{args.committed} is stale: {len(found)} difference{'s' if len(found) > 1 else ''} from a fresh run "
              f"({args.fresh}). Commit the fresh file if the change is intended.")
        return 1
    print(f"{args.committed}: the same data as a fresh run ({args.fresh})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
