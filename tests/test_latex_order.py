"""The formulas' LaTeX in the course's order of terms and factors (spec._model._FormulaLatexPrinter).

The SymPy expressions are not touched: the printer only chooses the order in which it prints
a sum's terms and a product's factors, and how a product is grouped into fractions.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
import sympy as sp

from gradspec import spec
from gradspec.spec._model import COEFFICIENTS, COUNTS, LATEX_NAMES, _FormulaLatexPrinter

ALL = [(f.name, f) for f in spec.FORMULAS.values()] + [
    (f"{d.id}:{step}", f) for d in spec.DIALECTS for step, f in d.formulas.items()
]


def _formula(key: str) -> spec.Formula:
    if ":" not in key:
        return spec.FORMULAS[key]
    dialect_id, step = key.split(":")
    return spec.dialect(dialect_id).formulas[step]


def _printer(formula: spec.Formula, course_order: bool = True) -> _FormulaLatexPrinter:
    names = {s: LATEX_NAMES[s.name] for s in formula.args if s.name in LATEX_NAMES}
    return _FormulaLatexPrinter({"symbol_names": names}, args=formula.args, course_order=course_order)


PINNED = {
    "gd_update": r"w' = w - \alpha g",
    "momentum_velocity": r"v' = \beta v + \left(1 - \beta\right) g",
    "momentum_update": r"w' = w - \alpha v",
    "second_moment": r"s' = \beta_{2} s + \left(1 - \beta_{2}\right) g^{2}",
    "rmsprop_update": r"w' = w - \frac{\alpha g}{\sqrt{s + \varepsilon}}",
    "adam_update": r"w' = w - \frac{\alpha \hat{v}}{\sqrt{\hat{s}} + \varepsilon}",
    "adam/eps-inside:update": r"w' = w - \frac{\alpha \hat{v}}{\sqrt{\hat{s} + \varepsilon}}",
    "adam/eps-hat:update":
        r"w' = w - \frac{\alpha \sqrt{1 - \beta_{2}^{t}}}{1 - \beta_{1}^{t}} \frac{v}{\sqrt{s} + \varepsilon}",
    "adam/no-bias-correction:update": r"w' = w - \frac{\alpha v}{\sqrt{s} + \varepsilon}",
    "adam_v_hat": r"\hat v = \frac{v}{1 - \beta_{1}^{t}}",
    "rmsprop/eps-outside:update": r"w' = w - \frac{\alpha g}{\sqrt{s} + \varepsilon}",
    "momentum/lr-inside:velocity": r"v' = \beta v - \alpha g",
    "momentum/lr-inside:update": r"w' = w + v",
    "inverse_time_decay": r"\alpha = \frac{\alpha_0}{1 + r\,\mathrm{epoch}}",
    "staircase_decay": r"\alpha = \frac{\alpha_0}{1 + r \left\lfloor{\frac{\mathrm{epoch}}{T}}\right\rfloor}",
    "exponential_decay": r"\alpha = k^{\mathrm{epoch}} \alpha_0",
    "inverse_sqrt_decay": r"\alpha = \frac{k}{\sqrt{\mathrm{epoch}}} \alpha_0",
    "two_sided_difference": r"\hat g = \frac{J^{+} - J^{-}}{2 \varepsilon}",
    "one_sided_difference": r"\hat g_{\text{one-sided}} = \frac{J^{+} - J(\theta)}{\varepsilon}",
    "relative_difference": r"\mathrm{difference} = \frac{\lVert g - \hat{g} \rVert_2}"
                           r"{\lVert g \rVert_2 + \lVert \hat{g} \rVert_2}",
    "softmax_numerator": r"t_j = e^{z - k}",
    "softmax_ce_grad": r"\frac{\partial L}{\partial z} = \hat{y} - y",
    "mse": r"\mathrm{MSE}_i = \left(y - \hat{y}\right)^{2}",
    "bce_logits": r"L(z, y) = \left(\max\left(0, z\right) - y z\right) + "
                  r"\operatorname{log1p}{\left(e^{- \left|{z}\right|} \right)}",
    "bce_logit_grad": r"\frac{\partial J}{\partial z} = \frac{a - y}{m}",
    "l2_cost": r"J_{L2} = \frac{\lambda}{2 m} \sum_{l=1}^{L} \lVert W^{[l]} \rVert_F^2",
    "l2_grad": r"\frac{\partial J_{L2}}{\partial W} = \frac{\lambda}{m} W",
    "inverted_dropout": r"\tilde a = \frac{a d}{p}",
    "ewa_step": r"v_t = \beta v + \left(1 - \beta\right) \theta",
    "bias_correction": r"\hat v_t = \frac{v}{1 - \beta^{t}}",
    "sigmoid_backward": r"dZ = dA s \left(1 - s\right)",
    "relu_grad": r"\mathrm{ReLU}'(z) = \mathbb{1}\left[z > 0\right]",
    "relu-grad/one-at-zero:grad": r"\mathrm{ReLU}'(z) = \mathbb{1}\left[z \geq 0\right]",
    "linear_forward": r"Z = W A_{\mathrm{prev}} + b \mathbf{1}_{m}^T",
    "linear_dW": r"dW = \frac{1}{m} dZ A_{\mathrm{prev}}^{T}",
    "linear_db": r"db = \frac{1}{m} dZ \mathbf{1}_{m}",
    "glorot_variance": r"\sigma^2 = \frac{2}{n_{\mathrm{in}} + n_{\mathrm{out}}}",
    "layer_parameters": r"|W^{[l]}| + |b^{[l]}| = n_{\mathrm{in}} n_{\mathrm{out}} + n_{\mathrm{out}}",
    "last_batch": r"r = m - \mathrm{mini\_batch\_size}\,"
                  r"\left\lfloor{\frac{m}{\mathrm{mini\_batch\_size}}}\right\rfloor",
    "cost/mean:reduction": r"J = \frac{1}{m} \sum_{i=1}^{m} L^{(i)}",
    "cost/sum:reduction": r"J = \sum_{i=1}^{m} L^{(i)}",
}


@pytest.mark.parametrize("key", list(PINNED))
def test_the_latex_is_in_the_course_order(key):
    assert _formula(key).latex == PINNED[key]


def test_the_default_order_is_sympys_own():
    """``course_order=False`` is plain SymPy (so the comparisons below compare with SymPy's order)."""
    for name, formula in ALL:
        if formula.expr.atoms(sp.OneMatrix, sp.Heaviside):
            continue  # what the printer always changes: a ones matrix (SymPy: 1), the step (SymPy: θ(z, 0))
        names = {s: LATEX_NAMES[s.name] for s in formula.args if s.name in LATEX_NAMES}
        assert _printer(formula, course_order=False).doprint(formula.expr) == sp.latex(
            formula.expr, symbol_names=names), name
    gd = spec.FORMULAS["gd_update"]
    assert _printer(gd, course_order=False).doprint(gd.expr) == r"- g \alpha + w"


_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[A-Za-z0-9]|\S")
# Layout: brackets, groups, fraction bars, thin spaces, and the plus a leading minus moves
# (- x + w is w - x). Minus signs, symbols, numbers and functions all stay counted.
_LAYOUT = {"{", "}", r"\left", r"\right", "(", ")", r"\,", r"\frac", "+"}


def _tokens(tex: str) -> Counter[str]:
    tex = tex.replace(r"\frac{1}{", r"\frac{")  # \frac{1}{m} x is \frac{x}{m}
    return Counter(t for t in _TOKEN.findall(tex) if t not in _LAYOUT)


def test_the_two_orders_differ_only_in_order():
    momentum = spec.FORMULAS["momentum_velocity"]
    default = _printer(momentum, course_order=False).doprint(momentum.expr)
    course = _printer(momentum).doprint(momentum.expr)
    assert default == r"\beta v + g \left(1 - \beta\right)"
    assert course == r"\beta v + \left(1 - \beta\right) g"
    assert sorted(default.split()) == sorted(course.split())
    for name, formula in ALL:
        default = _printer(formula, course_order=False).doprint(formula.expr)
        assert _tokens(_printer(formula).doprint(formula.expr)) == _tokens(default), name


def _subexpressions(expr: sp.Basic):
    yield expr
    for arg in expr.args:
        yield from _subexpressions(arg)


@pytest.mark.parametrize(("name", "formula"), ALL, ids=[name for name, _ in ALL])
def test_the_printer_only_reorders(name, formula):
    """Every sum is printed with its own terms and every product with its own factors."""
    printer = _printer(formula)
    before = sp.srepr(formula.expr)
    for sub in _subexpressions(formula.expr):
        if isinstance(sub, sp.Add):
            terms = printer._as_ordered_terms(sub)
            assert Counter(map(sp.srepr, terms)) == Counter(map(sp.srepr, sub.args)), (name, sub)
        if isinstance(sub, sp.Mul) and not isinstance(sub, sp.MatMul):
            coefficients, quantities = printer.ordered_factors(sub)
            assert Counter(map(sp.srepr, coefficients + quantities)) == Counter(map(sp.srepr, sub.args))
            assert sp.Mul(*coefficients, *quantities) == sub, (name, sub)
    printer.doprint(formula.expr)
    assert sp.srepr(formula.expr) == before


_WORDS = re.compile(r"\\(?:mathrm|text|operatorname|begin|end)\{[^{}]*\}")


@pytest.mark.parametrize(("name", "formula"), ALL, ids=[name for name, _ in ALL])
def test_no_python_name_is_printed(name, formula):
    """y_{hat}, sum_{sq}, total ...: a symbol prints as mathematics, not as its Python name."""
    rhs = formula.latex.removeprefix(f"{formula.lhs} = ")
    bare = re.sub(r"\\[A-Za-z]+", " ", _WORDS.sub(" ", rhs))
    assert not re.search(r"[a-z]{2,}", bare), (name, rhs)


def test_the_ordering_classes_are_hyperparameters_and_counts():
    assert COEFFICIENTS - {"epsilon_hat"} <= set(spec.DOMAINS)
    assert set(spec.DOMAINS) >= COUNTS
    assert not COEFFICIENTS & COUNTS
    # a schedule is a factor applied to alpha_0, written before it (the course's 0.95^epoch alpha_0)
    assert "learning_rate0" not in COEFFICIENTS | COUNTS


def test_a_product_with_a_negative_coefficient_keeps_its_order():
    w, g, lr, eps, s = (sp.Symbol(n, real=True) for n in ("w", "g", "learning_rate", "epsilon", "s"))
    printer = _FormulaLatexPrinter({"symbol_names": {lr: r"\alpha", eps: r"\varepsilon"}},
                                   args=(w, g, s, lr, eps))
    assert printer.doprint(-lr * g / sp.sqrt(s + eps)) == r"- \frac{\alpha g}{\sqrt{s + \varepsilon}}"
    assert printer.doprint(-lr * (g + w)) == r"- \alpha \left(w + g\right)"
    assert printer.doprint(w - lr * g * (1 - eps)) == r"w - \alpha \left(1 - \varepsilon\right) g"
