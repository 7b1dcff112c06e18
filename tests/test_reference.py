"""The reference's contract: clear errors before any work, pure functions, dtypes kept,
numerically stable where the textbook form is not."""

from __future__ import annotations

import copy
import math
import warnings
from types import MappingProxyType

import numpy as np
import pytest

from gradspec import reference as R
from gradspec.conformance import optimizer_test_case
from gradspec.reference import notebook as nb

W = np.array([[1.0, -2.0], [0.5, 3.0]])
G = np.array([[0.1, 0.2], [-0.3, 0.4]])


# --- bad input ----------------------------------------------------------------------------

@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"beta1": 1.0}, ValueError, r"beta1 must be in \[0, 1\); got 1.0"),
    ({"beta2": -0.1}, ValueError, r"beta2 must be in \[0, 1\); got -0.1"),
    ({"epsilon": 0.0}, ValueError, r"epsilon must be in \(0, inf\); got 0.0. use a small positive"),
    ({"epsilon": -1e-8}, ValueError, r"epsilon must be in \(0, inf\)"),
    ({"t": 0}, ValueError, r"t must be an integer >= 1; got 0"),
    ({"t": 2.0}, TypeError, r"t must be an integer; got 2.0 \(float\)"),
    ({"t": True}, TypeError, r"t must be an integer; got True"),
    ({"learning_rate": -0.01}, ValueError, r"learning_rate must be in \[0, inf\); got -0.01"),
    ({"learning_rate": float("nan")}, ValueError, r"learning_rate must be finite; got nan"),
    ({"beta1": float("inf")}, ValueError, r"beta1 must be finite"),
    ({"learning_rate": "0.1"}, TypeError, r"learning_rate must be a real number; got '0.1'"),
    ({"dialect": "eps-sideways"}, ValueError, r"dialect must be one of \['eps-outside', 'eps-inside', "
                                              r"'eps-hat', 'no-bias-correction'\] for adam"),
])
def test_adam_refuses_bad_hyperparameters(kwargs, error, message):
    hyper = {"t": 1, "learning_rate": 0.01} | kwargs
    with pytest.raises(error, match=message):
        R.adam_step(W, G, R.adam_init(W), **hyper)


def test_column_against_vector_is_refused_with_the_fix():
    with pytest.raises(ValueError, match=r"g has shape \(2,\) but w has shape \(2, 1\).*"
                                         r"reshape with g.reshape\(\(2, 1\)\)"):
        R.gd_step(np.zeros((2, 1)), np.zeros(2), learning_rate=0.1)


def test_mismatched_state_is_refused():
    with pytest.raises(ValueError, match=r"state.v has shape \(3,\) but w has shape \(2, 2\)"):
        R.momentum_step(W, G, R.MomentumState(np.zeros(3)), learning_rate=0.1)


