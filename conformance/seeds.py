"""The seeds' deterministic printed numbers, pinned, each with the reference computation
that reproduces it.

The printed texts are copied from the seed documents (the tests check, where the seeds
are at hand, that each one appears there verbatim); the inputs are rebuilt the way the
seeds' test cases build them, from a seeded ``np.random.RandomState``. Calls through ``api``
pass arguments by position, as the notebooks do, so that any parameter names work.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gradspec.reference import notebook as nb
from gradspec.reference import softmax

from .pinned import PinnedCase, Printed

__all__ = ["CASES", "mini_batch_test_case", "optimizer_test_case"]

_GD_ARRAYS = {
    "W1": Printed("[[ 1.63535156 -0.62320365 -0.53718766]\n [-1.07799357  0.85639907 -2.29470142]]"),
    "b1": Printed("[[ 1.74604067]\n [-0.75184921]]"),
    "W2": Printed("[[ 0.32171798 -0.25467393  1.46902454]\n [-2.05617317 -0.31554548 -0.3756023 ]\n"
                  " [ 1.1404819  -1.09976462 -0.1612551 ]]"),
    "b2": Printed("[[-0.88020257]\n [ 0.02561572]\n [ 0.57539477]]"),
}

_MOMENTUM_V = {
    "v[dW1]": Printed("[[-0.11006192  0.11447237  0.09015907]\n [ 0.05024943  0.09008559 -0.06837279]]"),
    "v[db1]": Printed("[[-0.01228902]\n [-0.09357694]]"),
    "v[dW2]": Printed("[[-0.02678881  0.05303555 -0.06916608]\n [-0.03967535 -0.06871727 -0.08452056]\n"
                      " [-0.06712461 -0.00126646 -0.11173103]]"),
    "v[db2]": Printed("[[ 0.02344157]\n [ 0.16598022]\n [ 0.07420442]]"),
}

_MOMENTUM_ARRAYS = {
    "W1": Printed("[[ 1.62544598 -0.61290114 -0.52907334]\n [-1.07347112  0.86450677 -2.30085497]]"),
    "b1": Printed("[[ 1.74493465]\n [-0.76027113]]"),
    "W2": Printed("[[ 0.31930698 -0.24990073  1.4627996 ]\n [-2.05974396 -0.32173003 -0.38320915]\n"
                  " [ 1.13444069 -1.0998786  -0.1713109 ]]"),
    "b2": Printed("[[-0.87809283]\n [ 0.04055394]\n [ 0.58207317]]"),
    **_MOMENTUM_V,
}

_ZEROS_23 = Printed("[[ 0.  0.  0.]\n [ 0.  0.  0.]]", exact=True)
_ZEROS_21 = Printed("[[ 0.]\n [ 0.]]", exact=True)
_ZEROS_33 = Printed("[[ 0.  0.  0.]\n [ 0.  0.  0.]\n [ 0.  0.  0.]]", exact=True)
_ZEROS_31 = Printed("[[ 0.]\n [ 0.]\n [ 0.]]", exact=True)


def optimizer_test_case() -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The seeds' GD/momentum/Adam test case: W1, b1, W2, b2, then dW1, db1, dW2, db2 drawn
    from ``np.random.seed(1)``'s stream (shapes 2x3, 2x1, 3x3, 3x1)."""
    rng = np.random.RandomState(1)
    shapes = {"W1": (2, 3), "b1": (2, 1), "W2": (3, 3), "b2": (3, 1)}
    parameters = {k: rng.randn(*shape) for k, shape in shapes.items()}
    grads = {f"d{k}": rng.randn(*shape) for k, shape in shapes.items()}
    return parameters, grads


def mini_batch_test_case() -> tuple[np.ndarray, np.ndarray, int]:
    """The seeds' mini-batch test case: X 12288 x 148 and Y = randn(1, 148) < 0.5 from
    ``np.random.seed(1)``, batches of 64."""
    rng = np.random.RandomState(1)
    X = rng.randn(12288, 148)
    Y = rng.randn(1, 148) < 0.5
    return X, Y, 64


