"""The committed kernels are exactly what the spec generates."""

from __future__ import annotations

import inspect
import subprocess
import sys

import numpy as np
import pytest
import sympy as sp

from gradspec.reference import _kernels
from gradspec.spec import FORMULAS, codegen, layers


def test_generated_kernels_are_up_to_date():
    path = codegen.target_path()
    assert path.read_text(encoding="utf-8") == codegen.render(), (
        "reference/_kernels.py is out of date: run python -m gradspec.spec.codegen"
    )


def test_check_mode_reports_up_to_date():
    result = subprocess.run([sys.executable, "-m", "gradspec.spec.codegen", "--check"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def test_every_kernel_formula_has_its_function():
    for name in codegen.kernel_formulas():
        assert callable(getattr(_kernels, name)), name


def _matrix_formulas():
    return {name: f for name, f in codegen.kernel_formulas().items()
            if any(isinstance(a, sp.MatrixSymbol) for a in f.args)}


def test_kernels_evaluate_their_formulas():
    # Each kernel agrees with SymPy's own evaluation of its formula at a sample point.
    rng = np.random.default_rng(0)
    matrix_formulas = _matrix_formulas()
    for name, formula in codegen.kernel_formulas().items():
        if name in matrix_formulas:
            continue
        point = {}
        for symbol in formula.args:
            if symbol.is_integer:
                point[symbol] = int(rng.integers(1, 5))
            elif symbol.name in {"beta", "beta1", "beta2", "keep_prob", "alpha", "a", "y"}:
                point[symbol] = float(rng.uniform(0.1, 0.9))
            else:
                point[symbol] = float(rng.uniform(0.1, 2.0))
        names = {symbol.name: symbol for symbol in formula.args}
        if "g_bar" in names:  # centered RMSProp's domain: s is at least g_bar^2 (its variance is s - g_bar^2)
            point[names["s"]] += point[names["g_bar"]] ** 2 + 2.0  # and above epsilon (at most 2 here)
        if "variance" in names and "epsilon" in names:  # eps-subtracted's root is real above epsilon
            point[names["variance"]] += point[names["epsilon"]]
        expected = float(formula.expr.subs(point).evalf(30))
        got = float(getattr(_kernels, name)(*(point[s] for s in formula.args)))
        assert np.isclose(got, expected, rtol=1e-12, atol=0), (name, got, expected)


# Sizes for the shape symbols of the matrix formulas: all different, so that a transposed
# or misplaced operand cannot line up by accident.
_SIZES = {"n_out": 2, "n_in": 3, "m": 4}


def test_matrix_kernels_evaluate_their_formulas():
    # The matrix formulas (MatrixSymbols with symbolic shapes) at concrete sizes: SymPy
    # multiplies out the explicit matrices exactly, the kernel gets the arrays and m.
    rng = np.random.default_rng(1)
    formulas = _matrix_formulas()
    assert set(formulas) >= {"linear_forward", "linear_dW", "linear_db", "linear_dA_prev"}
    for name, formula in formulas.items():
        dims = {d for a in formula.args if isinstance(a, sp.MatrixSymbol) for d in a.shape}
        sizes = {d: _SIZES[d.name] for d in dims | set(formula.args) if isinstance(d, sp.Symbol)}
        values, arrays = {}, []
        for symbol in formula.args:
            if isinstance(symbol, sp.MatrixSymbol):
                shape = tuple(int(sp.sympify(d).subs(sizes)) for d in symbol.shape)
                array = rng.uniform(-2.0, 2.0, shape)
                values[symbol.subs(sizes)] = sp.ImmutableMatrix(array.tolist())
                arrays.append(array)
            else:
                arrays.append(_SIZES[symbol.name])
        expected = formula.expr.subs(sizes).xreplace(values).doit().as_explicit()
        got = getattr(_kernels, name)(*arrays)
        assert isinstance(got, np.ndarray) and got.shape == expected.shape, (name, got.shape, expected.shape)
        np.testing.assert_allclose(got, np.array(expected.tolist(), dtype=float), rtol=1e-12, atol=1e-15,
                                   err_msg=name)


def test_matrix_products_print_as_numpy_does_them():
    printer = codegen.KernelPrinter()
    W, b, A_prev, dZ, m = layers.W, layers.b, layers.A_prev, layers.dZ, layers.m
    assert printer.doprint(FORMULAS["linear_forward"].expr) == "numpy.dot(W, A_prev) + b"
    assert printer.doprint(FORMULAS["linear_dW"].expr) == "(1/m)*numpy.dot(dZ, A_prev.T)"
    assert printer.doprint(FORMULAS["linear_db"].expr) == "(1/m)*dZ.sum(axis=1, keepdims=True)"
    assert printer.doprint(FORMULAS["linear_dA_prev"].expr) == "numpy.dot(W.T, dZ)"
    assert printer.doprint(W * A_prev * dZ.T) == "numpy.dot(numpy.dot(W, A_prev), dZ.T)"
    assert printer.doprint(-W * A_prev + 2 * b * sp.OneMatrix(1, m)) == "-numpy.dot(W, A_prev) + 2*b"
    assert printer.doprint(W * A_prev - b * sp.OneMatrix(1, m)) == "numpy.dot(W, A_prev) - b"
    with pytest.raises(NotImplementedError, match="only inside a sum"):
        printer.doprint(b * sp.OneMatrix(1, m))  # alone, the broadcast would not have Z's shape


def test_the_linear_kernels_take_the_formulas_arguments_in_order():
    for name in ("linear_forward", "linear_dW", "linear_db", "linear_dA_prev"):
        formula = FORMULAS[name]
        params = list(inspect.signature(getattr(_kernels, name)).parameters)
        assert params == [a.name for a in formula.args], name
    assert list(inspect.signature(_kernels.linear_forward).parameters) == ["W", "b", "A_prev", "m"]
    assert list(inspect.signature(_kernels.linear_dW).parameters) == ["dZ", "A_prev", "m"]


def test_the_spec_formulas_that_the_reference_uses_have_kernels():
    for name in ("sigmoid", "relu_grad", "bce", "bce_logits", "ewa_step", "bias_correction",
                 "gd_update", "momentum_update", "rmsprop_update", "adam_update",
                 "inverse_time_decay", "staircase_decay", "inverted_dropout", "l2_grad",
                 "linear_forward", "linear_dW", "linear_db", "linear_dA_prev"):
        assert FORMULAS[name].kernel == name
