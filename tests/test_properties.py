"""The spec's identities, checked numerically on generated inputs in float32 and float64."""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from gradspec import reference as R
from gradspec.spec import minibatch

DTYPES = st.sampled_from([np.float32, np.float64])
SHAPES = hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=5)
BETA = st.floats(0.0, 0.999)
LR = st.floats(0.0, 1.0)


@st.composite
def same_shape_arrays(draw, count=2, low=-100.0, high=100.0):
    dtype, shape = draw(DTYPES), draw(SHAPES)
    elements = st.floats(low, high, width=32)
    return [draw(hnp.arrays(dtype, shape, elements=elements)) for _ in range(count)]


def eps(dtype) -> float:
    return float(np.finfo(dtype).eps)


@given(same_shape_arrays(), LR)
def test_momentum_with_beta_zero_is_gradient_descent(arrays, lr):
    w, g = arrays
    out, state = R.momentum_step(w, g, R.momentum_init(w), beta=0.0, learning_rate=lr)
    assert np.array_equal(out, R.gd_step(w, g, learning_rate=lr))
    assert np.array_equal(state.v, g)


@given(same_shape_arrays(count=1), BETA, LR)
def test_zero_gradient_leaves_parameters_unchanged(arrays, beta, lr):
    (w,) = arrays
    zero = np.zeros_like(w)
    assert np.array_equal(R.gd_step(w, zero, learning_rate=lr), w)
    out, _ = R.momentum_step(w, zero, R.momentum_init(w), beta=beta, learning_rate=lr)
    assert np.array_equal(out, w)


@given(same_shape_arrays(), LR, BETA, BETA, st.floats(1e-12, 10.0))
def test_adams_first_step_moves_each_coordinate_by_at_most_the_learning_rate(arrays, lr, b1, b2, e):
    w, g = arrays
    out, _ = R.adam_step(w, g, R.adam_init(w), t=1, learning_rate=lr, beta1=b1, beta2=b2, epsilon=e)
    step = np.abs(out.astype(np.float64) - w.astype(np.float64))
    assert np.all(step <= lr * (1 + 8 * eps(w.dtype)) + 4 * eps(w.dtype) * np.abs(w))


@given(same_shape_arrays(), LR, st.floats(1e-12, 10.0))
def test_rmsprop_with_beta2_zero(arrays, lr, e):
    w, g = arrays
    out, state = R.rmsprop_step(w, g, R.rmsprop_init(w), beta2=0.0, learning_rate=lr, epsilon=e)
    expected = w - lr * g / np.sqrt(g * g + e)
    assert np.array_equal(state.s, g * g)
    assert np.allclose(out, expected, rtol=4 * eps(w.dtype), atol=4 * eps(w.dtype) * lr)


# (1 - beta) c must stay a normal number: in the subnormal range relative precision is lost.
NORMAL_CONSTANTS = st.floats(-1e3, 1e3).filter(lambda c: c == 0 or abs(c) > 1e-30)


@given(DTYPES, NORMAL_CONSTANTS, BETA, st.integers(1, 60))
def test_bias_corrected_average_of_a_constant_is_the_constant(dtype, c, beta, length):
    values = np.full(length, c, dtype=dtype)
    corrected = R.exponentially_weighted_average(values, beta=beta, bias_correction=True)
    # Each step rounds once; 1 - beta^t cancels when beta^t is near 1, amplifying the rounding
    # of beta^t by beta^t / (1 - beta^t) (500 for beta = 0.999, t = 2).
    steps = np.arange(1, length + 1)
    amplification = beta**steps / (1 - beta**steps)
    tolerance = 4 * eps(dtype) * (steps + amplification) * abs(c)
    assert np.all(np.abs(corrected.astype(np.float64) - dtype(c)) <= tolerance)


@given(hnp.arrays(np.float64, st.integers(1, 30), elements=st.floats(-100, 100)), BETA)
def test_ewa_recurrence_equals_its_closed_form(thetas, beta):
    v = R.exponentially_weighted_average(thetas, beta=beta)
    for t in range(1, len(thetas) + 1):
        closed = (1 - beta) * sum(beta ** (t - i) * thetas[i - 1] for i in range(1, t + 1))
        scale = (1 - beta) * sum(abs(beta ** (t - i) * thetas[i - 1]) for i in range(1, t + 1))
        assert abs(v[t - 1] - closed) <= 4 * t * eps(np.float64) * scale + 1e-300


