// A protocol v1 client in Node.js: gradspec verify --exec "node examples/protocol/client.js".
// It reads one JSON request per line on stdin and writes one reply per line on stdout
// (docs/protocol.md). The optimizers follow the spec's canonical dialects.
"use strict";
const readline = require("node:readline");

// --- arrays: {"dtype", "shape", "data"}, non-finite numbers as strings ---------------------------
const toNumber = (x) => (typeof x === "string" ? Number(x.replace("inf", "Infinity")) : x);
const fromNumber = (x) => (Number.isNaN(x) ? "nan" : x === Infinity ? "inf" : x === -Infinity ? "-inf" : x);
const read = (a) => ({ dtype: a.dtype, shape: a.shape, data: a.data.map(toNumber) });
const round = (dtype) => (dtype === "float32" ? Math.fround : (x) => x);
function write(template, values) {
  const r = round(template.dtype);
  return { dtype: template.dtype, shape: template.shape, data: values.map((x) => fromNumber(r(x))) };
}
const map = (f, ...arrays) => arrays[0].data.map((_, i) => f(...arrays.map((a) => a.data[i])));

// --- the ops -------------------------------------------------------------------------------------
const sigmoid = (z) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

const ops = {
  gd_step: ({ w, g, learning_rate: lr }) => ({ w: write(w, map((w, g) => w - lr * g, read(w), read(g))) }),

  momentum_step: ({ w, g, v, beta, learning_rate: lr }) => {
    const v1 = map((v, g) => beta * v + (1 - beta) * g, read(v), read(g));
    return { w: write(w, map((w, v) => w - lr * v, read(w), { data: v1 })), v: write(v, v1) };
  },

  rmsprop_step: ({ w, g, s, beta2, learning_rate: lr, epsilon }) => {
    const s1 = map((s, g) => beta2 * s + (1 - beta2) * g * g, read(s), read(g));
    const w1 = map((w, g, s) => w - (lr * g) / Math.sqrt(s + epsilon), read(w), read(g), { data: s1 });
    return { w: write(w, w1), s: write(s, s1) };
  },

  adam_step: (args) => {
    const { w, g, v, s, t, learning_rate: lr, beta1, beta2, epsilon } = args;
    const v1 = map((v, g) => beta1 * v + (1 - beta1) * g, read(v), read(g));
    const s1 = map((s, g) => beta2 * s + (1 - beta2) * g * g, read(s), read(g));
    const c1 = 1 - beta1 ** t, c2 = secondMomentCorrection(args);
    const w1 = map((w, v, s) => w - (lr * (v / c1)) / (Math.sqrt(s / c2) + epsilon), read(w), { data: v1 }, { data: s1 });
    return { w: write(w, w1), v: write(v, v1), s: write(s, s1) };
  },

  sigmoid: ({ z }) => write(z, read(z).data.map(sigmoid)),
  tanh: ({ z }) => write(z, read(z).data.map(Math.tanh)),
  relu: ({ z }) => write(z, read(z).data.map((z) => Math.max(0, z))),
  ewa_step: ({ v, theta, beta }) => write(v, map((v, x) => beta * v + (1 - beta) * x, read(v), read(theta))),
  bias_correction: ({ v, beta, t }) => write(v, read(v).data.map((v) => v / (1 - beta ** t))),
  inverse_time_decay: ({ learning_rate0, epoch_num, decay_rate }) => learning_rate0 / (1 + decay_rate * epoch_num),
  exponential_decay: ({ learning_rate0, epoch_num, k }) => k ** epoch_num * learning_rate0,
};

// Adam divides the second moment by 1 - beta2^t (client_adam_bug.js overrides this).
let secondMomentCorrection = ({ beta2, t }) => 1 - beta2 ** t;

function serve(name) {
  const lines = readline.createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    const request = JSON.parse(line);
    let reply;
    if (request.op === "hello") reply = { id: request.id, ops: Object.keys(ops), name };
    else if (!(request.op in ops)) reply = { id: request.id, error: `no op ${request.op}` };
    else {
      try {
        reply = { id: request.id, result: ops[request.op](request.args) };
      } catch (e) {
        reply = { id: request.id, error: String(e) };
      }
    }
    process.stdout.write(JSON.stringify(reply) + "\n");
  });
}

module.exports = { ops, serve, setSecondMomentCorrection: (f) => { secondMomentCorrection = f; } };
if (require.main === module) serve("gradspec example client (Node.js)");
