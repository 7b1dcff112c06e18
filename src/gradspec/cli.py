"""The ``gradspec`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import numpy as np

from gradspec import __version__

__all__ = ["main"]

_DEMO_CASES = ("gd", "adam-000", "mini-batches", "ewa-temperature", "softmax-example")


def _demo(args: argparse.Namespace) -> int:
    from gradspec.conformance import CASES, mismatches
    from gradspec.reference import notebook

    chosen = [c for c in CASES if args.all or c.id in _DEMO_CASES]
    failures = 0
    with np.printoptions(precision=8, suppress=False):
        for case in chosen:
            seeds = ", ".join(f"seed {seed}" for seed, _ in case.sources)
            print(f"== {case.id} ({seeds}): {case.description}")
            computed = case.compute(notebook)
            for name, printed in case.printed.items():
                raw = computed[name]
                value = np.asarray(raw)
                shown = str(raw) if isinstance(raw, tuple) else str(value)
                separator = "\n" if value.ndim >= 2 else " "
                note = (f"   (the seed printed {printed.text.strip()}: erratum {case.errata[name]})"
                        if name in case.errata else "")
                print(f"  {name} ={separator}{shown}{note}")
            bad = mismatches(case)
            failures += bool(bad)
            if bad:
                verdict = "MISMATCH: " + ", ".join(bad)
            elif case.errata:
                verdict = "matches the seed at its printed precision, but for its misprints"
            else:
                verdict = "matches the seed at its printed precision"
            print(f"  -> {verdict}\n")
    print(f"{len(chosen) - failures} of {len(chosen)} cases reproduced"
          + ("" if args.all else " (gradspec demo --all for every pinned case)"))
    return 1 if failures else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gradspec",
        description="An executable specification of the math of training neural networks: "
                    "the formulas in SymPy, a NumPy reference generated from them, and the "
                    "course notes' printed numbers, reproduced.",
    )
    parser.add_argument("--version", action="version", version=f"gradspec {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser(
        "demo", help="recompute some of the seeds' printed arrays with the reference",
        description="Recompute the seeds' printed test-case arrays with gradspec's reference "
                    "and say whether each matches at the precision the seed printed.",
    )
    demo.add_argument("--all", action="store_true", help="every pinned case, not a sample")
    demo.set_defaults(run=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    return int(args.run(args))
