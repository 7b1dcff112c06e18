"""The spec's data model: formulas, hyperparameter domains, dialects, errata.

Everything here is plain data around SymPy expressions, so that the reference
(through code generation), the conformance suite and the documentation can all
read the same objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import sympy as sp
from sympy.printing.latex import LatexPrinter

__all__ = [
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
    "keep_prob": "p",
    "decay_rate": "r",
    "time_interval": "T",
    "epoch_num": r"\mathrm{epoch}",
    "n_in": r"n_{\mathrm{in}}",
    "n_out": r"n_{\mathrm{out}}",
    "v_hat": r"\hat{v}",
    "s_hat": r"\hat{s}",
    "theta": r"\theta",
    "dA": r"dA",
    "grad_approx": r"\hat{g}",
}


class _FormulaLatexPrinter(LatexPrinter):
    """SymPy's LaTeX printer, with a ones matrix shown as a vector of ones (SymPy prints a bare 1)."""

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
        return f"{self.lhs} = {_FormulaLatexPrinter({'symbol_names': names}).doprint(self.expr)}"


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