@pytest.mark.parametrize("bad", [np.array([[1, 2], [3, 4]]), np.array([[True, False]] * 2)])
def test_non_floating_arrays_are_refused(bad):
    with pytest.raises(TypeError, match=r"g must be a floating-point array; got dtype .*astype"):
        R.gd_step(W, bad, learning_rate=0.1)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: R.inverted_dropout(W, np.ones_like(W), keep_prob=0.0), r"keep_prob must be in \(0, 1\]"),
    (lambda: R.inverted_dropout(W, np.ones_like(W), keep_prob=1.5), r"keep_prob must be in \(0, 1\]"),
    (lambda: nb.random_mini_batches(W, np.ones((1, 2)), 0), r"mini_batch_size must be an integer >= 1"),
    (lambda: R.momentum_step(W, G, R.momentum_init(W), beta=1.0, learning_rate=0.1),
     r"beta must be in \[0, 1\); got 1.0. beta = 1 freezes"),
    (lambda: R.staircase_decay(0.1, 10, decay_rate=1, time_interval=0), r"time_interval must be in \(0, inf\)"),
    (lambda: R.inverse_time_decay(0.1, -1, decay_rate=1), r"epoch_num must be in \[0, inf\)"),
    (lambda: R.inverse_sqrt_decay(0.1, 0, k=1), r"epoch_num must be >= 1 for k/sqrt\(epoch\)"),
    (lambda: R.leaky_relu(W, alpha=1.0), r"alpha must be in \[0, 1\)"),
    (lambda: R.binary_cross_entropy(np.array([[1.5]]), np.array([[1]])), r"a must hold probabilities"),
])
def test_domain_errors_name_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_notebook_missing_and_extra_keys():
    parameters, grads = optimizer_test_case()
    missing = {k: v for k, v in grads.items() if k != "db2"}
    with pytest.raises(ValueError, match=r"grads does not match the parameters' layers: missing \['db2'\]"):
        nb.update_parameters_with_gd(parameters, missing, 0.01)
    extra = grads | {"dW3": np.zeros((1, 3))}
    with pytest.raises(ValueError, match=r"unexpected \['dW3'\]"):
        nb.update_parameters_with_gd(parameters, extra, 0.01)
    v = nb.initialize_velocity(parameters) | {"dz1": np.zeros((2, 1))}
    with pytest.raises(ValueError, match=r"v does not match .*unexpected \['dz1'\]"):
        nb.update_parameters_with_momentum(parameters, grads, v, 0.9, 0.01)
    with pytest.raises(ValueError, match=r"parameters does not match .*missing \['b2'\]"):
        nb.initialize_adam({k: p for k, p in parameters.items() if k != "b2"})


def test_notebook_accepts_the_seeds_intermediate_gradient_keys():
    parameters, grads = optimizer_test_case()
    with_intermediates = grads | {"dz2": np.zeros((3, 4)), "dA1": np.zeros((2, 4))}
    assert set(nb.update_parameters_with_gd(parameters, with_intermediates, 0.01)) == set(parameters)


def test_notebook_bias_vector_against_column():
    parameters, grads = optimizer_test_case()
    grads["db1"] = grads["db1"].ravel()
    with pytest.raises(ValueError, match=r"grads\['db1'\] has shape \(2,\) but parameters\['b1'\] "
                                         r"has shape \(2, 1\)"):
        nb.update_parameters_with_gd(parameters, grads, 0.01)


def test_errors_are_raised_before_anything_changes():
    parameters, grads = optimizer_test_case()
    grads["db2"] = grads["db2"].ravel()  # the last layer is the bad one
    v, s = nb.initialize_adam(parameters)
    before = copy.deepcopy((parameters, grads, v, s))
    with pytest.raises(ValueError):
        nb.update_parameters_with_adam(parameters, grads, v, s, t=1)
    for original, now in zip(before, (parameters, grads, v, s), strict=True):
        for key in original:
            assert np.array_equal(original[key], now[key])


# --- purity ---------------------------------------------------------------------------------

def test_notebook_updates_never_mutate_their_arguments():
    parameters, grads = optimizer_test_case()
    v, s = nb.initialize_adam(parameters)
    velocity = nb.initialize_velocity(parameters)
    rms = nb.initialize_rmsprop(parameters)
    snapshot = copy.deepcopy((parameters, grads, v, s, velocity, rms))
    new_gd = nb.update_parameters_with_gd(parameters, grads, 0.01)
    new_mom, new_velocity = nb.update_parameters_with_momentum(parameters, grads, velocity, 0.9, 0.01)
    new_adam, new_v, new_s = nb.update_parameters_with_adam(parameters, grads, v, s, 1)
    new_rms, new_rms_s = nb.update_parameters_with_rmsprop(parameters, grads, rms, 0.9, 0.01)
    for original, now in zip(snapshot, (parameters, grads, v, s, velocity, rms), strict=True):
        assert original.keys() == now.keys()
        for key in original:
            assert np.array_equal(original[key], now[key]), key
    for result, source in ((new_gd, parameters), (new_mom, parameters), (new_adam, parameters),
                           (new_rms, parameters), (new_velocity, velocity), (new_v, v),
                           (new_s, s), (new_rms_s, rms)):
        assert result is not source
        for key in result:
            assert not np.shares_memory(result[key], source[key])


