"""A pretend framework for the framework checks, written the way framework code is (its own
arithmetic, no gradspec), with one object per verdict the checks can reach."""

import numpy as np


def _run(case, step):
    w, state, out = np.array(case["w"]), {}, []
    for t, (g, lr) in enumerate(zip(case["grads"], case["learning_rates"]), start=1):
        w = step(w, np.asarray(g), lr, state, t)
        out.append(w.copy())
    return out


def sgd_dampened(case):
    """PyTorch's SGD with dampening = momentum: the buffer starts as the first gradient."""
    beta = case["beta"]

    def step(w, g, lr, state, t):
        state["buf"] = g.copy() if t == 1 else beta * state["buf"] + (1 - beta) * g
        return w - lr * state["buf"]
    return _run(case, step)


def sgd_beta_squared(case):
    """A bug no dialect has: the velocity decays by beta twice."""
    beta = case["beta"]

    def step(w, g, lr, state, t):
        state["v"] = beta * beta * state.get("v", 0.0) + (1 - beta) * g
        return w - lr * state["v"]
    return _run(case, step)


def adam_eps_inside(case):
    b1, b2, eps = case["beta1"], case["beta2"], case["epsilon"]

    def step(w, g, lr, state, t):
        state["m"] = b1 * state.get("m", 0.0) + (1 - b1) * g
        state["v"] = b2 * state.get("v", 0.0) + (1 - b2) * g * g
        m_hat, v_hat = state["m"] / (1 - b1**t), state["v"] / (1 - b2**t)
        return w - lr * m_hat / np.sqrt(v_hat + eps)
    return _run(case, step)


def ema(case):
    beta, v, out = case["beta"], 0.0, []
    for t, theta in enumerate(case["thetas"], start=1):
        v = beta * v + (1 - beta) * np.asarray(theta)
        out.append(v / (1 - beta**t))
    return out


def staircase(case):
    lr0, rate, interval = case["learning_rate0"], case["decay_rate"], case["time_interval"]
    return [lr0 / (1 + rate * (step // interval)) for step in case["steps"]]


def adamw_eps_hat(case):
    """Keras's AdamW: the decay decoupled and scaled by the learning rate, over the eps-hat Adam."""
    b1, b2, eps, wd = case["beta1"], case["beta2"], case["epsilon"], case["weight_decay"]

    def step(w, g, lr, state, t):
        w = w - w * wd * lr
        state["m"] = b1 * state.get("m", 0.0) + (1 - b1) * g
        state["v"] = b2 * state.get("v", 0.0) + (1 - b2) * g * g
        alpha = lr * np.sqrt(1 - b2**t) / (1 - b1**t)
        return w - alpha * state["m"] / (np.sqrt(state["v"]) + eps)
    return _run(case, step)


def adagrad_fixed_eps(case):
    """An Adagrad with no epsilon argument: it always adds 1e-3 under the root, from a sum of 0.1."""
    def step(w, g, lr, state, t):
        state["s"] = state.get("s", 0.1) + g * g
        return w - lr * g / np.sqrt(state["s"] + 1e-3)
    return _run(case, step)
