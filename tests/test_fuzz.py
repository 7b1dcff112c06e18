"""The reference's whole public API and the notebook-compatible APIs (gradspec.reference.notebook,
gradspec.reference.course), fuzzed (tests/fuzzing.py): no warning, NaN, mutation, widened dtype or
stray exception type from any call, and every refusal names the caller's argument."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from fuzzing import PROBLEMS, _names, classify, course_functions, functions, fuzz

from gradspec import reference as R
from gradspec.reference import notebook as nb
from gradspec.reference.course import deep, gradient_checking, logistic, shallow


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
    # An rng that is not one is refused even where the scheme draws nothing (found by a --random run).
    with pytest.raises(TypeError, match=r"rng must be a np\.random\.RandomState or np\.random\.Generator"):
        R.initialize_dense([2, 3], scheme="zeros", rng=np.float32([1.0]))


def test_every_notebook_function_is_fuzzed_once():
    # notebook.__all__ and each course module's __all__, each function object once (the course's
    # optimization module re-exports the notebook's optimizers: fuzzed as notebook.*).
    names = course_functions()
    assert len(names) == len(set(names.values())) == 65
    assert "notebook.update_parameters_with_adam" in names and "course.deep.L_model_forward" in names
    assert "course.optimization.update_parameters_with_adam" not in names


def test_a_refusal_names_the_callers_argument_and_nothing_else():
    adam, forward, propagate = nb.update_parameters_with_adam, deep.linear_forward, logistic.propagate
    assert _names("grads['dW1'] has shape (3, 2) but parameters['W1'] has shape (3, 4)", adam)
    assert _names("cache[4] (z2) has shape (2, 2) but must be (3, 2)", nb.backward_propagation)
    assert _names("a3 must hold probabilities in [0, 1]", nb.compute_cost)
    assert _names("z is a masked array", R.sigmoid) and _names("t must be below 2**63", adam)
    # Another function's name for the argument, or the same letters in a word or in prose, are not.
    assert not _names("a must hold probabilities in [0, 1]", nb.compute_cost)
    assert not _names("y has shape (3,) but a has shape (1, 3)", nb.compute_cost)
    assert not _names("A_prev must be 2-D", forward)
    assert not _names("adam_step: the step is past float64's largest number (g has entries up to 1e+200)", adam)
    assert not _names("linear_forward: Z = W A_prev + b is past float32's largest number", propagate)


def test_the_notebook_fuzzing_s_cases():
    # A masked entry of parameters, whose mask np.asarray would drop, is refused naming it.
    parameters = nb.initialize_parameters([2, 3, 1])
    masked = parameters | {"W2": np.ma.masked_array(parameters["W2"], mask=[[1, 0, 0]])}
    with pytest.raises(TypeError, match=r"parameters\['W2'\] is a masked array"):
        nb.update_parameters_with_gd(masked, {f"d{k}": np.zeros_like(v) for k, v in parameters.items()}, 0.1)
    # A forward pass past float32's range names the caller's arguments, not linear_forward's W and A_prev.
    big = {k: np.float32(1e20) * np.ones_like(v, dtype=np.float32) for k, v in nb.initialize_parameters_he(
        [2, 3, 2, 1]).items()}
    with pytest.raises(ValueError, match=r"forward_propagation: .* past float32's largest .*parameters\['W\d'\]"):
        nb.forward_propagation(np.ones((2, 3), np.float32), big)
    # A cache whose entry does not fit the others is refused before anything is computed.
    X, Y = np.ones((2, 3)), np.array([[1, 0, 1]])
    _, cache = nb.forward_propagation(X, nb.initialize_parameters([2, 3, 2, 1]))
    with pytest.raises(ValueError, match=r"cache\[3\] \(b1\) has shape \(3, 2\) but must be \(3, 1\)"):
        nb.backward_propagation(X, Y, (*cache[:3], np.ones((3, 2)), *cache[4:]))
    # Dropout masks in the activations' dtype: float32 in, float32 out.
    small = {k: v.astype(np.float32) for k, v in nb.initialize_parameters([2, 3, 2, 1]).items()}
    _, cache = nb.forward_propagation_with_dropout(X.astype(np.float32), small)
    assert {a.dtype for a in cache} == {np.dtype(np.float32)}
    assert logistic.predict(np.zeros((2, 1), np.float32), 0.0, np.ones((2, 3), np.float32)).dtype == np.float32
    with pytest.raises(ValueError, match=r"b = 1e\+308 is past float32's largest number"):  # not inf, warning
        logistic.propagate(np.float32([[0.5]]), 1e308, np.float32([[1.0]]), np.array([[1]]))
    with pytest.raises(TypeError, match="print_cost must be True or False; got 'no'"):
        logistic.optimize(np.zeros((2, 1)), 0.0, X, Y, 1, 0.1, print_cost="no")
    with pytest.raises(TypeError, match="x is a masked array"):
        nb.sigmoid(np.ma.masked_array([1.0], mask=[1]))
    with pytest.raises(TypeError, match="layers_dims must be a list"):
        nb.initialize_parameters_he(None)
    with pytest.raises(ValueError, match=r"gradient_check: J = theta x .* past float64's largest"):
        nb.gradient_check(1e200, 1e200)
    with pytest.raises(ValueError, match=r"gradients has no \['dW1', 'db1',"):
        gradient_checking.gradients_to_vector({})
    with pytest.raises(ValueError, match=r"layer_dims must list the 3-layer network's sizes"):
        gradient_checking.vector_to_dictionary(np.zeros((47, 1)), layer_dims=None)
    with pytest.raises(ValueError, match=r"dialect must be one of \['zero-at-zero', 'one-at-zero'\]"):
        AL, caches = deep.L_model_forward(X, deep.initialize_parameters_deep([2, 1]))
        deep.L_model_backward(AL, Y, caches, dialect="no")  # one layer: no ReLU reads it, still checked
    with pytest.raises(TypeError, match="X is a masked array"):
        shallow.layer_sizes(np.ma.masked_array(X), Y)
    with pytest.raises(TypeError, match="X is a masked array"):
        nb.random_mini_batches(np.ma.masked_array(X), Y)
