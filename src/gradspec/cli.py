"""The ``gradspec`` command."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

import numpy as np

from gradspec import __version__

__all__ = ["main"]

_DEMO_CASES = ("gd", "adam-000", "mini-batches", "ewa-temperature", "softmax-example")


def _demo(args: argparse.Namespace) -> int:
    import importlib

    from gradspec.conformance import CASES, mismatches

    chosen = [c for c in CASES if args.all or c.id in _DEMO_CASES]
    failures = 0
    with np.printoptions(precision=8, suppress=False):
        for case in chosen:
            seeds = ", ".join(f"seed {seed}" for seed, _ in case.sources)
            print(f"== {case.id} ({seeds}): {case.description}")
            computed = case.compute(importlib.import_module(case.api))
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
    verify = commands.add_parser(
        "verify", help="check an implementation of the notebook API against the spec",
        description="Check TARGET's notebook functions against the spec: differential tests "
                    "against the reference on generated inputs, the seeds' printed numbers, and "
                    "the spec's invariants. Reports, per function, pass / fail / error / missing, "
                    "the dialects it matched, and a minimal counterexample for each failure. Exit "
                    "status: 0 all conform, 1 a function failed or errored, 2 usage error.",
    )
    verify.add_argument("target", metavar="TARGET", nargs="?",
                        help="a .py file, an importable module name, 'reference', or a framework: "
                             "torch, optax, keras or tfjs (checks its own optimizer and schedule objects; needs "
                             "pip install 'gradspec[torch]', 'gradspec[jax]' or 'gradspec[keras]', or for "
                             "TensorFlow.js Node.js and npm ci)")
    verify.add_argument("--json", metavar="PATH", dest="json_path", help="also write the report as JSON")
    verify.add_argument("--dialect", metavar="RULE=NAME", action="append", default=[],
                        help="accept a non-canonical dialect, e.g. adam=eps-inside (repeatable)")
    verify.add_argument("--profile", choices=["quick", "default", "thorough"], default="default",
                        help="how many generated examples per check (default: %(default)s)")
    verify.add_argument("--timeout", metavar="SECONDS", type=float, default=5.0,
                        help="time limit of each call into the target (default: %(default)s); its import may "
                             "take 10 times as long")
    verify.add_argument("--exec", metavar='"CMD ARGS"', dest="exec_command",
                        help="instead of TARGET, an implementation in any language speaking protocol v1 on its "
                             "stdin and stdout (docs/protocol.md): each op it implements is checked")
    verify.add_argument("--sandbox", choices=["auto", "bwrap", "none"], default="auto",
                        help="run the target under bubblewrap (bwrap: read-only files but a scratch directory, "
                             "no network, its own processes only), as a contained plain process (none), or "
                             "bwrap where it is installed and works (auto, the default)")
    verify.add_argument("--max-reply-mb", metavar="MIB", type=float, default=256.0,
                        help="the largest reply a call may send back, in MiB (default: %(default)s); a larger "
                             "one fails the function before anything of it is read")
    verify.set_defaults(run=_verify)
    replay = commands.add_parser(
        "replay", help="replay the seeds' ten training runs and compare every printed value",
        description="Run the seeds' training loop (seeds 000 and 001: a 3-layer network on the "
                    "moons) on gradspec's reference, print the cost lines and the accuracy in the "
                    "seeds' format, and say whether every value the seed printed is reproduced at "
                    "its printed precision. Needs the replay extra: pip install 'gradspec[replay]'. "
                    "Exit status: 0 all match, 1 a value differs, 2 usage error.",
    )
    replay.add_argument("runs", metavar="RUN", nargs="*",
                        help="run ids (default: all ten): " + ", ".join(_RUN_IDS))
    replay.add_argument("--json", metavar="PATH", dest="json_path",
                        help="also write costs (every 100 epochs), accuracies and verdicts as JSON")
    replay.add_argument("--plot", metavar="DIR", dest="plot_dir",
                        help="write one PNG per run (cost curve, decision boundary) and "
                             "optimizers.png (the cost curves overlaid)")
    replay.add_argument("--epochs", metavar="N", type=_positive_int,
                        help="replay only the first N epochs of each run (and compare what the "
                             "seed printed in them)")
    replay.set_defaults(run=_replay)
    vectors = commands.add_parser(
        "vectors", help="write gradspec's test vectors (language-neutral JSON) for every protocol op",
        description="Write DIR/<op>.json for every op of protocol v1, and the JSON Schema beside them: "
                    "each case's arguments, the canonical result and each dialect's where it differs.",
    )
    actions = vectors.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = actions.add_parser("export", help="write the vectors to DIR (created if missing)")
    export.add_argument("directory", metavar="DIR")
    export.set_defaults(run=_vectors_export)
    check = actions.add_parser("check", help="run the vectors in DIR against a protocol v1 client (no Hypothesis)")
    check.add_argument("directory", metavar="DIR")
    check.add_argument("--exec", metavar='"CMD ARGS"', dest="exec_command", required=True,
                       help="the client, as for gradspec verify --exec")
    check.add_argument("--dialect", metavar="RULE=NAME", action="append", default=[],
                       help="accept this dialect of RULE instead of the canonical one (repeatable)")
    check.add_argument("--timeout", metavar="SECONDS", type=float, default=5.0, help="per call (default: 5)")
    check.add_argument("--sandbox", choices=["auto", "bwrap", "none"], default="auto",
                       help="as for gradspec verify (default: auto)")
    check.add_argument("--json", metavar="PATH", dest="json_path", help="also write the report as JSON")
    check.set_defaults(run=_vectors_check)
    return parser


#: The replays' ids, spelled out so ``--help`` needs no import of the reference.
_RUN_IDS = ("blog-gd", "blog-momentum", "blog-adam", "blog-gd-inverse-time", "blog-gd-staircase",
            "blog-momentum-staircase", "blog-adam-staircase", "course-gd", "course-momentum",
            "course-adam")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive integer; got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer (epochs to replay); got {value}")
    return value


def _replay(args: argparse.Namespace) -> int:
    from gradspec.replay import main as replay_main

    return replay_main(args.runs, json_path=args.json_path, plot_dir=args.plot_dir, epochs=args.epochs)


def _vectors_export(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from gradspec.conformance.vectors import export

    try:
        written = export(Path(args.directory))
    except OSError as err:
        print(f"gradspec vectors export: cannot write to {args.directory!r} ({err.strerror or err}); pass a "
              "directory you can write to", file=sys.stderr)
        return 2
    files = [p for p in written if not p.name.endswith(".schema.json")]
    tests = sum(len(json.loads(p.read_text())["tests"]) for p in files)
    print(f"wrote {len(files)} vector files ({tests} tests), the vectors' schema and the protocol's to "
          f"{args.directory}")
    return 0


def _vectors_check(args: argparse.Namespace) -> int:
    from pathlib import Path

    from gradspec import __version__
    from gradspec.conformance.target import TargetError
    from gradspec.conformance.vectors import check
    from gradspec.conformance.verify import (
        Report,
        UsageError,
        _check_options,
        format_report,
        parse_dialects,
        write_json,
    )

    try:
        options = _check_options("quick", args.timeout, args.sandbox, 256.0)
        dialects = parse_dialects(args.dialect)
        results = check(Path(args.directory), args.exec_command, options=options, dialects=dict(dialects))
    except (UsageError, FileNotFoundError, TargetError) as exc:
        print(f"gradspec vectors check: {exc}", file=sys.stderr)
        return 2
    report = Report(__version__, f"{args.directory} --exec {args.exec_command}", "vectors", results,
                    sandbox=options["sandbox"], command="vectors check",
                    missing_means="not listed in the client's hello")
    print(format_report(report))
    if args.json_path:
        write_json(report, args.json_path)
    return 0 if report.ok else 1


def _verify(args: argparse.Namespace) -> int:
    from gradspec.conformance.verify import main as verify_main

    return verify_main(args.target, json_path=args.json_path, dialect_pairs=args.dialect,
                       profile=args.profile, timeout=args.timeout, sandbox=args.sandbox,
                       max_reply_mb=args.max_reply_mb, exec_command=args.exec_command)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    if argv is None:  # the command itself: told to stop, it ends its workers and removes its temporary files
        import signal

        signal.signal(signal.SIGTERM, _terminated)
    return int(args.run(args))


def _terminated(signum: int, frame: object) -> None:
    from gradspec.conformance.target import shutdown

    shutdown()
    sys.stderr.flush()
    os._exit(128 + signum)
