"""Beyond the course's four rules: Nesterov momentum, AMSGrad and centered RMSProp in the reference,
each dialect against values worked out by hand, the spec's identities on numbers, and the
reference's promises (no mutation, dtype kept, errors that name the argument)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gradspec import reference as R
from gradspec.spec import dialects_of


def _run(rule, grads, rates, dialect, **hyperparameters):
    w = np.array([1.0])
    return [float(x[0]) for x in R.trajectory(rule, w, [np.array([g]) for g in grads], learning_rate=rates,
                                               dialect=dialect, **hyperparameters)]


def test_nesterov_dialects_by_hand():
    # w = 1, g = 1 twice, learning rates 0.5 then 0.25, beta = 0.5.
    # lr-outside: v = 1, w = 1 - 0.5 (1 + 0.5) = 0.25; v = 1.5, w = 0.25 - 0.25 (1 + 0.75) = -0.1875.
    assert _run("nesterov", [1.0, 1.0], [0.5, 0.25], "lr-outside", beta=0.5) == [0.25, -0.1875]
    # lr-inside: v = -0.5, w = 1 - 0.25 - 0.5 = 0.25; v = -0.25 - 0.25, w = 0.25 - 0.25 - 0.25 = -0.25.
    assert _run("nesterov", [1.0, 1.0], [0.5, 0.25], "lr-inside", beta=0.5) == [0.25, -0.25]
    # At a constant rate the two are the same steps (the spec's identity).
    rng = np.random.default_rng(1)
    grads = list(rng.normal(size=6))
    np.testing.assert_allclose(_run("nesterov", grads, 0.3, "lr-outside", beta=0.8),
                               _run("nesterov", grads, 0.3, "lr-inside", beta=0.8), rtol=1e-13)


def test_nesterov_with_beta_zero_is_gradient_descent():
    w, g = np.array([0.5, -2.0]), np.array([1.0, -0.1])
    for dialect in ("lr-outside", "lr-inside"):
        new, _ = R.nesterov_step(w, g, R.momentum_init(w), beta=0.0, learning_rate=0.1, dialect=dialect)
        np.testing.assert_array_equal(new, R.gd_step(w, g, learning_rate=0.1))


def test_amsgrad_dialects_by_hand():
    # g = 1 then 0.1, beta1 = 0.5, beta2 = 0.9, epsilon = 0.25, learning rate 0.5: s falls at step 2.
    b1, b2, eps, lr = 0.5, 0.9, 0.25, 0.5
    v1, s1 = (1 - b1) * 1.0, (1 - b2) * 1.0
    v2, s2 = b1 * v1 + (1 - b1) * 0.1, b2 * s1 + (1 - b2) * 0.01
    w1 = 1.0 - lr * (v1 / (1 - b1)) / (math.sqrt(s1 / (1 - b2)) + eps)
    raw = w1 - lr * (v2 / (1 - b1**2)) / (math.sqrt(max(s1, s2) / (1 - b2**2)) + eps)
    corrected = w1 - lr * (v2 / (1 - b1**2)) / (math.sqrt(max(s1 / (1 - b2), s2 / (1 - b2**2))) + eps)
    adam = w1 - lr * (v2 / (1 - b1**2)) / (math.sqrt(s2 / (1 - b2**2)) + eps)
    hyper = {"beta1": b1, "beta2": b2, "epsilon": eps}
    assert _run("amsgrad", [1.0, 0.1], lr, "max-raw", **hyper) == pytest.approx([w1, raw], rel=1e-15)
    assert _run("amsgrad", [1.0, 0.1], lr, "max-corrected", **hyper) == pytest.approx([w1, corrected], rel=1e-15)
    assert len({round(raw, 12), round(corrected, 12), round(adam, 12)}) == 3  # three different second steps
    # The first step is Adam's in both dialects (the spec's identity).
    assert _run("adam", [1.0], lr, "eps-outside", **hyper) == [w1]


def test_amsgrad_keeps_its_max_in_the_state_it_says():
    w, g = np.array([1.0]), np.array([2.0])
    _, raw = R.amsgrad_step(w, g, R.amsgrad_init(w), t=1, learning_rate=0.1, beta2=0.9)
    _, corrected = R.amsgrad_step(w, g, R.amsgrad_init(w), t=1, learning_rate=0.1, beta2=0.9,
                                  dialect="max-corrected")
    assert raw.s_max.tolist() == raw.s.tolist() == [(1 - 0.9) * 4.0]  # the uncorrected s
    assert corrected.s_max.tolist() == pytest.approx([4.0])       # s / (1 - beta2)


def test_centered_rmsprop_dialects_by_hand():
    # One step from rest: s = (1 - b) g^2, g_bar = (1 - b) g, so s - g_bar^2 = b (1 - b) g^2.
    b, eps, lr, g = 0.9, 1e-3, 0.5, 2.0
    variance = b * (1 - b) * g * g
    expected = {"eps-inside": 1.0 - lr * g / math.sqrt(variance + eps),
                "eps-outside": 1.0 - lr * g / (math.sqrt(variance) + eps),
                "eps-subtracted": 1.0 - lr * g / math.sqrt(variance - eps)}
    assert [d.name for d in dialects_of("rmsprop-centered")] == list(expected)
    for dialect, value in expected.items():
        assert _run("rmsprop-centered", [g], lr, dialect, beta2=b, epsilon=eps) == pytest.approx([value], rel=1e-15)


def test_centered_rmsprop_eps_subtracted_is_nan_where_tensorflow_js_is(recwarn):
    # |g| small on a first step: s - g_bar^2 < epsilon, and the root is not real.
    w, g = np.array([1.0, 1.0]), np.array([1e-4, 1.0])
    new, _ = R.rmsprop_centered_step(w, g, R.rmsprop_centered_init(w), beta2=0.9, learning_rate=0.1,
                                     epsilon=1e-7, dialect="eps-subtracted")
    assert math.isnan(new[0]) and math.isfinite(new[1])
    assert not recwarn.list  # documented, not warned


def test_a_zero_mean_gradient_makes_centered_rmsprop_plain_rmsprop():
    # The spec's identity, on the generated kernels: g_bar = 0 leaves RMSProp's update.
    from gradspec.reference import _kernels as K

    w, g, s = np.array([0.5, -2.0]), np.array([1.0, -0.1]), np.array([0.3, 0.2])
    zero = np.zeros(2)
    np.testing.assert_array_equal(K.rmsprop_centered_update(w, g, s, zero, 0.1, 1e-3),
                                  K.rmsprop_update(w, g, s, 0.1, 1e-3))
    np.testing.assert_array_equal(K.rmsprop_centered_eps_outside_update(w, g, s, zero, 0.1, 1e-3),
                                  K.rmsprop_eps_outside_update(w, g, s, 0.1, 1e-3))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(("step", "init", "keywords"), [
    (R.nesterov_step, R.momentum_init, {"beta": 0.9}),
    (R.amsgrad_step, R.amsgrad_init, {"t": 2}),
    (R.rmsprop_centered_step, R.rmsprop_centered_init, {}),
])
def test_the_new_steps_keep_the_dtype_and_do_not_touch_their_inputs(step, init, keywords, dtype):
    w, g = np.array([0.5, -2.0], dtype=dtype), np.array([1.0, -0.1], dtype=dtype)
    state = init(w)
    copies = [w.copy(), g.copy(), *(x.copy() for x in state)]
    new, new_state = step(w, g, state, learning_rate=0.01, **keywords)
    assert new.dtype == w.dtype and all(x.dtype == w.dtype for x in new_state)
    for before, after in zip(copies, [w, g, *state], strict=True):
        np.testing.assert_array_equal(before, after)


@pytest.mark.parametrize(("call", "message"), [
    (lambda w: R.nesterov_step(w, w, R.momentum_init(w), learning_rate=0.1, dialect="sideways"),
     r"dialect must be one of \['lr-outside', 'lr-inside'\] for nesterov; got 'sideways'"),
    (lambda w: R.amsgrad_step(w, w, R.amsgrad_init(w), t=0, learning_rate=0.1), "t"),
    (lambda w: R.amsgrad_step(w, w, R.AMSGradState(w, w, np.zeros(3)), t=1, learning_rate=0.1), "state.s_max"),
    (lambda w: R.rmsprop_centered_step(w, w, R.CenteredRMSPropState(w, np.zeros(3)), learning_rate=0.1),
     "state.g_bar"),
    (lambda w: R.rmsprop_centered_step(w, w, R.rmsprop_centered_init(w), learning_rate=0.1, beta2=1.5), "beta2"),
])
def test_bad_input_is_refused_naming_the_argument(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call(np.array([1.0, 2.0]))


def test_trajectory_takes_the_new_rules_hyperparameters():
    w, grads = np.array([1.0]), [np.array([1.0])]
    with pytest.raises(TypeError, match=r"amsgrad takes the hyperparameters \['beta1', 'beta2', 'epsilon'\]"):
        R.trajectory("amsgrad", w, grads, learning_rate=0.1, beta=0.9)
    assert R.trajectory("rmsprop-centered", w, grads, learning_rate=0.1, beta2=0.9, epsilon=1e-8)[0].shape == (1,)
