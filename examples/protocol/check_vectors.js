// The test vectors without gradspec: node examples/protocol/check_vectors.js DIR -- CMD ARGS
//
// Reads the files `gradspec vectors export DIR` wrote (docs/vectors.md) and nothing else of
// gradspec, starts CMD (a protocol v1 client, docs/protocol.md), sends every case of every op the
// client lists, and says per op whether each result is the expected one and which dialects of
// the op's rule the client's results match: the dialects are told apart from the JSON alone.
// Exit status 0 when every result is the expected one, 1 otherwise.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const readline = require("node:readline");
const { spawn } = require("node:child_process");

const split = process.argv.indexOf("--");
if (split !== 3 || process.argv.length < 5) {
  console.error("usage: node check_vectors.js DIR -- CMD ARGS");
  process.exit(2);
}
const dir = process.argv[2];
const [command, ...args] = process.argv.slice(4);

// --- comparing a result with a vector's value: |got - want| <= rtol |want| + atol scale -----------
const number = (x) => (typeof x === "string" ? Number(x.replace("inf", "Infinity")) : x);
const isArray = (v) => v !== null && typeof v === "object" && "dtype" in v && "shape" in v && "data" in v;

// The largest finite magnitude among the case's array arguments, at least 1.
function scaleOf(args) {
  const arrays = Object.values(args).flatMap((v) => (Array.isArray(v) ? v : [v])).filter(isArray);
  const finite = arrays.flatMap((a) => a.data.map(number)).filter(Number.isFinite).map(Math.abs);
  return Math.max(1, ...finite);
}

function close(got, want, { rtol, atol, scale }) {
  const a = number(got), b = number(want);
  if (typeof a !== "number" || typeof b !== "number") return false;
  if (Number.isNaN(b)) return Number.isNaN(a);
  if (!Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= rtol * Math.abs(b) + atol * scale;
}

function same(got, want, tolerance) {
  if (isArray(want)) {
    return isArray(got) && got.dtype === want.dtype && JSON.stringify(got.shape) === JSON.stringify(want.shape) &&
      got.data.every((x, i) => close(x, want.data[i], tolerance));
  }
  if (Array.isArray(want)) return Array.isArray(got) && got.length === want.length && want.every((w, i) => same(got[i], w, tolerance));
  if (want !== null && typeof want === "object") {
    return got !== null && typeof got === "object" && Object.keys(want).every((k) => k in got && same(got[k], want[k], tolerance));
  }
  return close(got, want, tolerance);
}

// --- the client: one request at a time -----------------------------------------------------------
const client = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"] });
const replies = readline.createInterface({ input: client.stdout });
const waiting = [];
replies.on("line", (line) => waiting.shift()(JSON.parse(line)));
let nextId = 0;
const ask = (op, body) => new Promise((resolve) => {
  waiting.push(resolve);
  client.stdin.write(JSON.stringify({ id: nextId++, op, ...body }) + "\n");
});

async function main() {
  const { ops } = await ask("hello", { protocol: 1 });
  let failed = false;
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json") && !f.endsWith(".schema.json")).sort();
  for (const file of files) {
    const vectors = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
    if (!ops.includes(vectors.op)) continue;
    // Each dialect of the op's rules is alive until a result differs from its value.
    const dialects = Object.keys(vectors.notes);
    const alive = new Set(dialects);
    const failures = [];
    for (const test of vectors.tests) {
      const reply = await ask(vectors.op, { args: test.args });
      if ("error" in reply) {
        failures.push(`tcId ${test.tcId}: error ${JSON.stringify(reply.error)}`);
        continue;
      }
      const tolerance = { ...test.tolerance, scale: scaleOf(test.args) };
      if (!same(reply.result, test.expected, tolerance)) failures.push(`tcId ${test.tcId} (${test.comment})`);
      // The rule of this case: the one its args name (trajectory), else the op's.
      const rule = test.args.rule;
      for (const dialect of dialects) {
        if (rule !== undefined && !dialect.startsWith(`${rule}/`)) continue;
        const value = dialect in test.dialects ? test.dialects[dialect] : test.expected;
        if (!same(reply.result, value, tolerance)) alive.delete(dialect);
      }
    }
    failed ||= failures.length > 0;
    // Per rule (a trajectory's cases have several): the dialects it matched on every case of that rule.
    const rules = [...new Set(dialects.map((d) => d.split("/")[0]))];
    const matched = rules.map((rule) => {
      const found = [...alive].filter((d) => d.startsWith(`${rule}/`));
      return found.length ? found.join(", ") : `none of ${rule}'s dialects`;
    }).join("; ") || "-";
    const verdict = failures.length ? `FAIL ${failures.length} of ${vectors.tests.length}, first: ${failures[0]}` :
      `ok ${vectors.tests.length} cases`;
    console.log(`${vectors.op}: ${verdict}; matches ${matched}`);
  }
  client.stdin.end();
  process.exit(failed ? 1 : 0);
}

main();