def test_forward_backward_do_not_mutate():
    parameters = nb.initialize_parameters([2, 5, 2, 1])
    X = np.random.RandomState(0).randn(2, 7)
    Y = (X[0:1] > 0).astype(int)
    before = copy.deepcopy((parameters, X, Y))
    _, cache = nb.forward_propagation(X, parameters)
    nb.backward_propagation(X, Y, cache)
    nb.backward_propagation_with_regularization(X, Y, cache, 0.7)
    _, dropout_cache = nb.forward_propagation_with_dropout(X, parameters, keep_prob=0.8)
    nb.backward_propagation_with_dropout(X, Y, dropout_cache, keep_prob=0.8)
    assert all(np.array_equal(before[0][k], parameters[k]) for k in parameters)
    assert np.array_equal(before[1], X) and np.array_equal(before[2], Y)


def test_mini_batches_do_not_touch_the_global_random_state():
    np.random.seed(123)
    expected = np.random.rand()
    np.random.seed(123)
    nb.random_mini_batches(np.zeros((2, 10)), np.zeros((1, 10)), 4, seed=7)
    nb.initialize_parameters([2, 3, 1])
    nb.forward_propagation_with_dropout(np.ones((2, 3)), nb.initialize_parameters([2, 3, 2, 1]))
    assert np.random.rand() == expected


# --- dtypes ---------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_in_is_dtype_out(dtype):
    w, g = W.astype(dtype), G.astype(dtype)
    assert R.gd_step(w, g, learning_rate=0.1).dtype == dtype
    out, state = R.momentum_step(w, g, R.momentum_init(w), learning_rate=0.1)
    assert out.dtype == dtype and state.v.dtype == dtype
    out, state = R.rmsprop_step(w, g, R.rmsprop_init(w), learning_rate=0.1)
    assert out.dtype == dtype and state.s.dtype == dtype
    for dialect in ("eps-outside", "eps-inside", "eps-hat", "no-bias-correction"):
        out, state = R.adam_step(w, g, R.adam_init(w), t=3, learning_rate=0.1, dialect=dialect)
        assert out.dtype == dtype and state.v.dtype == dtype and state.s.dtype == dtype
    for fn in (R.sigmoid, R.relu, R.tanh, R.leaky_relu, R.relu_grad, R.leaky_relu_grad, R.softmax):
        assert fn(w).dtype == dtype, fn.__name__
    for fn in (R.sigmoid_backward, R.relu_backward, R.tanh_backward, R.leaky_relu_backward):
        assert fn(g, w).dtype == dtype, fn.__name__
    mask = R.dropout_mask(w.shape, keep_prob=0.5, rng=np.random.RandomState(0))
    assert R.inverted_dropout(w, mask, keep_prob=0.5).dtype == dtype
    assert R.l2_grad(w, lambd=0.7, m=4).dtype == dtype
    assert R.exponentially_weighted_average(np.ones(4, dtype=dtype), beta=0.9).dtype == dtype


def test_float64_state_promotes_as_numpy_does():
    w32 = W.astype(np.float32)
    out, _ = R.adam_step(w32, G.astype(np.float32), R.AdamState(np.zeros((2, 2)), np.zeros((2, 2))),
                         t=1, learning_rate=0.1)
    assert out.dtype == np.float64


