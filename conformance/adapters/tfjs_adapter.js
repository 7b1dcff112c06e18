// TensorFlow.js's own optimizers over protocol v1 (docs/protocol.md): what `gradspec verify tfjs`
// runs, and a client you can run yourself:
//
//   gradspec verify --exec "node conformance/adapters/tfjs_adapter.js --modules node_modules"
//
// It serves one op, `trajectory {rule, w, grads, learning_rate, ...}` -> {"w": [w_1, w_2, ...]}:
// a fresh tf.train.sgd, tf.train.momentum, tf.train.rmsprop or tf.train.adam (rule gd, momentum,
// rmsprop, adam; and beyond protocol v1's four, nesterov: momentum with useNesterov,
// rmsprop-centered: rmsprop with centered, rmsprop-momentum: rmsprop with a momentum, and
// adagrad, whose epsilon is the backend's and cannot be set) steps a variable through the
// gradients, one applyGradients call a step. A
// per-step learning rate is set before each step as a user would: setLearningRate for sgd and
// momentum (their step multiplies by a scalar that only setLearningRate refreshes), the
// learningRate property for rmsprop and adam (read at every step). The CPU backend computes in
// float32 only: a float64 array is answered with an error rather than silently computed in
// float32.
//
// --modules DIR names the node_modules folder holding @tensorflow/tfjs-core and
// @tensorflow/tfjs-backend-cpu (default: Node's own resolution from this file).
"use strict";
const path = require("node:path");
const readline = require("node:readline");

// tfjs logs to the console (a "Hi there" note on Node); stdout carries the protocol alone.
console.log = console.info = (...args) => console.error(...args);

const at = process.argv.indexOf("--modules");
const modules = at >= 0 ? path.resolve(process.argv[at + 1]) : null;
const load = (name) => require(modules ? require.resolve(name, { paths: [modules] }) : name);
const tf = load("@tensorflow/tfjs-core");
load("@tensorflow/tfjs-backend-cpu");

// --- values: {"dtype", "shape", "data"}, non-finite numbers as strings -------------------------
const toNumber = (x) => (typeof x === "string" ? Number(x.replace("inf", "Infinity")) : x);
const fromNumber = (x) => (Number.isNaN(x) ? "nan" : x === Infinity ? "inf" : x === -Infinity ? "-inf" : x);

function tensor(a, what) {
  if (a.dtype !== "float32") {
    throw new Error(`${what} is ${a.dtype}: TensorFlow.js's CPU backend computes in float32 only; send float32`);
  }
  return tf.tensor(a.data.map(toNumber), a.shape, "float32");
}
const array = (t) => ({ dtype: "float32", shape: t.shape, data: Array.from(t.dataSync(), fromNumber) });

// --- the optimizers, as tf.train makes them --------------------------------------------------------
const RULES = {
  gd: { make: (lr) => tf.train.sgd(lr), hyperparameters: [] },
  momentum: { make: (lr, h) => tf.train.momentum(lr, h.beta), hyperparameters: ["beta"] },
  rmsprop: { make: (lr, h) => tf.train.rmsprop(lr, h.beta2, 0, h.epsilon), hyperparameters: ["beta2", "epsilon"] },
  adam: { make: (lr, h) => tf.train.adam(lr, h.beta1, h.beta2, h.epsilon), hyperparameters: ["beta1", "beta2", "epsilon"] },
  // Beyond protocol v1's four rules: what gradspec verify tfjs also asks for.
  nesterov: { make: (lr, h) => tf.train.momentum(lr, h.beta, true), hyperparameters: ["beta"] },
  "rmsprop-centered": { make: (lr, h) => tf.train.rmsprop(lr, h.beta2, 0, h.epsilon, true), hyperparameters: ["beta2", "epsilon"] },
  "rmsprop-momentum": { make: (lr, h) => tf.train.rmsprop(lr, h.beta2, h.beta, h.epsilon), hyperparameters: ["beta2", "beta", "epsilon"] },
  adagrad: { make: (lr, h) => tf.train.adagrad(lr), hyperparameters: ["epsilon"], check: backendEpsilon },
};

// tf.train.adagrad has no epsilon argument: it adds the backend's (1e-7 on the CPU backend).
function backendEpsilon(h) {
  const own = tf.backend().epsilon();
  if (Math.fround(h.epsilon) !== Math.fround(own)) {
    throw new Error(`tf.train.adagrad takes no epsilon: it uses the backend's, ${own}; send epsilon ${own}, not ${h.epsilon}`);
  }
}

function setLearningRate(optimizer, lr) {
  if (typeof optimizer.setLearningRate === "function") optimizer.setLearningRate(lr);
  else optimizer.learningRate = lr;
}

function trajectory(args) {
  const rule = RULES[args.rule];
  if (!rule) throw new Error(`rule must be one of ${Object.keys(RULES).join(", ")}; got ${JSON.stringify(args.rule)}`);
  const grads = args.grads.map((g, i) => tensor(g, `grads[${i}]`));
  const rates = Array.isArray(args.learning_rate) ? args.learning_rate : grads.map(() => args.learning_rate);
  if (rates.length !== grads.length) throw new Error(`${grads.length} gradients, ${rates.length} learning rates`);
  if (rule.check) rule.check(args);
  const w = tf.variable(tensor(args.w, "w"), true, "w");
  const optimizer = rule.make(rates[0], args);
  try {
    return { w: grads.map((g, i) => {
      setLearningRate(optimizer, rates[i]);
      optimizer.applyGradients({ w: g });
      return array(w);
    }) };
  } finally {
    optimizer.dispose();
    w.dispose();
    grads.forEach((g) => g.dispose());
  }
}

const version = load("@tensorflow/tfjs-core/package.json").version;

tf.setBackend("cpu").then(() => {
  const lines = readline.createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    let request, reply;
    try {
      request = JSON.parse(line);
      if (request.op === "hello") {
        reply = { id: request.id, ops: ["trajectory"], name: `TensorFlow.js ${version} (tfjs-core, cpu backend)` };
      } else if (request.op === "trajectory") {
        reply = { id: request.id, result: trajectory(request.args) };
      } else {
        reply = { id: request.id, error: `no op ${JSON.stringify(request.op)}: this adapter serves trajectory` };
      }
    } catch (e) {
      reply = { id: request && request.id !== undefined ? request.id : null, error: String(e.message || e) };
    }
    process.stdout.write(JSON.stringify(reply) + "\n");
  });
});
