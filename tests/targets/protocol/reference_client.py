"""A protocol v1 client answering every op with gradspec's own reference: what a complete, correct
implementation looks like to ``gradspec verify --exec``. ``--adam eps-inside`` answers Adam in that
dialect; ``--misbehave KIND`` makes it a bad client (for the tests of gradspec's robustness)."""

import argparse
import json
import sys
import time

from gradspec.conformance.protocol import OPS, evaluate

parser = argparse.ArgumentParser()
parser.add_argument("--adam", default=None)
parser.add_argument("--misbehave", choices=["crash-at-hello", "garbage", "out-of-turn", "hang", "exit-on-adam",
                                            "error-on-sigmoid", "wrong-shape"])
args = parser.parse_args()

for line in sys.stdin:
    request = json.loads(line)
    op = request["op"]
    if op == "hello":
        if args.misbehave == "crash-at-hello":
            sys.exit(3)
        reply = {"id": request["id"], "ops": list(OPS), "name": "reference client"}
    elif args.misbehave == "garbage" and op == "relu":
        print("this is not JSON", flush=True)
        continue
    elif args.misbehave == "out-of-turn" and op == "tanh":
        reply = {"id": request["id"] + 7, "result": 0}
    elif args.misbehave == "hang" and op == "sigmoid":
        time.sleep(60)
        continue
    elif args.misbehave == "exit-on-adam" and op == "adam_step":
        sys.exit(9)
    elif args.misbehave == "error-on-sigmoid" and op == "sigmoid":
        reply = {"id": request["id"], "error": "sigmoid is not implemented yet"}
    else:
        dialect = args.adam if op == "adam_step" else None
        result = evaluate(op, request["args"], dialect=dialect)
        if args.misbehave == "wrong-shape" and op == "relu":
            result = {**result, "shape": [*result["shape"], 1]}
        reply = {"id": request["id"], "result": result}
    print(json.dumps(reply), flush=True)
