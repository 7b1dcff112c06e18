"""The reference's whole public API, fuzzed (tests/fuzzing.py): no warning, NaN, mutation, widened
dtype or stray exception type from any call, and every refusal names the caller's argument."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from fuzzing import PROBLEMS, classify, functions, fuzz

from gradspec import reference as R


@pytest.mark.parametrize("name", sorted(functions()))
def test_no_call_is_a_problem(name):
    (outcome,) = fuzz(60, [name]).values()
    problems = {kind: outcome.examples[kind] for kind in PROBLEMS if outcome.counts[kind]}
    assert not problems, problems
    assert outcome.counts["ok"] > 0  # the fuzzer reaches the function's domain, not only its refusals


def test_the_fuzzer_finds_what_it_looks_for():
    # A warning, a NaN and a stray exception type, each classified as the problem it is.
    def warns(z):
        return np.exp(z)

    def nan(z):
        return z - z + np.nan

    def crashes(z):
        raise IndexError("index 3")

    z = np.array([1000.0])
    assert classify("warns", warns, [z], {})[0] == "warning"
    assert classify("nan", nan, [z], {})[0] == "nan"
    assert classify("crashes", crashes, [z], {})[0] == "crash"
    assert classify("gd_step", R.gd_step, [z, "g"], {"learning_rate": 0.1})[0] == "refused"
    assert classify("gd_step", R.gd_step, [z, z], {"learning_rate": 0.1}, "w")[0] == "accepted"


def test_the_issue_s_cases():
    # float32 gradients of 1e20: the step is -alpha sign(g) (the moments fit in float32; g**2 does not).
    w, g = np.float32([1.0, 2.0]), np.float32([1e20, -1e20])
    new, state = R.adam_step(w, g, R.adam_init(w), t=1, learning_rate=0.1)
    np.testing.assert_allclose(new, [0.9, 2.1], rtol=1e-6)
    assert new.dtype == np.float32 and state.s.dtype == np.float32
    # Where the state itself is past float32 ((1 - 0.9) 1e40), the caller is told, naming g.
    with pytest.raises(ValueError, match=r"rmsprop_step: .* past float32's largest .*g has entries up to 1e\+20"):
        R.rmsprop_step(w, g, R.rmsprop_init(w), learning_rate=0.1)
    assert R.relative_difference(np.array([1e200]), np.array([3e200])) == pytest.approx(0.5, rel=1e-15)
    assert R.relative_difference(np.float32([1e20]), np.float32([1e20])) == 0.0
    with pytest.raises(ValueError, match=r"y_hat must hold probabilities in \[0, 1\]"):
        R.categorical_cross_entropy(np.array([[-0.1], [1.1]]), np.array([[0.0], [1.0]]))
    with pytest.raises(ValueError, match=r"k = 2\.0 > 1 grows the rate"):
        R.exponential_decay(0.1, 2000.0, k=2.0)
    assert R.exponential_decay(0.0, 2000.0, k=2.0) == 0.0
    with pytest.raises(ValueError, match="t must be below 2\\*\\*63"):
        R.adam_step(w, g, R.adam_init(w), t=2**1024, learning_rate=0.1)
    with pytest.raises(TypeError, match="state must be a AdamState"):
        R.adam_step(w, g, None, t=1, learning_rate=0.1)
    with pytest.raises(ValueError, match="A_prev has 5 rows but W has 4 columns"):
        R.linear_backward(np.ones((2, 3)), np.ones((2, 4)), np.ones((5, 3)))
    with pytest.raises(TypeError, match="z is a masked array"):
        R.sigmoid(np.ma.masked_array([1.0, 2.0], mask=[1, 0]))
    with pytest.raises(TypeError, match="bias_correction must be True or False; got 'no'"):
        R.exponentially_weighted_average([1.0, 2.0], beta=0.5, bias_correction="no")
