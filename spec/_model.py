"""The spec's data model: formulas, hyperparameter domains, dialects, errata.

Everything here is plain data around SymPy expressions, so that the reference
(through code generation), the conformance suite and the documentation can all
read the same objects.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.simplify import fraction

__all__ = [
    "COEFFICIENTS",
    "COUNTS",
    "LATEX_NAMES",
    "Dialect",
    "Domain",
    "Erratum",
    "Formula",
    "Identity",
    "Source",
]

#: How symbols whose Python names are not mathematical names are typeset.
LATEX_NAMES: dict[str, str] = {
    "learning_rate": r"\alpha",
    "learning_rate0": r"\alpha_0",
    "epsilon": r"\varepsilon",
    "epsilon_hat": r"\hat{\varepsilon}",
    "lambd": r"\lambda",
    "weight_decay": r"\lambda",
    "schedule_multiplier": r"\eta",
    "w_step": r"\tilde{w}",
    "s_max": r"s_{\max}",
    "s_hat_max": r"\hat{s}_{\max}",
    "g_bar": r"\bar{g}",
    "variance": r"\sigma^2",
    "keep_prob": "p",
    "decay_rate": "r",
    "time_interval": "T",
    "epoch_num": r"\mathrm{epoch}",
    "n_in": r"n_{\mathrm{in}}",
    "n_out": r"n_{\mathrm{out}}",
    "mini_batch_size": r"\mathrm{mini\_batch\_size}",
    "v_hat": r"\hat{v}",
    "s_hat": r"\hat{s}",
    "y_hat": r"\hat{y}",
    "theta": r"\theta",
    "dA": r"dA",
    "A_prev": r"A_{\mathrm{prev}}",
    "grad_approx": r"\hat{g}",
    "J_plus": r"J^{+}",
    "J_minus": r"J^{-}",
    "J_0": r"J(\theta)",
    "diff_norm": r"\lVert g - \hat{g} \rVert_2",
    "grad_norm": r"\lVert g \rVert_2",
    "approx_norm": r"\lVert \hat{g} \rVert_2",
    "sum_sq": r"\sum_{l=1}^{L} \lVert W^{[l]} \rVert_F^2",
    "total": r"\sum_{i=1}^{m} L^{(i)}",
}

#: The symbols that are *coefficients* when a formula is typeset: the hyperparameters that
#: scale or shift the quantities a formula is about (alpha, the betas, epsilon, lambda, the
#: decay rate, k, the step t ...). They are written before those quantities in a product
#: (``\alpha g``, ``(1 - \beta) g``) and after them in a sum (``\sqrt{s} + \varepsilon``).
#: ``learning_rate0`` is not one: a schedule is a factor applied to it, written before it
#: (``k^{\mathrm{epoch}} \alpha_0``, as the course writes ``0.95^{epoch} \alpha_0``). ``k`` is also
#: softmax's shift (a column max), where ``e^{z - k}`` comes out the same either way.
COEFFICIENTS: frozenset[str] = frozenset({
    "learning_rate", "alpha", "beta", "beta1", "beta2", "epsilon", "epsilon_hat", "lambd", "weight_decay",
    "schedule_multiplier",
    "keep_prob", "decay_rate", "k", "t", "time_interval",
})

#: Counts a formula is about (examples, units, epochs, the batch size). They typeset like
#: coefficients, after the hyperparameters in a product (``r\,\mathrm{epoch}``, ``\frac{\lambda}{2 m}``).
COUNTS: frozenset[str] = frozenset({"m", "n_in", "n_out", "mini_batch_size", "epoch_num"})

_WORD = re.compile(r"\\mathrm\{[^{}]*\}")
_NUMBER_END = re.compile(r"[0-9][} ]*$")
_NUMBER_START = re.compile(r"(\d|\\frac{\d+}{\d+})")


class _FormulaLatexPrinter(LatexPrinter):
    r"""SymPy's LaTeX printer, with the course's order of terms and factors.

    SymPy prints sums and products in its canonical order (``- g \alpha + w``); the course
    writes ``w - \alpha g``. Only the order (and the grouping of a product into fractions)
    changes here: every term and every factor printed is one of the expression's own.

    *Sums*: positive terms before negative ones; within a sign, numbers first, then terms with
    a quantity of the formula, then terms made only of coefficients (:data:`COEFFICIENTS`,
    :data:`COUNTS`); ties by the position of the term's symbols in the formula's ``args`` (the
    kernel's argument order). So ``w - \alpha g``, ``\beta v + (1 - \beta) g``,
    ``\sqrt{\hat{s}} + \varepsilon``, ``1 + r\,\mathrm{epoch}``.

    *Products*: the number, then the coefficients (hyperparameters before counts, plain symbols
    before expressions, then by position in ``args``), then the quantities in SymPy's order
    (``y \log{(a)}``, ``dA s (1 - s)``). Factors with a negative exponent go to a
    denominator. When the coefficients form a fraction of their own (``\frac{\lambda}{m}``,
    ``\frac{\alpha\sqrt{1 - \beta_2^t}}{1 - \beta_1^t}``), or multiply a sum symbol
    (``\frac{1}{m} \sum_i``), it is written before the quantities, as the course writes
    ``\frac{\lambda}{m} W``; otherwise the product is one fraction (``\frac{\alpha g}{\sqrt{s +
    \varepsilon}}``). A product with a leading minus is printed as ``-`` and its negation.

    ``course_order=False`` gives SymPy's own order (the tests compare the two). A ones matrix is
    shown as a vector of ones (SymPy prints a bare 1).
    """

    def __init__(self, settings: dict | None = None, args: tuple[sp.Basic, ...] = (),
                 course_order: bool = True) -> None:
        super().__init__(settings)
        self._positions = {symbol: i for i, symbol in enumerate(args)}
        self._course_order = course_order

    # --- classification -------------------------------------------------------------------
    def _indices(self, expr: sp.Basic) -> tuple[int, ...]:
        """The positions in ``args`` of ``expr``'s symbols (unknown symbols last)."""
        unknown = len(self._positions)
        return tuple(sorted(self._positions.get(s, unknown) for s in expr.free_symbols))

    @staticmethod
    def _names(expr: sp.Basic) -> set[str]:
        return {s.name for s in expr.free_symbols if hasattr(s, "name")}

    def _is_coefficient(self, expr: sp.Basic) -> bool:
        """Made only of numbers, hyperparameters and counts."""
        return self._names(expr) <= COEFFICIENTS | COUNTS

    @staticmethod
    def _negative(term: sp.Basic) -> bool:
        """A term printed after a minus: a negative product, not a bracketed sum."""
        return bool(term.could_extract_minus_sign()) and not term.is_Add

    def _term_key(self, term: sp.Basic) -> tuple[int, int, int]:
        if term.is_number:
            kind = 0
        elif self._is_coefficient(term):
            kind = 2
        else:
            kind = 1
        first = (self._indices(term) or (len(self._positions),))[0]
        return int(self._negative(term)), kind, first

    def _coefficient_key(self, factor: sp.Basic) -> tuple[int, int, tuple[int, ...]]:
        has_count = int(bool(self._names(factor) & COUNTS))
        compound = int(not isinstance(factor, (sp.Symbol, sp.MatrixSymbol)))
        return has_count, compound, self._indices(factor)

    def ordered_factors(self, expr: sp.Mul) -> tuple[list[sp.Basic], list[sp.Basic]]:
        """``expr``'s factors in print order: (the number and the coefficients, the quantities)."""
        numbers = [f for f in expr.args if f.is_Number]
        coefficients = sorted((f for f in expr.args if not f.is_Number and self._is_coefficient(f)),
                              key=self._coefficient_key)
        rest = [f for f in expr.args if not f.is_Number and not self._is_coefficient(f)]
        commutative = sorted((f for f in rest if f.is_commutative), key=sp.default_sort_key)
        return numbers + coefficients, commutative + [f for f in rest if not f.is_commutative]

    # --- sums -----------------------------------------------------------------------------
    def _as_ordered_terms(self, expr: sp.Basic, order: str | None = None) -> list[sp.Basic]:
        terms = super()._as_ordered_terms(expr, order=order)
        if not self._course_order:
            return terms
        return sorted(terms, key=self._term_key)  # stable: SymPy's order breaks the last ties

    def _print_Add(self, expr: sp.Expr, order: str | None = None) -> str:
        if not self._course_order:
            return super()._print_Add(expr, order=order)
        tex = ""
        for i, term in enumerate(self._as_ordered_terms(expr, order=order)):
            if i and self._negative(term):
                tex += " - "
                term = -term
            elif i:
                tex += " + "
            # a bracketed sum keeps its own signs: (\max(0, z) - y z) + ..., not - (y z - \max(0, z))
            term_tex = self._print(term)
            if self._needs_add_brackets(term):
                term_tex = rf"\left({term_tex}\right)"
            tex += term_tex
        return tex

    # --- products -------------------------------------------------------------------------
    def _product(self, factors: list[sp.Basic], first: bool = True) -> str:
        """``factors`` side by side, bracketed where a product needs it."""
        if not factors:
            return "1"
        tex = last = ""
        for i, factor in enumerate(factors):
            term = self._print(factor)
            if (len(factors) > 1 or not first) and self._needs_mul_brackets(
                    factor, first=first and i == 0, last=i == len(factors) - 1):
                term = rf"\left({term}\right)"
            if tex:
                if _NUMBER_END.search(last) and _NUMBER_START.match(term):  # as SymPy: 2 \cdot 3
                    tex += self._settings["mul_symbol_latex_numbers"]
                elif _WORD.fullmatch(last) or term.startswith(r"\mathrm{"):
                    tex += r"\,"  # r\,\mathrm{epoch}: a word needs a thin space to read as a factor
                else:
                    tex += self._settings["mul_symbol_latex"]
            tex += term
            last = term
        return tex

    @staticmethod
    def _split(factors: list[sp.Basic]) -> tuple[list[sp.Basic], list[sp.Basic]]:
        """Numerator and denominator factors, each in the order given."""
        numer: list[sp.Basic] = []
        denom: list[sp.Basic] = []
        for factor in factors:
            n, d = fraction(factor, exact=True)
            numer += [] if n == 1 else [n]
            denom += [] if d == 1 else [d]
        return numer, denom

    def _fraction(self, factors: list[sp.Basic], first: bool = True) -> str:
        numer, denom = self._split(factors)
        if not denom:
            return self._product(numer, first=first)
        return rf"\frac{{{self._product(numer)}}}{{{self._product(denom)}}}"

    def _print_Mul(self, expr: sp.Expr) -> str:
        if not self._course_order or not isinstance(expr, sp.Mul):
            return super()._print_Mul(expr)  # _print_Pow hands 1/x here too
        if expr.could_extract_minus_sign():
            positive = -expr
            tex = self._print(positive)
            if positive.is_Add:
                tex = rf"\left({tex}\right)"
            return f"- {tex}"
        coefficients, quantities = self.ordered_factors(expr)
        c_numer, c_denom = self._split(coefficients)
        if quantities and c_denom and (c_numer or self._product(quantities).startswith(r"\sum")):
            return f"{self._fraction(coefficients)} {self._fraction(quantities, first=False)}"
        return self._fraction(coefficients + quantities)

    def _print_Heaviside(self, expr: sp.Heaviside, exp: str | None = None) -> str:
        r"""The step as an indicator, ``\mathbb{1}[z > 0]`` (its value at 0 is ``H(0)``), instead of
        SymPy's ``\theta(z, 0)``, which reads as the θ of the averages and of gradient checking."""
        z, at_zero = expr.args[0], expr.args[1] if len(expr.args) > 1 else sp.S.Half
        relation = {sp.S.Zero: ">", sp.S.One: r"\geq"}.get(at_zero)
        if relation is None:
            return super()._print_Heaviside(expr, exp)
        tex = rf"\mathbb{{1}}\left[{self._print(z)} {relation} 0\right]"
        return tex if exp is None else rf"{tex}^{{{exp}}}"

    def _print_OneMatrix(self, expr: sp.OneMatrix) -> str:
        rows, cols = expr.shape
        if cols == 1:
            return rf"\mathbf{{1}}_{{{self._print(rows)}}}"
        if rows == 1:
            return rf"\mathbf{{1}}_{{{self._print(cols)}}}^T"
        return rf"\mathbf{{1}}_{{{self._print(rows)} \times {self._print(cols)}}}"


@dataclass(frozen=True)
class Source:
    """Where a formula or a number comes from: a seed document and a section in it."""

    seed: str
    section: str

    def __str__(self) -> str:
        prefix = f"seed {self.seed}" if self.seed.isdigit() else self.seed
        return f"{prefix}, {self.section}"


@dataclass(frozen=True)
class Formula:
    """One formula, written once.

    ``expr`` is the right-hand side; ``args`` fixes the order of the arguments of
    the NumPy kernel generated from it (``kernel`` names that function; ``None``
    means the formula is documented and proven but has no kernel of its own).
    ``specializes`` names the formula this one is a substitution instance of (momentum's
    velocity is the exponentially weighted average of the gradients): such a formula is
    evaluated by that formula's kernel, with its own arguments in the same order.
    """

    name: str
    lhs: str
    expr: sp.Expr
    args: tuple[sp.Symbol, ...]
    sources: tuple[Source, ...]
    kernel: str | None = None
    note: str = ""
    specializes: Formula | None = None

    def __post_init__(self) -> None:
        missing = self.expr.free_symbols - set(self.args)
        if missing:
            names = sorted(str(s) for s in missing)
            raise ValueError(f"formula {self.name!r}: symbols {names} are not in args")
        if self.specializes is not None and self.kernel is not None:
            raise ValueError(f"formula {self.name!r}: a specialization uses its base's kernel")

    @property
    def evaluated_by(self) -> str | None:
        """The kernel that evaluates this formula (its own, or its base's)."""
        return self.kernel if self.specializes is None else self.specializes.evaluated_by

    @property
    def latex(self) -> str:
        """The formula as LaTeX, ``lhs = rhs``."""
        names = {s: LATEX_NAMES[s.name] for s in self.args if s.name in LATEX_NAMES}
        printer = _FormulaLatexPrinter({"symbol_names": names}, args=self.args)
        return f"{self.lhs} = {printer.doprint(self.expr)}"


@dataclass(frozen=True)
class Identity:
    """A statement the tests prove symbolically: ``lhs - rhs`` simplifies to zero."""

    name: str
    statement: str
    lhs: sp.Expr
    rhs: sp.Expr

    def residual(self) -> sp.Expr:
        return sp.simplify(self.lhs - self.rhs)


@dataclass(frozen=True)
class Domain:
    """The admissible values of a hyperparameter.

    ``low``/``high`` bound it (``None`` for unbounded); ``integer`` requires an
    integer; ``hint`` is what the error message suggests when a value is outside.
    """

    name: str
    low: float | None
    high: float | None
    low_closed: bool
    high_closed: bool
    integer: bool = False
    hint: str = ""

    @property
    def text(self) -> str:
        if self.integer:
            low = int(self.low or 0)
            return f"an integer >= {low}" if self.high is None else (
                f"an integer in [{low}, {int(self.high)}]"
            )
        lo = "-inf" if self.low is None else f"{self.low:g}"
        hi = "inf" if self.high is None else f"{self.high:g}"
        left = "[" if self.low_closed and self.low is not None else "("
        right = "]" if self.high_closed and self.high is not None else ")"
        return f"in {left}{lo}, {hi}{right}"

    def as_set(self) -> sp.Set:
        lo = -sp.oo if self.low is None else sp.nsimplify(self.low)
        hi = sp.oo if self.high is None else sp.nsimplify(self.high)
        if self.integer:
            return sp.Range(lo, hi + 1 if self.high is not None else sp.oo)
        return sp.Interval(lo, hi, left_open=not self.low_closed, right_open=not self.high_closed)


@dataclass(frozen=True)
class Dialect:
    """One named convention of a rule (e.g. ``adam/eps-inside``).

    ``formulas`` maps each step the dialect changes to its formula; steps a dialect
    does not mention are the canonical ones.
    """

    rule: str
    name: str
    canonical: bool
    summary: str
    formulas: Mapping[str, Formula]
    sources: tuple[Source, ...] = ()
    why: str = ""
    also_known_as: tuple[str, ...] = field(default=())

    @property
    def id(self) -> str:
        return f"{self.rule}/{self.name}"


@dataclass(frozen=True)
class Erratum:
    """A place where a seed misprints, or disagrees with the printed numbers."""

    id: str
    source: Source
    printed: str
    correct: str
    explanation: str