@given(same_shape_arrays(count=1, low=-80.0, high=80.0))
def test_sigmoid_symmetry(arrays):
    (z,) = arrays
    assert np.allclose(R.sigmoid(-z), 1 - R.sigmoid(z), rtol=0, atol=2 * eps(z.dtype))


def _central(f, x: np.ndarray, h: float) -> np.ndarray:
    return (f(x + h) - f(x - h)) / (2 * h)


@given(hnp.arrays(np.float64, SHAPES, elements=st.floats(-8, 8)))
def test_backward_functions_agree_with_finite_differences(z):
    ones = np.ones_like(z)
    h = 1e-5
    assert np.allclose(R.sigmoid_backward(ones, z), _central(R.sigmoid, z, h), rtol=1e-7, atol=1e-9)
    assert np.allclose(R.tanh_backward(ones, z), _central(R.tanh, z, h), rtol=1e-7, atol=1e-9)
    away = z[np.abs(z) > 1e-3]
    assert np.allclose(R.relu_backward(np.ones_like(away), away), _central(R.relu, away, h / 10))
    slope = lambda x: R.leaky_relu(x, alpha=0.1)  # noqa: E731
    assert np.allclose(R.leaky_relu_backward(np.ones_like(away), away, alpha=0.1),
                       _central(slope, away, h / 10))


@given(hnp.arrays(np.float64, st.tuples(st.just(1), st.integers(1, 6)), elements=st.floats(-20, 20)),
       st.data())
def test_bce_logit_form_and_gradient(z, data):
    y = data.draw(hnp.arrays(np.int64, z.shape, elements=st.integers(0, 1)))
    a = R.sigmoid(z)
    assume(np.all((a > 0) & (a < 1)))
    # Rounding a = sigmoid(z) costs log(a) and log(1 - a) up to eps / min(a, 1 - a): the
    # probability form is that ill-conditioned near 0 and 1 (the logit form is not).
    condition = float(np.max(1 / np.minimum(a, 1 - a)))
    assert math.isclose(R.binary_cross_entropy(a, y), R.binary_cross_entropy_with_logits(z, y),
                        rel_tol=1e-12, abs_tol=8 * eps(np.float64) * condition)
    grad = R.binary_cross_entropy_logit_grad(a, y)
    approx = R.two_sided_difference(lambda zz: R.binary_cross_entropy_with_logits(zz, y), z,
                                    epsilon=1e-6)
    assert R.relative_difference(grad, approx) < 1e-6


@given(hnp.arrays(np.float64, st.tuples(st.integers(2, 5), st.integers(1, 4)),
                  elements=st.floats(-30, 30)), st.floats(-50, 50), st.data())
def test_softmax_shift_invariance_and_gradient(z, shift, data):
    assert np.allclose(R.softmax(z + shift), R.softmax(z), rtol=1e-12, atol=1e-15)
    labels = data.draw(hnp.arrays(np.int64, z.shape[1], elements=st.integers(0, z.shape[0] - 1)))
    y = np.eye(z.shape[0])[:, labels]
    grad = R.softmax_cross_entropy_grad(R.softmax(z), y)
    approx = R.two_sided_difference(lambda zz: R.categorical_cross_entropy(R.softmax(zz), y), z,
                                    epsilon=1e-6)
    assert np.allclose(grad, approx, atol=1e-7)


@given(same_shape_arrays(), LR, st.floats(0.0, 10.0), st.integers(1, 1000))
def test_l2_weight_decay_form(arrays, lr, lambd, m):
    W, backprop = (a.astype(np.float64) for a in arrays)
    step = R.gd_step(W, backprop + R.l2_grad(W, lambd=lambd, m=m), learning_rate=lr)
    decay = (1 - lr * lambd / m) * W - lr * backprop
    assert np.allclose(step, decay, rtol=1e-12, atol=1e-12 * (1 + np.abs(W).max() * (1 + lambd)))


