"""A plain transcription of the seeds' training loop: the baseline for ``replay_time.py``.

Written the way the notebooks write it (seeds 000 and 001, "Model with different
optimization algorithms"): NumPy's global random state, dictionaries updated in place,
no argument checks, the seeds' operation order (``1./m * (a3 - Y)``, ``1/(1+exp(-x))``).
It is a benchmark baseline, never imported by gradspec: the replay itself runs on
``gradspec.reference.notebook``.
"""

from __future__ import annotations

import math

import numpy as np


def _mini_batches(X, Y, size, seed):
    np.random.seed(seed)
    m = X.shape[1]
    order = list(np.random.permutation(m))
    X, Y = X[:, order], Y[:, order].reshape((1, m))
    full = math.floor(m / size)
    batches = [(X[:, k * size:(k + 1) * size], Y[:, k * size:(k + 1) * size]) for k in range(full)]
    if m % size:
        batches.append((X[:, full * size:], Y[:, full * size:]))
    return batches


def _initialize(dims):
    np.random.seed(3)
    p = {}
    for layer in range(1, len(dims)):
        p["W" + str(layer)] = np.random.randn(dims[layer], dims[layer - 1]) * np.sqrt(2 / dims[layer - 1])
        p["b" + str(layer)] = np.zeros((dims[layer], 1))
    return p


def _zeros(p):
    out = {}
    for layer in range(1, len(p) // 2 + 1):
        out["dW" + str(layer)] = np.zeros(p["W" + str(layer)].shape)
        out["db" + str(layer)] = np.zeros(p["b" + str(layer)].shape)
    return out


def _forward(X, p):
    W1, b1, W2, b2, W3, b3 = p["W1"], p["b1"], p["W2"], p["b2"], p["W3"], p["b3"]
    z1 = np.dot(W1, X) + b1
    a1 = np.maximum(0, z1)
    z2 = np.dot(W2, a1) + b2
    a2 = np.maximum(0, z2)
    z3 = np.dot(W3, a2) + b3
    a3 = 1 / (1 + np.exp(-z3))
    return a3, (z1, a1, W1, b1, z2, a2, W2, b2, z3, a3, W3, b3)


def _cost_sum(a3, Y):
    return np.sum(np.multiply(-np.log(a3), Y) + np.multiply(-np.log(1 - a3), 1 - Y))


def _cost_mean(a3, Y):
    m = Y.shape[1]
    return 1.0 / m * np.sum(np.multiply(-np.log(a3), Y) + np.multiply(-np.log(1 - a3), 1 - Y))


def _backward(X, Y, cache):
    _, a1, _, _, _, a2, W2, _, _, a3, W3, _ = cache
    m = X.shape[1]
    dz3 = 1.0 / m * (a3 - Y)
    dW3 = np.dot(dz3, a2.T)
    db3 = np.sum(dz3, axis=1, keepdims=True)
    da2 = np.dot(W3.T, dz3)
    dz2 = np.multiply(da2, np.int64(a2 > 0))
    dW2 = np.dot(dz2, a1.T)
    db2 = np.sum(dz2, axis=1, keepdims=True)
    da1 = np.dot(W2.T, dz2)
    dz1 = np.multiply(da1, np.int64(a1 > 0))
    dW1 = np.dot(dz1, X.T)
    db1 = np.sum(dz1, axis=1, keepdims=True)
    return {"dz3": dz3, "dW3": dW3, "db3": db3, "da2": da2, "dz2": dz2, "dW2": dW2, "db2": db2,
            "da1": da1, "dz1": dz1, "dW1": dW1, "db1": db1}


def _gd(p, g, lr):
    for layer in range(1, len(p) // 2 + 1):
        p["W" + str(layer)] = p["W" + str(layer)] - lr * g["dW" + str(layer)]
        p["b" + str(layer)] = p["b" + str(layer)] - lr * g["db" + str(layer)]
    return p


def _momentum(p, g, v, beta, lr):
    for layer in range(1, len(p) // 2 + 1):
        for w, d in (("W" + str(layer), "dW" + str(layer)), ("b" + str(layer), "db" + str(layer))):
            v[d] = beta * v[d] + (1 - beta) * g[d]
            p[w] = p[w] - lr * v[d]
    return p, v


def _adam(p, g, v, s, t, lr, beta1, beta2, epsilon):
    v_corrected, s_corrected = {}, {}
    for layer in range(1, len(p) // 2 + 1):
        for w, d in (("W" + str(layer), "dW" + str(layer)), ("b" + str(layer), "db" + str(layer))):
            v[d] = beta1 * v[d] + (1 - beta1) * g[d]
            v_corrected[d] = v[d] / (1 - np.power(beta1, t))
            s[d] = beta2 * s[d] + (1 - beta2) * np.power(g[d], 2)
            s_corrected[d] = s[d] / (1 - np.power(beta2, t))
            p[w] = p[w] - lr * v_corrected[d] / (np.sqrt(s_corrected[d]) + epsilon)
    return p, v, s


def train(X, Y, *, optimizer, learning_rate, epochs, cost, decay=None, beta=0.9, beta1=0.9,
          beta2=0.999, epsilon=1e-8, cost_every_epoch=True):
    """The seeds' ``model``: returns ``(costs every 100 epochs, parameters)``.

    ``cost_every_epoch=False`` computes the cost only on the epochs that record it, as
    gradspec's replay does (the cost never feeds back into training).
    """
    p = _initialize([2, 5, 2, 1])
    v, s = _zeros(p), _zeros(p)
    lr0, t, seed, m, costs = learning_rate, 0, 10, X.shape[1], []
    for i in range(epochs):
        seed += 1
        total = 0
        record = cost_every_epoch or i % 100 == 0
        for bx, by in _mini_batches(X, Y, 64, seed):
            a3, cache = _forward(bx, p)
            if record and cost == "epoch-sum/m":
                total += _cost_sum(a3, by)
            elif record:
                epoch_cost = _cost_mean(a3, by)
            g = _backward(bx, by, cache)
            if optimizer == "gd":
                p = _gd(p, g, learning_rate)
            elif optimizer == "momentum":
                p, v = _momentum(p, g, v, beta, learning_rate)
            else:
                t += 1
                p, v, s = _adam(p, g, v, s, t, learning_rate, beta1, beta2, epsilon)
        if cost == "epoch-sum/m":
            epoch_cost = total / m
        if decay == "update_lr":
            learning_rate = lr0 * (1 / (1 + i))
        elif decay == "schedule_lr_decay":
            learning_rate = lr0 * (1 / (1 + np.floor(i / 1000)))
        if i % 100 == 0:
            costs.append(epoch_cost)
    return costs, p
