"""A protocol v1 client answering with gradspec's reference, except for the bugs it is told to have:
the clients of tests/test_exec_checks.py (the invariants and pinned cases of ``verify --exec``).

``--ops a,b,c`` lists only those ops at hello; ``--momentum NAME`` and ``--adam NAME`` answer those
steps in that dialect, ``--trajectory-adam NAME`` Adam's trajectories; ``--bug KIND`` (repeatable):

* ``sigmoid-negative``: sigmoid is off by 3e-10 relative for negative z: within the differential
  check's tolerance (1e-9), not within the symmetry invariant's (4 ulps);
* ``float64-out``: the results of float32 inputs come back as float64 (the differential check allows
  promotion; the dtype-shape invariant does not);
* ``adam-beta1``: Adam corrects the second moment with beta1 (examples/protocol/client_adam_bug.js's bug);
* ``staircase-ceil``: the staircase schedule counts intervals with ceil instead of floor;
* ``error-on-adam``: adam_step answers with an error.
"""

import argparse
import json
import math
import sys

import numpy as np

from gradspec.conformance.protocol import OPS, decode, encode, evaluate

parser = argparse.ArgumentParser()
parser.add_argument("--ops", default=",".join(OPS))
parser.add_argument("--momentum", default=None)
parser.add_argument("--adam", default=None)
parser.add_argument("--trajectory-adam", default=None)
parser.add_argument("--bug", action="append", default=[],
                    choices=["sigmoid-negative", "float64-out", "adam-beta1", "staircase-ceil", "error-on-adam"])
args = parser.parse_args()
ops = args.ops.split(",")


def adam_beta1(a):
    w, g, v, s = (decode(a[k]) for k in "wgvs")
    b1, b2, t = a["beta1"], a["beta2"], a["t"]
    v1 = b1 * v + (1 - b1) * g
    s1 = b2 * s + (1 - b2) * g * g
    w1 = w - a["learning_rate"] * (v1 / (1 - b1**t)) / (np.sqrt(s1 / (1 - b1**t)) + a["epsilon"])
    return encode({"w": w1, "v": v1, "s": s1})


def answer(op, a):
    if "error-on-adam" in args.bug and op == "adam_step":
        raise ValueError("adam_step is not implemented yet")
    if "adam-beta1" in args.bug and op == "adam_step":
        return adam_beta1(a)
    if "staircase-ceil" in args.bug and op == "staircase_decay":
        return a["learning_rate0"] / (1 + a["decay_rate"] * math.ceil(a["epoch_num"] / a["time_interval"]))
    dialect = {"momentum_step": args.momentum, "adam_step": args.adam}.get(op)
    if op == "trajectory" and a["rule"] == "adam":
        dialect = args.trajectory_adam
    result = evaluate(op, a, dialect=dialect)
    if "sigmoid-negative" in args.bug and op == "sigmoid":
        z, value = decode(a["z"]), decode(result)
        result = encode(np.where(z < 0, value * (1 + 3e-10), value).astype(value.dtype))
    if "float64-out" in args.bug:
        result = json.loads(json.dumps(result).replace('"dtype": "float32"', '"dtype": "float64"'))
    return result


for line in sys.stdin:
    request = json.loads(line)
    if request["op"] == "hello":
        reply = {"id": request["id"], "ops": ops, "name": "buggy client"}
    else:
        try:
            reply = {"id": request["id"], "result": answer(request["op"], request["args"])}
        except ValueError as exc:
            reply = {"id": request["id"], "error": str(exc)}
    print(json.dumps(reply), flush=True)