# --- numerical stability ---------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_and_cross_entropy_are_finite_for_huge_logits(dtype):
    z = np.array([[-1e4, -800.0, -50.0, 0.0, 50.0, 800.0, 1e4]], dtype=dtype)
    y = np.array([[0, 1, 0, 1, 1, 0, 1]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = R.sigmoid(z)
        cost = R.binary_cross_entropy_with_logits(z, y)
    assert np.all(np.isfinite(s)) and s.dtype == dtype
    assert s[0, 0] == 0 and s[0, -1] == 1 and s[0, 3] == 0.5
    # sigmoid(-50) = e^-50 / (1 + e^-50), to the last few ulps
    assert np.isclose(s[0, 2], np.exp(dtype(-50)) / (1 + np.exp(dtype(-50))), rtol=4 * np.finfo(dtype).eps)
    # losses: softplus(z) - y z per example
    expected = np.mean([0.0, 800.0, 0.0, np.log(2), 0.0, 800.0, 0.0])
    assert np.isclose(cost, expected, rtol=1e-6)


def test_log_zero_policy():
    exact = np.array([[0.0, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert R.binary_cross_entropy(exact, np.array([[0, 1]])) == 0.0
        assert R.binary_cross_entropy(exact, np.array([[1, 1]])) == np.inf
        assert R.categorical_cross_entropy(np.array([[1.0], [0.0]]), np.array([[1], [0]])) == 0.0
    assert not np.isnan(R.binary_cross_entropy(exact, np.array([[1, 0]])))


def test_cost_dialects():
    a, y = np.array([[0.8, 0.4, 0.9]]), np.array([[1, 0, 1]])
    per_example = -(np.log(0.8) + np.log(0.6) + np.log(0.9))
    assert np.isclose(R.binary_cross_entropy(a, y), per_example / 3, rtol=1e-15)
    assert np.isclose(R.binary_cross_entropy(a, y, reduction="sum"), per_example, rtol=1e-15)
    with pytest.raises(ValueError, match=r"reduction must be one of \['mean', 'sum'\] for cost"):
        R.binary_cross_entropy(a, y, reduction="max")


def test_softmax_example_and_stability():
    assert np.allclose(R.softmax(np.array([1.2, 0.9, 0.4])), [0.45659032, 0.33825043, 0.20515925])
    big = R.softmax(np.array([[1000.0], [0.0]]))
    assert np.array_equal(big, np.array([[1.0], [0.0]]))


def test_relu_grad_dialects_at_zero():
    z = np.array([-1.0, 0.0, 2.0])
    assert R.relu_grad(z).tolist() == [0.0, 0.0, 1.0]
    assert R.relu_grad(z, dialect="one-at-zero").tolist() == [0.0, 1.0, 1.0]


def test_gradient_check_notebook_function():
    assert nb.gradient_check(2, 4) < 1e-7
    assert R.relative_difference(np.zeros(3), np.zeros(3)) == 0.0
    assert R.relative_difference(np.array([1.0, 0.0]), np.array([0.0, 1.0])) == pytest.approx(np.sqrt(2) / 2)


def test_predict_and_initializers():
    parameters = nb.initialize_parameters_he([2, 4, 3, 1])
    assert {k: v.shape for k, v in parameters.items()} == {
        "W1": (4, 2), "b1": (4, 1), "W2": (3, 4), "b2": (3, 1), "W3": (1, 3), "b3": (1, 1)}
    # He draws: RandomState(3).randn(4, 2) * sqrt(2/2)
    assert np.array_equal(parameters["W1"], np.random.RandomState(3).randn(4, 2) * np.sqrt(2 / 2))
    random10 = nb.initialize_parameters_random([2, 4, 1])
    assert np.array_equal(random10["W1"], np.random.RandomState(3).randn(4, 2) * 10)
    X = np.array([[1.0, -1.0, 0.5], [0.2, 0.3, -2.0]])
    p = nb.predict(X, np.array([[1, 0, 1]]), parameters)
    a3, _ = nb.forward_propagation(X, parameters)
    assert p.shape == (1, 3) and np.array_equal(p, (a3 > 0.5).astype(int))
    with pytest.raises(ValueError, match="seeds' 3-layer network"):
        nb.forward_propagation(X, nb.initialize_parameters([2, 1]))


def test_logit_cross_entropy_keeps_relative_precision_of_small_losses():
    # y = 1, z = 10: the loss is log1p(e^-10) = 4.54e-5; summing -10 + 4.54e-5 + 10 would
    # keep only ~10 of its 16 digits.
    for z in (10.0, 30.0, 700.0):
        got = R.binary_cross_entropy_with_logits(np.array([[z]]), np.array([[1]]))
        assert got == pytest.approx(math.log1p(math.exp(-z)), rel=2 * np.finfo(float).eps)


# --- the notebook's optimizers step all layers in one call -----------------------------------

_NOTEBOOK_RULES = [
    ("gd", lambda p, g, s: (nb.update_parameters_with_gd(p, g, 0.01),),
     lambda w, g, st: (R.gd_step(w, g, learning_rate=0.01),)),
    ("momentum", lambda p, g, s: nb.update_parameters_with_momentum(p, g, s[0], 0.9, 0.01),
     lambda w, g, st: _flatten(R.momentum_step(w, g, R.MomentumState(st[0]), beta=0.9, learning_rate=0.01))),
    ("rmsprop", lambda p, g, s: nb.update_parameters_with_rmsprop(p, g, s[0], 0.9, 0.01),
     lambda w, g, st: _flatten(R.rmsprop_step(w, g, R.RMSPropState(st[0]), beta2=0.9, learning_rate=0.01))),
    ("adam", lambda p, g, s: nb.update_parameters_with_adam(p, g, s[0], s[1], 3, 0.02, 0.8, 0.888, 1e-2),
     lambda w, g, st: _flatten(R.adam_step(w, g, R.AdamState(*st), t=3, learning_rate=0.02, beta1=0.8,
                                           beta2=0.888, epsilon=1e-2))),
]


def _flatten(step_result):
    w, state = step_result
    return (w, *state)


@pytest.mark.parametrize(("rule", "notebook_step", "core_step"), _NOTEBOOK_RULES, ids=[r[0] for r in _NOTEBOOK_RULES])
@pytest.mark.parametrize("variant", ["one dtype", "mixed dtypes", "mappings", "float32 past its range"])
def test_notebook_steps_give_every_layer_the_bits_of_a_step_per_layer(rule, notebook_step, core_step, variant):
    # One dtype: the layers are raveled and stepped in one call by the rule's body. Mixed dtypes,
    # dicts that are other mappings, and float32 gradients whose squares overflow (the body's
    # overflow is caught and the checked step computes through it): one checked call per layer.
    # Every way, each layer must come out exactly as the per-layer core rule makes it.
    parameters, grads = optimizer_test_case()
    rng = np.random.RandomState(7)
    states = [{f"d{k}": np.abs(rng.randn(*w.shape)) for k, w in parameters.items()} for _ in range(2)]
    if variant == "mixed dtypes":
        parameters["W2"] = parameters["W2"].astype(np.float32)
        grads["dW2"] = grads["dW2"].astype(np.float32)
        for state in states:
            state["dW2"] = state["dW2"].astype(np.float32)
    elif variant == "float32 past its range":
        parameters = {k: v.astype(np.float32) for k, v in parameters.items()}
        grads = {k: (v / np.abs(v).max() * 3e19).astype(np.float32) for k, v in grads.items()}  # g**2 > 3.4e38
        states = [{k: v.astype(np.float32) for k, v in state.items()} for state in states]
        states[1] = {k: v * np.float32(1e30) for k, v in states[1].items()}  # Adam's s, on the scale of g**2
    outputs = notebook_step(*((MappingProxyType(parameters), MappingProxyType(grads),
                               [MappingProxyType(state) for state in states]) if variant == "mappings" else
                              (parameters, grads, states)))
    for key in parameters:
        expected = core_step(parameters[key], grads[f"d{key}"], [s[f"d{key}"] for s in states])
        for out, want in zip(outputs, expected, strict=False):
            got = out[key] if key in out else out[f"d{key}"]
            assert got.dtype == want.dtype and got.shape == want.shape, (rule, key)
            assert np.isfinite(got).all(), (rule, key)
            np.testing.assert_array_equal(got, want, err_msg=f"{rule} {key}")


# --- the linear layer ---------------------------------------------------------------------------

def _layer_case(dtype=np.float64, n_out=3, n_in=4, m=5, seed=11):
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((n_out, n_in)).astype(dtype)
    b = rng.standard_normal((n_out, 1)).astype(dtype)
    A_prev = rng.standard_normal((n_in, m)).astype(dtype)
    dZ = rng.standard_normal((n_out, m)).astype(dtype)
    return W, b, A_prev, dZ


def test_linear_backward_per_example_is_the_courses_linear_backward():
    # Seed 002's L-layer linear_backward, written out with plain NumPy.
    W, _, A_prev, dZ = _layer_case()
    m = A_prev.shape[1]
    dW, db, dA_prev = R.linear_backward(dZ, W, A_prev, per_example=True)
    np.testing.assert_allclose(dW, (1 / m) * np.dot(dZ, A_prev.T), rtol=1e-14, atol=0)
    np.testing.assert_allclose(db, (1 / m) * np.sum(dZ, axis=1, keepdims=True), rtol=1e-14, atol=0)
    np.testing.assert_allclose(dA_prev, np.dot(W.T, dZ), rtol=1e-14, atol=0)
    assert dW.shape == W.shape and db.shape == (W.shape[0], 1) and dA_prev.shape == A_prev.shape
    # Elementwise, as the sums the formulas name.
    for k in range(W.shape[0]):
        assert math.isclose(db[k, 0], sum(dZ[k, j] for j in range(m)) / m, rel_tol=1e-14)
        for q in range(W.shape[1]):
            assert math.isclose(dW[k, q], sum(dZ[k, j] * A_prev[q, j] for j in range(m)) / m, rel_tol=1e-13)


def test_linear_backward_of_a_dz_that_carries_the_mean_is_the_per_example_one_scaled():
    W, _, A_prev, dZ = _layer_case()
    m = A_prev.shape[1]
    dW, db, dA_prev = R.linear_backward(dZ / m, W, A_prev)
    dW_e, db_e, dA_e = R.linear_backward(dZ, W, A_prev, per_example=True)
    np.testing.assert_allclose(dW, dW_e, rtol=1e-14)
    np.testing.assert_allclose(db, db_e, rtol=1e-14)
    np.testing.assert_allclose(m * dA_prev, dA_e, rtol=1e-14)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_linear_layer_is_bit_for_bit_numpy(dtype):
    # Without per_example the kernels get m = 1: multiplying by 1/1 = 1.0 changes no bit.
    W, b, A_prev, dZ = _layer_case(dtype, n_out=7, n_in=9, m=13, seed=3)
    assert R.linear_forward(W, b, A_prev).tobytes() == (np.dot(W, A_prev) + b).tobytes()
    dW, db, dA_prev = R.linear_backward(dZ, W, A_prev)
    for got, want in ((dW, np.dot(dZ, A_prev.T)), (db, dZ.sum(axis=1, keepdims=True)),
                      (dA_prev, np.dot(W.T, dZ))):
        assert got.dtype == dtype and got.shape == want.shape
        assert got.tobytes() == want.tobytes()
    for got in R.linear_backward(dZ, W, A_prev, per_example=True):
        assert got.dtype == dtype


def test_linear_layer_does_not_mutate():
    W, b, A_prev, dZ = _layer_case()
    before = copy.deepcopy((W, b, A_prev, dZ))
    R.linear_forward(W, b, A_prev)
    for per_example in (False, True):
        out = R.linear_backward(dZ, W, A_prev, per_example=per_example)
        assert not any(np.shares_memory(o, x) for o in out for x in (W, A_prev, dZ))
    for original, now in zip(before, (W, b, A_prev, dZ), strict=True):
        assert np.array_equal(original, now)


_W34, _B3, _A45, _DZ35 = _layer_case()


@pytest.mark.parametrize(("call", "message"), [
    (lambda: R.linear_forward(_W34, _B3, _A45[:3]), r"A_prev has 3 rows but W has 4 columns.*shape \(4, m\)"),
    (lambda: R.linear_forward(_W34, _B3.ravel(), _A45), r"b must be a column of shape \(3, 1\).*reshape\(3, 1\)"),
    (lambda: R.linear_forward(_W34[0], _B3, _A45), r"W must be 2-D .*got shape \(4,\)"),
    (lambda: R.linear_forward(_W34, _B3, _A45[:, 0]), r"A_prev must be 2-D .*got shape \(4,\)"),
    (lambda: R.linear_backward(_DZ35[:, :4], _W34, _A45), r"dZ must have shape \(3, 5\).*got \(3, 4\)"),
    (lambda: R.linear_backward(_DZ35.T, _W34, _A45), r"dZ must have shape \(3, 5\).*got \(5, 3\)"),
    (lambda: R.linear_backward(_DZ35[0], _W34, _A45), r"dZ must be 2-D .*got shape \(5,\)"),
    (lambda: R.linear_backward(_DZ35, _W34, _A45[:3]), r"A_prev has 3 rows but W has 4 columns"),
    (lambda: R.linear_backward(_DZ35, _W34.T, _A45), r"A_prev has 4 rows but W has 3 columns"),
    (lambda: R.linear_backward(np.zeros((3, 0)), _W34, np.zeros((4, 0)), per_example=True),
     r"A_prev has no examples"),
])
def test_linear_layer_bad_shapes_name_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_linear_layer_refuses_integers_and_a_non_boolean_flag():
    with pytest.raises(TypeError, match=r"A_prev must be a floating-point array"):
        R.linear_forward(_W34, _B3, np.ones((4, 5), dtype=int))
    with pytest.raises(TypeError, match=r"per_example must be True or False; got 1 \(int\)"):
        R.linear_backward(_DZ35, _W34, _A45, per_example=1)


# --- large arrays step block by block -------------------------------------------------------------

_BLOCKED_RULES = {
    "adam": (R.adam_init, lambda w, g, st: R.adam_step(w, g, st, t=3, learning_rate=1e-3)),
    "amsgrad": (R.amsgrad_init, lambda w, g, st: R.amsgrad_step(w, g, st, t=3, learning_rate=1e-3,
                                                                  dialect="max-corrected")),
    "rmsprop-centered": (R.rmsprop_centered_init,
                         lambda w, g, st: R.rmsprop_centered_step(w, g, st, learning_rate=1e-3)),
}


@pytest.mark.parametrize("rule", sorted(_BLOCKED_RULES))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_large_arrays_step_block_by_block_with_the_whole_arrays_bits(rule, dtype, monkeypatch):
    from gradspec.reference import optimizers as P

    init, step = _BLOCKED_RULES[rule]
    rng = np.random.default_rng(5)
    # 3 blocks and a part, as a non-contiguous 2-D view; a second step from a non-zero state.
    w = rng.standard_normal((2, 3 * P._BLOCK + 17)).astype(dtype).T
    g1, g2 = (rng.standard_normal(w.shape).astype(dtype) for _ in range(2))
    g2[-1, -1] = dtype(3e19) if dtype is np.float32 else 1.0  # float32: g**2 overflows in the last block
    w1, state1 = step(w, g1, init(w))
    blocked = step(w1, g2, state1)
    monkeypatch.setattr(P, "_BLOCK", w.size)  # one block: the whole arrays at once
    w1_whole, state1_whole = step(w, g1, init(w))
    whole = step(w1_whole, g2, state1_whole)
    for got, want in zip((blocked[0], *blocked[1]), (whole[0], *whole[1]), strict=True):
        assert got.dtype == want.dtype == dtype and got.shape == want.shape == w.shape
        assert np.isfinite(got).all()
        np.testing.assert_array_equal(got, want)