def _flat(prefix: str, mapping: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {f"{prefix}[{k}]": value for k, value in mapping.items()}


def _gd(api: Any) -> dict[str, object]:
    parameters, grads = optimizer_test_case()
    return api.update_parameters_with_gd(parameters, grads, 0.01)


def _momentum(api: Any) -> dict[str, object]:
    parameters, grads = optimizer_test_case()
    v = nb.initialize_velocity(parameters)
    new, v = api.update_parameters_with_momentum(parameters, grads, v, 0.9, 0.01)
    return {**new, **_flat("v", v)}


def _adam_000(api: Any) -> dict[str, object]:
    parameters, grads = optimizer_test_case()
    v, s = nb.initialize_adam(parameters)
    new, _, _ = api.update_parameters_with_adam(parameters, grads, v, s, 2, 0.02, 0.8, 0.888, 1e-2)
    return new


def _adam_001(api: Any) -> dict[str, object]:
    parameters, grads = optimizer_test_case()
    v, s = nb.initialize_adam(parameters)
    new, v, s = api.update_parameters_with_adam(parameters, grads, v, s, 2)
    return {**new, **_flat("v", v), **_flat("s", s)}


def _zeros(api: Any) -> dict[str, object]:
    parameters, _ = optimizer_test_case()
    velocity = api.initialize_velocity(parameters)
    v, s = api.initialize_adam(parameters)
    return {**_flat("velocity", velocity), **_flat("v", v), **_flat("s", s)}


def _mini_batches(api: Any) -> dict[str, object]:
    X, Y, size = mini_batch_test_case()
    batches = api.random_mini_batches(X, Y, size)
    out: dict[str, object] = {}
    for i, (bx, by) in enumerate(batches[:3], start=1):
        out[f"X{i}.shape"], out[f"Y{i}.shape"] = bx.shape, by.shape
    if batches:  # (a wrong function may return none: the entries it lacks are reported)
        out["sanity check"] = batches[0][0][0][0:3]
    return out


def _lr_prints(api: Any) -> dict[str, object]:
    out: dict[str, object] = {
        "update_lr(0.5, 2, 1)": api.update_lr(0.5, 2, 1),
        "schedule_lr_decay(0.5, 10, 0.3, 100)": api.schedule_lr_decay(0.5, 10, 0.3, 100),
        "schedule_lr_decay(0.5, 100, 0.3, 100)": api.schedule_lr_decay(0.5, 100, 0.3, 100),
    }
    for epoch in range(0, 5000, 1000):
        out[f"update_lr(0.5, {epoch}, 1)"] = api.update_lr(0.5, epoch, 1)
    for lr0, epochs in ((0.01, 10000), (0.001, 5000)):
        for epoch in range(0, epochs, 1000):
            out[f"schedule_lr_decay({lr0}, {epoch}, 1)"] = api.schedule_lr_decay(lr0, epoch, 1)
    return out


def _lr_printed() -> dict[str, Printed]:
    printed = {
        "update_lr(0.5, 2, 1)": Printed("0.16666666666666666", exact=True),
        "schedule_lr_decay(0.5, 10, 0.3, 100)": Printed("0.5", exact=True),
        "schedule_lr_decay(0.5, 100, 0.3, 100)": Printed("0.3846153846153846", exact=True),
    }
    inverse = ["0.500000", "0.000500", "0.000250", "0.000167", "0.000125"]
    for epoch, text in zip(range(0, 5000, 1000), inverse, strict=True):
        printed[f"update_lr(0.5, {epoch}, 1)"] = Printed(text)
    staircase = {
        0.01: ["0.010000", "0.005000", "0.003333", "0.002500", "0.002000", "0.001667",
               "0.001429", "0.001250", "0.001111", "0.001000"],
        0.001: ["0.001000", "0.000500", "0.000333", "0.000250", "0.000200"],
    }
    for lr0, texts in staircase.items():
        for epoch, text in zip(range(0, 1000 * len(texts), 1000), texts, strict=True):
            printed[f"schedule_lr_decay({lr0}, {epoch}, 1)"] = Printed(text)
    return printed


def _seed004_decay_table(api: Any) -> dict[str, object]:
    return {f"epoch {e}": api.update_lr(0.2, e, 1) for e in range(1, 5)}


def _softmax_example(api: Any = None) -> dict[str, object]:
    probabilities = softmax(np.array([1.2, 0.9, 0.4]))
    return {f"softmax[{j}]": probabilities[j] for j in range(3)}


def _gradient_check_cube(api: Any = None) -> dict[str, object]:
    from gradspec.reference import one_sided_difference, two_sided_difference

    def cube(theta: np.ndarray) -> float:
        return float(theta**3)

    return {
        "two-sided": two_sided_difference(cube, np.float64(1.0), epsilon=0.01),
        "one-sided": one_sided_difference(cube, np.float64(1.0), epsilon=0.01),
    }


def _parameter_counts(api: Any) -> dict[str, object]:
    out: dict[str, object] = {}
    for name, dims in (("left", [3, 4, 2]), ("right", [3, 4, 4, 1])):
        parameters = api.initialize_parameters_zeros(dims)
        out[f"{name} weights"] = sum(v.size for k, v in parameters.items() if k.startswith("W"))
        out[f"{name} biases"] = sum(v.size for k, v in parameters.items() if k.startswith("b"))
        out[f"{name} total"] = sum(v.size for v in parameters.values())
    return out


def _ewa_temperature(api: Any) -> dict[str, object]:
    v = api.exponentially_weighted_averages([40.0, 49.0, 45.0], 0.9)
    return {"V1": v[0], "V2": v[1], "V3": v[2]}


def _logistic_at_zero(api: Any) -> dict[str, object]:
    X = np.array([[1.0, 2.0, -1.0], [0.5, -3.0, 2.0]])
    Y = np.array([[1, 0, 1]])
    _, cost = api.propagate(np.zeros((2, 1)), 0.0, X, Y)
    _, _, costs = api.optimize(np.zeros((2, 1)), 0.0, X, Y, 1, 0.005)
    return {"propagate: cost": cost, "optimize: costs[0]": costs[0]}


_S000_OPT = ("000", "Hands-on examples")
_S001_OPT = ("001", "Optimization programming assignment")

CASES: tuple[PinnedCase, ...] = (
    PinnedCase("logistic-cost-at-zero", ("propagate", "optimize"),
               (("002", "1.1 Logistic Regression: Cost after iteration 0"),),
               "the cost of zero weights, a = 0.5 for every example: log 2 whatever the data",
               {"propagate: cost": Printed("0.693147"), "optimize: costs[0]": Printed("0.693147")},
               _logistic_at_zero, api="gradspec.reference.course.logistic"),
    PinnedCase("gd", ("update_parameters_with_gd",), (_S000_OPT, _S001_OPT),
               "update_parameters_with_gd on the test case, learning_rate = 0.01",
               _GD_ARRAYS, _gd),
    PinnedCase("momentum", ("update_parameters_with_momentum",), (_S000_OPT, _S001_OPT),
               "update_parameters_with_momentum from zero velocity, beta = 0.9, learning_rate = 0.01",
               _MOMENTUM_ARRAYS, _momentum, assumes={"momentum": "ema"}),
    PinnedCase("adam-000", ("update_parameters_with_adam",), (_S000_OPT,),
               "update_parameters_with_adam, t = 2, lr = 0.02, beta1 = 0.8, beta2 = 0.888, eps = 1e-2 "
               "(separates epsilon inside from outside the root)",
               {
                   "W1": Printed("[[ 1.63942428 -0.6268425  -0.54320974]\n [-1.08782943  0.85036983 -2.2865723 ]]"),
                   "W2": Printed("[[ 0.33356139 -0.26425199  1.47707772]\n [-2.04538458 -0.30744933 -0.36903141]\n"
                                 " [ 1.14873036 -1.09256871 -0.15734651]]"),
                   "b1": Printed("[[ 1.75854357]\n [-0.74616067]]"),
                   "b2": Printed("[[-0.89228024]\n [ 0.02707193]\n [ 0.56782561]]"),
               }, _adam_000, assumes={"adam": "eps-outside"}),
    PinnedCase("adam-001", ("update_parameters_with_adam",), (_S001_OPT,),
               "update_parameters_with_adam, t = 2, default hyperparameters",
               {
                   "W1": Printed("[[ 1.63178673 -0.61919778 -0.53561312]\n [-1.08040999  0.85796626 -2.29409733]]"),
                   "b1": Printed("[[ 1.75225313]\n [-0.75376553]]"),
                   "W2": Printed("[[ 0.32648046 -0.25681174  1.46954931]\n [-2.05269934 -0.31497584 -0.37661299]\n"
                                 " [ 1.14121081 -1.09244991 -0.16498684]]"),
                   "b2": Printed("[[-0.88529979]\n [ 0.03477238]\n [ 0.57537385]]"),
                   **_MOMENTUM_V,
                   "s[dW1]": Printed("[[ 0.00121136  0.00131039  0.00081287]\n [ 0.0002525   0.00081154  0.00046748]]"),
                   "s[db1]": Printed("[[  1.51020075e-05]\n [  8.75664434e-04]]"),
                   "s[dW2]": Printed("[[  7.17640232e-05   2.81276921e-04   4.78394595e-04]\n"
                                     " [  1.57413361e-04   4.72206320e-04   7.14372576e-04]\n"
                                     " [  4.50571368e-04   1.60392066e-07   1.24838242e-03]]"),
                   "s[db2]": Printed("[[  5.49507194e-05]\n [  2.75494327e-03]\n [  5.50629536e-04]]"),
               }, _adam_001, assumes={"adam": "eps-outside"}),
    PinnedCase("zero-initializations", ("initialize_velocity", "initialize_adam"), (_S001_OPT,),
               "initialize_velocity and initialize_adam on the test case's parameters",
               {
                   **{f"{p}[dW1]": _ZEROS_23 for p in ("velocity", "v", "s")},
                   **{f"{p}[db1]": _ZEROS_21 for p in ("velocity", "v", "s")},
                   **{f"{p}[dW2]": _ZEROS_33 for p in ("velocity", "v", "s")},
                   **{f"{p}[db2]": _ZEROS_31 for p in ("velocity", "v", "s")},
               }, _zeros),
    PinnedCase("mini-batches", ("random_mini_batches",), (_S000_OPT, _S001_OPT),
               "random_mini_batches on 148 examples in batches of 64, seed 0",
               {
                   "X1.shape": Printed("(12288, 64)", exact=True),
                   "X2.shape": Printed("(12288, 64)", exact=True),
                   "X3.shape": Printed("(12288, 20)", exact=True),
                   "Y1.shape": Printed("(1, 64)", exact=True),
                   "Y2.shape": Printed("(1, 64)", exact=True),
                   "Y3.shape": Printed("(1, 20)", exact=True),
               }, _mini_batches),
    PinnedCase("mini-batch-sanity-check", ("random_mini_batches",), (_S001_OPT,),
               "the first three entries of the first row of the first mini-batch",
               {"sanity check": Printed("[ 0.90085595 -0.7612069   0.2344157 ]")}, _mini_batches,
               assumes={"rng": "seeded"}),
    PinnedCase("learning-rate-prints", ("update_lr", "schedule_lr_decay"),
               (("000", "Learning Rate Decay and Scheduling"),),
               "update_lr and schedule_lr_decay examples, and the learning rates the decayed "
               "training runs print every 1000 epochs", _lr_printed(), _lr_prints),
    PinnedCase("inverse-time-table", ("update_lr",), (("004", "Learning Rate Decay"),),
               "alpha0 = 0.2, decay-rate = 1, epochs 1-4",
               {"epoch 1": Printed("0.1"), "epoch 2": Printed("0.67"), "epoch 3": Printed("0.5"),
                "epoch 4": Printed("0.4")},
               _seed004_decay_table,
               errata={f"epoch {e}": "004-inverse-time-table" for e in (2, 3, 4)}),
    PinnedCase("ewa-temperature", ("exponentially_weighted_averages",), (("003", "Exponentially weighted averages"),),
               "v_t = 0.9 v_{t-1} + 0.1 theta_t on 40, 49, 45",
               {"V1": Printed("4"), "V2": Printed("8.5"), "V3": Printed("12.15")}, _ewa_temperature),
    PinnedCase("softmax-example", (), (("003", "Softmax Regression"),),
               "softmax(1.2, 0.9, 0.4)",
               {"softmax[0]": Printed("0.46"), "softmax[1]": Printed("0.34"),
                "softmax[2]": Printed("0.20")},
               _softmax_example, errata={"softmax[2]": "003-softmax-example-rounding"}),
    PinnedCase("gradient-check-cube", (), (("002", "2.1.6 Gradient Checking"),),
               "f(theta) = theta^3 at theta = 1, epsilon = 0.01",
               {"two-sided": Printed("3.0001"), "one-sided": Printed("3.0301")}, _gradient_check_cube),
    PinnedCase("parameter-counts", ("initialize_parameters_zeros",), (("004", "Neural Network Architectures ..cont"),),
               "weights, biases and learnable parameters of the 3-4-2 and 3-4-4-1 networks",
               {"left weights": Printed("20", exact=True), "left biases": Printed("6", exact=True),
                "left total": Printed("26", exact=True), "right weights": Printed("32", exact=True),
                "right biases": Printed("9", exact=True), "right total": Printed("41", exact=True)},
               _parameter_counts),
)