@given(same_shape_arrays(), st.integers(1, 50), BETA, BETA, st.floats(1e-10, 1.0))
def test_eps_hat_is_eps_outside_with_rescaled_epsilon(arrays, t, b1, b2, e):
    w, g = (a.astype(np.float64) for a in arrays)
    state = R.AdamState(np.abs(g) * 0.3, g * g * 0.5)
    hat, _ = R.adam_step(w, g, state, t=t, learning_rate=0.1, beta1=b1, beta2=b2,
                         epsilon=e * math.sqrt(1 - b2**t), dialect="eps-hat")
    outside, _ = R.adam_step(w, g, state, t=t, learning_rate=0.1, beta1=b1, beta2=b2, epsilon=e)
    assert np.allclose(hat, outside, rtol=1e-9, atol=1e-12)


@given(st.floats(0.0, 10.0), st.floats(0.0, 5.0), st.integers(1, 2000), st.integers(0, 10**5),
       st.integers(0, 10**5))
def test_decay_schedules_are_non_increasing(lr0, rate, interval, e1, e2):
    lo, hi = sorted((e1, e2))
    assert R.inverse_time_decay(lr0, 0, decay_rate=rate) == lr0
    assert R.staircase_decay(lr0, 0, decay_rate=rate, time_interval=interval) == lr0
    assert R.inverse_time_decay(lr0, hi, decay_rate=rate) <= R.inverse_time_decay(lr0, lo, decay_rate=rate)
    stair = [R.staircase_decay(lr0, e, decay_rate=rate, time_interval=interval) for e in (lo, hi)]
    assert stair[1] <= stair[0]
    start = (lo // interval) * interval
    assert R.staircase_decay(lr0, start, decay_rate=rate, time_interval=interval) == stair[0]
    assert R.staircase_decay(lr0, start + interval - 1, decay_rate=rate,
                             time_interval=interval) == stair[0]


@given(st.integers(1, 300), st.integers(1, 70), st.integers(0, 2**32 - 1))
def test_mini_batches_partition_the_examples(m, size, seed):
    X = np.arange(2 * m, dtype=np.float64).reshape(2, m)
    Y = (np.arange(m) % 3).reshape(1, m)
    batches = R.mini_batches(X, Y, mini_batch_size=size, rng=np.random.RandomState(seed))
    full = int(minibatch.full_batches.subs({minibatch.m: m, minibatch.size: size}))
    rest = int(minibatch.remainder.subs({minibatch.m: m, minibatch.size: size}))
    assert len(batches) == full + (rest > 0)
    assert [b[0].shape[1] for b in batches] == [size] * full + ([rest] if rest else [])
    columns = np.concatenate([b[0] for b in batches], axis=1)
    labels = np.concatenate([b[1] for b in batches], axis=1)
    assert sorted(columns[0].astype(int)) == list(range(m))
    assert np.array_equal(labels[0], columns[0].astype(int) % 3)  # each X column keeps its label
    assert np.array_equal(columns[1], columns[0] + m)


@given(same_shape_arrays(count=1), st.integers(0, 1000))
def test_dropout_with_keep_prob_one_is_the_identity(arrays, seed):
    (a,) = arrays
    mask = R.dropout_mask(a.shape, keep_prob=1.0, rng=np.random.RandomState(seed))
    assert np.array_equal(R.inverted_dropout(a, mask, keep_prob=1.0), a)


def test_inverted_dropout_preserves_the_mean():
    a = np.full((200, 500), 2.0)
    rng = np.random.RandomState(0)
    mask = R.dropout_mask(a.shape, keep_prob=0.8, rng=rng)
    # the mean of 100 000 scaled Bernoulli(0.8) draws: standard error 2 * 0.5 / sqrt(1e5 * 0.8)
    assert abs(R.inverted_dropout(a, mask, keep_prob=0.8).mean() - 2.0) < 5 * 2 * 0.5 / math.sqrt(8e4)


def test_spec_and_reference_agree_on_the_temperature_example():
    v = R.exponentially_weighted_average([40.0, 49.0, 45.0], beta=0.9)
    assert np.allclose(v, [float(sp.Rational(4)), 8.5, 12.15], rtol=4 * eps(np.float64))
