"""The committed kernels are exactly what the spec generates."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from gradspec.reference import _kernels
from gradspec.spec import FORMULAS, codegen


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


def test_kernels_evaluate_their_formulas():
    # Each kernel agrees with SymPy's own evaluation of its formula at a sample point.
    rng = np.random.default_rng(0)
    for name, formula in codegen.kernel_formulas().items():
        point = {}
        for symbol in formula.args:
            if symbol.is_integer:
                point[symbol] = int(rng.integers(1, 5))
            elif symbol.name in {"beta", "beta1", "beta2", "keep_prob", "alpha", "a", "y"}:
                point[symbol] = float(rng.uniform(0.1, 0.9))
            else:
                point[symbol] = float(rng.uniform(0.1, 2.0))
        expected = float(formula.expr.subs(point).evalf(30))
        got = float(getattr(_kernels, name)(*(point[s] for s in formula.args)))
        assert np.isclose(got, expected, rtol=1e-12, atol=0), (name, got, expected)


def test_the_spec_formulas_that_the_reference_uses_have_kernels():
    for name in ("sigmoid", "relu_grad", "bce", "bce_logits", "ewa_step", "bias_correction",
                 "gd_update", "momentum_update", "rmsprop_update", "adam_update",
                 "inverse_time_decay", "staircase_decay", "inverted_dropout", "l2_grad"):
        assert FORMULAS[name].kernel == name
