"""Seed 000's and seed 002's notebook functions, extracted from the seed documents at test
time (the seeds' code is not ours to copy into the project, only to check)."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

NOTEBOOK_NAMES = {
    "update_parameters_with_gd", "random_mini_batches", "initialize_velocity",
    "update_parameters_with_momentum", "initialize_adam", "update_parameters_with_adam",
    "forward_propagation", "relu", "sigmoid", "compute_cost", "backward_propagation", "predict",
    "initialize_parameters", "update_lr", "schedule_lr_decay",
}


def seeds_dir() -> Path | None:
    here = Path(__file__).resolve()
    for candidate in (os.environ.get("GRADSPEC_SEEDS"), here.parents[2] / "shared" / "seeds",
                      here.parents[1] / "shared" / "seeds"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def _functions(source: str, names: set[str]) -> list[str]:
    """The top-level ``def`` statements named ``names`` in ``source`` (the last of each wins)."""
    found: dict[str, str] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name in names:
            found[node.name] = ast.get_source_segment(source, node) or ""
    return list(found.values())


def seed000_module(directory: Path, destination: Path) -> Path:
    """Seed 000's notebook functions as a module file."""
    text = next(directory.glob("000_*.txt")).read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    defs = []
    for block in blocks:
        try:
            defs += _functions(block, NOTEBOOK_NAMES)
        except SyntaxError:
            continue
    destination.write_text("import math\n\nimport numpy as np\n\n\n" + "\n\n\n".join(defs) + "\n")
    return destination


def seed002_adam_module(directory: Path, destination: Path) -> Path:
    """Seed 002's update_parameters_with_adam (its listing is numbered and line-wrapped)."""
    text = next(directory.glob("002_*.txt")).read_text(encoding="utf-8")
    start = text.index("def update_parameters_with_adam(")
    end = text.index("return parameters, v, s", start) + len("return parameters, v, s")
    lines = []
    for raw in text[start:end].splitlines():
        line = re.sub(r"^\s*\d+\s?", "", raw) if not raw.startswith("def ") else raw
        if line.strip().startswith(("```", '"""')) or not line.strip():
            continue
        lines.append(line)
    prose = ("Update parameters using Adam", "Arguments", "Returns", "parameters --", "grads --",
             "v --", "s --", "learning_rate --", "beta1 --", "beta2 --", "epsilon --")
    body = [line for line in lines[1:] if not line.strip().startswith(prose)]
    joined = [lines[0]]
    for line in body:  # undo the listing's line wrapping: a line ending in an operator continues
        if re.search(r"[-+*/,(]\s*$", joined[-1]):
            joined[-1] = joined[-1].rstrip() + " " + line.strip()
        else:
            joined.append(line)
    # the listing restarts the body at column 0: indent it under the def
    code = joined[0] + "\n" + "\n".join("    " + line for line in joined[1:])
    destination.write_text("import numpy as np\n\n\n" + code + "\n")
    return destination
