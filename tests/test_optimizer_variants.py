"""Beyond the course's four rules: Nesterov momentum, AMSGrad, centered RMSProp, RMSProp with
momentum, Adagrad and weight decay in the reference,
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
    variance = K.rmsprop_centered_variance(s, zero)
    np.testing.assert_array_equal(K.rmsprop_centered_update(w, g, variance, 0.1, 1e-3),
                                  K.rmsprop_update(w, g, s, 0.1, 1e-3))
    np.testing.assert_array_equal(K.rmsprop_centered_eps_outside_update(w, g, variance, 0.1, 1e-3),
                                  K.rmsprop_eps_outside_update(w, g, s, 0.1, 1e-3))


def test_centered_rmsprop_adds_epsilon_to_the_variance_not_before_it():
    # s = g_bar^2 = 924.63^2 after a step with beta2 = 0: the variance is 0, and epsilon must
    # survive; added to -g_bar^2 first it would be lost to rounding (and 0/0 = NaN at rate 0).
    w, g = np.array([1.0]), np.array([924.631473])
    zero = np.zeros(1)
    new, _ = R.rmsprop_centered_step(w, g, R.CenteredRMSPropState(zero, zero), beta2=0.0, learning_rate=0.5,
                                     epsilon=1e-12)
    np.testing.assert_array_equal(new, 1.0 - 0.5 * g / np.sqrt(1e-12))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(("step", "init", "keywords"), [
    (R.nesterov_step, R.momentum_init, {"beta": 0.9}),
    (R.amsgrad_step, R.amsgrad_init, {"t": 2}),
    (R.rmsprop_centered_step, R.rmsprop_centered_init, {}),
    (R.rmsprop_momentum_step, R.rmsprop_momentum_init, {"dialect": "eps-outside-lr-inside"}),
    (R.adagrad_step, R.adagrad_init, {}),
    (R.adagrad_step, lambda w: R.adagrad_init(w, dialect="start-tenth-eps-inside"), {"dialect": "eps-inside"}),
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
    (lambda w: R.rmsprop_momentum_step(w, w, R.RMSPropMomentumState(w, np.zeros(1)), learning_rate=0.1), "state.v"),
    (lambda w: R.rmsprop_momentum_step(w, w, R.rmsprop_momentum_init(w), learning_rate=0.1, beta=-1), "beta"),
    (lambda w: R.adagrad_init(w, dialect="start-1"), r"dialect must be one of \['eps-outside', "),
    (lambda w: R.adagrad_step(w, w, R.adagrad_init(w), learning_rate=0.1, epsilon=0.0), "epsilon"),
    (lambda w: R.trajectory("gd", w, [w], learning_rate=0.1, weight_decay=0.1, weight_decay_dialect="decoupled"),
     r"weight_decay_dialect must be one of \['l2', 'lr-scaled', 'paper'\]"),
    (lambda w: R.trajectory("gd", w, [w, w], learning_rate=0.1, weight_decay=0.1, schedule_multiplier=[1.0]),
     "schedule_multiplier must be one number or one per step"),
    (lambda w: R.trajectory("gd", w, [w], learning_rate=0.1, weight_decay=-0.1), "weight_decay"),
    (lambda w: R.trajectory("adam", w, [w], learning_rate=0.1, beta1=0.9, beta2=0.9, epsilon=1e-8,
                            adam_dialect="eps-hat"), "adam_dialect is AMSGrad's"),
    (lambda w: R.amsgrad_step(w, w, R.amsgrad_init(w), t=1, learning_rate=0.1, adam_dialect="eps-sideways"),
     "adam_dialect must be one of"),
])
def test_bad_input_is_refused_naming_the_argument(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call(np.array([1.0, 2.0]))


def test_trajectory_takes_the_new_rules_hyperparameters():
    w, grads = np.array([1.0]), [np.array([1.0])]
    with pytest.raises(TypeError, match=r"amsgrad takes the hyperparameters \['beta1', 'beta2', 'epsilon'\]"):
        R.trajectory("amsgrad", w, grads, learning_rate=0.1, beta=0.9)
    assert R.trajectory("rmsprop-centered", w, grads, learning_rate=0.1, beta2=0.9, epsilon=1e-8)[0].shape == (1,)


def test_rmsprop_momentum_dialects_by_hand():
    # w = 1, g = 1 then 0.5, learning rates 0.5 then 0.25, beta2 = 0.5, beta = 0.5, epsilon = 0.25.
    hyper = {"beta2": 0.5, "beta": 0.5, "epsilon": 0.25}
    s1, s2 = 0.5, 0.5 * 0.5 + 0.5 * 0.25
    for dialect, root in (("eps-inside", lambda s: math.sqrt(s + 0.25)),
                          ("eps-outside", lambda s: math.sqrt(s) + 0.25)):
        v1 = 1.0 / root(s1)
        w1 = 1.0 - 0.5 * v1
        v2 = 0.5 * v1 + 0.5 / root(s2)
        assert _run("rmsprop-momentum", [1.0, 0.5], [0.5, 0.25], dialect, **hyper) == pytest.approx(
            [w1, w1 - 0.25 * v2], rel=1e-15)
        # lr inside the buffer: the same first step; the second keeps the first rate in the buffer.
        b1 = 0.5 / root(s1)
        b2 = 0.5 * b1 + 0.25 * 0.5 / root(s2)
        inside = f"{dialect}-lr-inside"
        assert _run("rmsprop-momentum", [1.0, 0.5], [0.5, 0.25], inside, **hyper) == pytest.approx(
            [1.0 - b1, 1.0 - b1 - b2], rel=1e-15)


def test_rmsprop_momentum_with_beta_zero_is_rmsprop():
    rng = np.random.default_rng(2)
    w, grads = np.array([0.3, -1.0]), [rng.normal(size=2) for _ in range(3)]
    for dialect, plain in (("eps-inside", "eps-inside"), ("eps-outside", "eps-outside"),
                           ("eps-inside-lr-inside", "eps-inside"), ("eps-outside-lr-inside", "eps-outside")):
        np.testing.assert_allclose(
            R.trajectory("rmsprop-momentum", w, grads, learning_rate=[0.1, 0.3, 0.2], dialect=dialect, beta2=0.9,
                         beta=0.0, epsilon=1e-3),
            R.trajectory("rmsprop", w, grads, learning_rate=[0.1, 0.3, 0.2], dialect=plain, beta2=0.9,
                         epsilon=1e-3), rtol=1e-15)


def test_adagrad_dialects_by_hand():
    # w = 1, g = 1 then 0.5, learning rate 0.5, epsilon = 0.25; s from 0 or from 0.1.
    for start in (0.0, 0.1):
        s1, s2 = start + 1.0, start + 1.25
        prefix = "start-tenth-" if start else ""
        w1 = 1.0 - 0.5 / (math.sqrt(s1) + 0.25)
        assert _run("adagrad", [1.0, 0.5], 0.5, f"{prefix}eps-outside", epsilon=0.25) == pytest.approx(
            [w1, w1 - 0.25 / (math.sqrt(s2) + 0.25)], rel=1e-15)
        w1 = 1.0 - 0.5 / math.sqrt(s1 + 0.25)
        assert _run("adagrad", [1.0, 0.5], 0.5, f"{prefix}eps-inside", epsilon=0.25) == pytest.approx(
            [w1, w1 - 0.25 / math.sqrt(s2 + 0.25)], rel=1e-15)
    # From 0, the first step is a sign step less epsilon (the spec's identity): 1 - 0.5 * 3 / (3 + 0.25).
    assert _run("adagrad", [3.0], 0.5, None, epsilon=0.25) == [1.0 - 0.5 * 3.0 / 3.25]


def test_adagrad_init_starts_where_the_dialect_says():
    w = np.zeros((2, 3), dtype=np.float32)
    assert not R.adagrad_init(w).s.any()
    start = R.adagrad_init(w, dialect="start-tenth-eps-outside").s
    assert start.dtype == np.float32 and (start == np.float32(0.1)).all()


def test_weight_decay_dialects_by_hand():
    # Adam, w = 1, g = 1 twice, rates 0.5 then 0.25 (schedule multipliers 1 then 0.5), lambda = 0.1.
    hyper = {"beta1": 0.5, "beta2": 0.9, "epsilon": 0.25}
    lam, rates, etas = 0.1, [0.5, 0.25], [1.0, 0.5]

    def adam_run(decayed_gradient, decoupled):
        w, v, s = 1.0, 0.0, 0.0
        out = []
        for t, (lr, eta) in enumerate(zip(rates, etas, strict=True), start=1):
            g = 1.0 + (lam * w if decayed_gradient else 0.0)
            v, s = 0.5 * v + 0.5 * g, 0.9 * s + 0.1 * g * g
            step = w - lr * (v / (1 - 0.5**t)) / (math.sqrt(s / (1 - 0.9**t)) + 0.25)
            w = step - {"none": 0.0, "lr": lr * lam * w, "paper": eta * lam * w}[decoupled]
            out.append(w)
        return out

    def run(dialect):
        w = np.array([1.0])
        return [float(x[0]) for x in R.trajectory("adam", w, [np.array([1.0])] * 2, learning_rate=rates,
                                                   weight_decay=lam, weight_decay_dialect=dialect,
                                                   schedule_multiplier=etas, **hyper)]

    assert run("l2") == pytest.approx(adam_run(True, "none"), rel=1e-15)
    assert run("lr-scaled") == pytest.approx(adam_run(False, "lr"), rel=1e-15)
    assert run("paper") == pytest.approx(adam_run(False, "paper"), rel=1e-15)
    assert run("l2")[0] == pytest.approx(1.0 - 0.5 * 1.1 / (1.1 + 0.25), rel=1e-15)  # l2's first step: g = 1.1


def test_weight_decay_zero_is_the_plain_rule_in_every_dialect():
    rng = np.random.default_rng(3)
    w, grads = rng.normal(size=3), [rng.normal(size=3) for _ in range(3)]
    plain = R.trajectory("momentum", w, grads, learning_rate=[0.1, 0.2, 0.05], dialect="lr-inside", beta=0.9)
    for dialect in ("l2", "lr-scaled", "paper"):
        np.testing.assert_array_equal(
            R.trajectory("momentum", w, grads, learning_rate=[0.1, 0.2, 0.05], dialect="lr-inside", beta=0.9,
                         weight_decay=0.0, weight_decay_dialect=dialect, schedule_multiplier=0.5), plain)


def test_l2_and_lr_scaled_weight_decay_agree_for_gradient_descent_but_not_for_momentum():
    rng = np.random.default_rng(4)
    w, grads = rng.normal(size=3), [rng.normal(size=3) for _ in range(3)]

    def run(rule, dialect, **hyper):
        return R.trajectory(rule, w, grads, learning_rate=[0.1, 0.3, 0.2], weight_decay=0.05,
                            weight_decay_dialect=dialect, **hyper)

    np.testing.assert_allclose(run("gd", "l2"), run("gd", "lr-scaled"), rtol=1e-14)
    assert np.abs(run("momentum", "l2", beta=0.9)[-1] - run("momentum", "lr-scaled", beta=0.9)[-1]).max() > 1e-3
    # The paper's decay with lambda_paper = alpha lambda at multiplier 1 is lr-scaled (a constant rate).
    np.testing.assert_allclose(
        R.trajectory("adam", w, grads, learning_rate=0.1, weight_decay=0.1 * 0.05, weight_decay_dialect="paper",
                     beta1=0.9, beta2=0.999, epsilon=1e-8),
        R.trajectory("adam", w, grads, learning_rate=0.1, weight_decay=0.05, weight_decay_dialect="lr-scaled",
                     beta1=0.9, beta2=0.999, epsilon=1e-8), rtol=1e-14)


def test_amsgrad_over_eps_hat_is_keras_form():
    # max-raw over eps-hat: alpha sqrt(1 - b2^t) / (1 - b1^t) v / (sqrt(s_max) + eps), s_max uncorrected.
    b1, b2, eps, lr = 0.5, 0.9, 0.25, 0.5
    v1, s1 = 0.5, 0.1
    v2, s2 = b1 * v1 + (1 - b1) * 0.1, b2 * s1 + (1 - b2) * 0.01
    w1 = 1.0 - lr * math.sqrt(1 - b2) / (1 - b1) * v1 / (math.sqrt(s1) + eps)
    w2 = w1 - lr * math.sqrt(1 - b2**2) / (1 - b1**2) * v2 / (math.sqrt(max(s1, s2)) + eps)
    w = np.array([1.0])
    got = R.trajectory("amsgrad", w, [np.array([1.0]), np.array([0.1])], learning_rate=lr, dialect="max-raw",
                       adam_dialect="eps-hat", beta1=b1, beta2=b2, epsilon=eps)
    assert [float(x[0]) for x in got] == pytest.approx([w1, w2], rel=1e-15)


def test_weight_decay_step_wraps_any_rule_and_returns_what_the_rule_returns():
    w, g = np.array([2.0, -1.0]), np.array([0.5, 0.25])
    # gd_step has no state: an array back. l2 and lr-scaled agree for it; the paper's decays by eta lambda w.
    l2 = R.weight_decay_step(R.gd_step, w, g, weight_decay=0.1, learning_rate=0.5)
    np.testing.assert_array_equal(l2, w - 0.5 * (g + 0.1 * w))
    paper = R.weight_decay_step(R.gd_step, w, g, weight_decay=0.1, learning_rate=0.5, weight_decay_dialect="paper",
                                schedule_multiplier=0.5)
    np.testing.assert_array_equal(paper, (w - 0.5 * g) - 0.5 * 0.1 * w)
    # A rule with a state and its own dialect: Adam in eps-hat, decoupled; the state is Adam's own.
    state = R.adam_init(w)
    copies = [w.copy(), g.copy(), *(x.copy() for x in state)]
    new, new_state = R.weight_decay_step(R.adam_step, w, g, state, weight_decay=0.1, learning_rate=0.5,
                                         weight_decay_dialect="lr-scaled", t=1, dialect="eps-hat")
    plain, plain_state = R.adam_step(w, g, state, t=1, learning_rate=0.5, dialect="eps-hat")
    np.testing.assert_array_equal(new, plain - 0.5 * 0.1 * w)
    for a, b in zip(new_state, plain_state, strict=True):
        np.testing.assert_array_equal(a, b)
    for before, after in zip(copies, [w, g, *state], strict=True):
        np.testing.assert_array_equal(before, after)
    with pytest.raises(ValueError, match="weight_decay_dialect must be one of"):
        R.weight_decay_step(R.gd_step, w, g, weight_decay=0.1, learning_rate=0.5, weight_decay_dialect="l1")
    with pytest.raises(ValueError, match="schedule_multiplier"):
        R.weight_decay_step(R.gd_step, w, g, weight_decay=0.1, learning_rate=0.5, schedule_multiplier=-1.0)
