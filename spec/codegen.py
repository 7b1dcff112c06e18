"""Generate the reference's NumPy kernels from the spec.

Every formula with a ``kernel`` name (and every dialect's formula) becomes one function
in ``reference/_kernels.py``, printed by SymPy's NumPy printer. The file is committed;
the test suite regenerates it and fails if anything changed::

    python -m gradspec.spec.codegen           # rewrite reference/_kernels.py
    python -m gradspec.spec.codegen --check   # exit 1 if it is out of date
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

import sympy as sp
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.precedence import PRECEDENCE, precedence

from . import DIALECTS, DOMAINS, FORMULAS
from ._model import Formula

__all__ = ["KernelPrinter", "kernel_formulas", "main", "render", "target_path"]


class KernelPrinter(NumPyPrinter):
    """SymPy's NumPy printer, adjusted so kernels keep their input's dtype.

    Heaviside prints as ``numpy.heaviside`` (SymPy's default ``select`` returns integers),
    ``Max`` as nested ``numpy.maximum``, a two-branch ``Piecewise`` as ``numpy.where``, and
    ``x**-1`` as ``1/x`` (the default ``x**(-1.0)`` is the same value, less legibly).

    A function of hyperparameters only (``sqrt(1 - beta2**t)``) prints with ``math``: the
    reference passes hyperparameters as Python floats, which NumPy treats as weakly typed,
    whereas ``numpy.sqrt`` of one returns a float64 scalar that would promote float32 arrays.

    Matrix expressions (MatrixSymbols are 2-D arrays, examples are columns): a product prints
    as nested ``numpy.dot`` from the left, its scalar factor as one scalar multiplication in
    front (``(1/m)*numpy.dot(dZ, A_prev.T)``), a product with a column of ones
    ``OneMatrix(m, 1)`` as ``.sum(axis=1, keepdims=True)``, and a column times a row of ones,
    ``b*OneMatrix(1, m)``, inside a sum as ``+ b`` (NumPy broadcasts the column; no ones matrix
    is built, so nothing promotes a float32 array).
    """

    def __init__(self) -> None:
        super().__init__({"fully_qualified_modules": True, "allow_unknown_functions": False})

    def _scalar_only(self, expr: sp.Expr) -> bool:
        return all(s.name in DOMAINS for s in expr.free_symbols)

    def _print_scalar_function(self, name: str, expr: sp.Expr, numpy_form: str) -> str:
        if self._scalar_only(expr):
            return f"math.{name}({self._print(expr.args[0])})"
        return numpy_form

    def _print_exp(self, expr: sp.exp) -> str:
        return self._print_scalar_function("exp", expr, super()._print_Function(expr))

    def _print_floor(self, expr: sp.floor) -> str:
        return self._print_scalar_function("floor", expr, f"numpy.floor({self._print(expr.args[0])})")

    def _print_Heaviside(self, expr: sp.Heaviside) -> str:
        arg, h0 = expr.args
        return f"numpy.heaviside({self._print(arg)}, {float(h0)!r})"

    def _negation_on_array(self, term: sp.Expr) -> bool:
        """Whether printing ``term`` (a negative one) would negate an array: no hyperparameter
        among its first factors to carry the minus sign."""
        if term.is_Add or not term.could_extract_minus_sign():
            return False
        _, rest = term.as_coeff_Mul()
        factors = [f for f in (rest.as_ordered_factors() if rest.is_Mul else [rest])
                   if not (f.is_Pow and f.exp.is_Number and f.exp < 0)]
        return not any(self._scalar_only(f) for f in factors[:2])

    def _as_ordered_terms(self, expr: sp.Expr, order: str | None = None) -> list[sp.Expr]:
        # -a + b prints as b - a: the same value ((-a) + b == b - a exactly), without a pass that
        # negates the array a.
        terms = list(super()._as_ordered_terms(expr, order=order))
        if (len(terms) >= 2 and not self._scalar_only(expr) and self._negation_on_array(terms[0])
                and not terms[1].could_extract_minus_sign()):
            terms[0], terms[1] = terms[1], terms[0]
        return terms

    def _print_Mul(self, expr: sp.Expr) -> str:
        # -g*lr*... prints as -lr*g*...: the minus on the hyperparameter (a scalar), the same value.
        coefficient, rest = expr.as_coeff_Mul()
        if coefficient == -1 and rest.is_Mul and not self._scalar_only(expr):
            factors = list(rest.as_ordered_factors())
            numerator = [i for i, f in enumerate(factors) if not (f.is_Pow and f.exp.is_Number and f.exp < 0)]
            if (len(numerator) >= 2 and not self._scalar_only(factors[numerator[0]])
                    and self._scalar_only(factors[numerator[1]]) and factors[numerator[1]].is_Symbol):
                scalar = factors.pop(numerator[1])
                return f"-{self._print(scalar)}*{self._print(sp.Mul(*factors))}"
        return super()._print_Mul(expr)

    def _print_Max(self, expr: sp.Max) -> str:
        args = [self._print(a) for a in expr.args]
        out = args[0]
        for a in args[1:]:
            out = f"numpy.maximum({out}, {a})"
        return out

    def _print_Piecewise(self, expr: sp.Piecewise) -> str:
        (then, cond), (otherwise, last) = expr.args  # exactly two branches
        if last is not sp.true:
            raise NotImplementedError("only two-branch Piecewise with a True default")
        return (f"numpy.where({self._print(cond)}, {self._print(then)}, "
                f"{self._print(otherwise)})")

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        if expr.exp == -1:
            return f"1/{self.parenthesize(expr.base, PRECEDENCE['Mul'])}"
        if expr.exp == sp.Rational(1, 2):
            module = "math" if self._scalar_only(expr) else "numpy"
            return f"{module}.sqrt({self._print(expr.base)})"
        return super()._print_Pow(expr, rational=rational)

    # --- matrix expressions (the layers family): MatrixSymbols are NumPy 2-D arrays ----------

    def _print_MatMul(self, expr: sp.MatMul) -> str:
        coeff, matrices = expr.as_coeff_matrices()
        if isinstance(matrices[-1], sp.OneMatrix) and matrices[-1].cols != 1:
            raise NotImplementedError(f"{expr}: a ones row on the right is printed only inside a sum "
                                      "(as broadcasting)")
        product = self._print_product(list(matrices))
        if coeff == 1:
            return product
        if coeff == -1:
            return f"-{product}"
        scalar = self._print(coeff)
        if not (coeff.is_Atom and coeff.is_nonnegative):
            scalar = f"({scalar})"
        return f"{scalar}*{product}"

    def _print_product(self, matrices: list[sp.MatrixExpr]) -> str:
        """A product of matrices: ``numpy.dot`` from the left; ``X 1`` is ``X.sum(axis=1, keepdims=True)``."""
        if len(matrices) == 1:
            return self._print(matrices[0])
        *rest, last = matrices
        if isinstance(last, sp.OneMatrix):  # a column of ones: the sum over the columns
            inner = self._print_product(rest)
            if len(rest) == 1 and not isinstance(rest[0], sp.MatrixSymbol | sp.Transpose):
                inner = f"({inner})"
            return f"{inner}.sum(axis=1, keepdims=True)"
        if any(isinstance(a, sp.OneMatrix) for a in matrices):
            raise NotImplementedError(f"a ones matrix inside the product {matrices}")
        return f"{self._module_format('numpy.dot')}({self._print_product(rest)}, {self._print(last)})"

    def _print_MatAdd(self, expr: sp.MatAdd) -> str:
        columns = {t: self._broadcast_column(t) for t in expr.args}
        full = [t for t, c in columns.items() if c is None]
        if not full:
            raise NotImplementedError(f"{expr}: every term is broadcast, none has the sum's shape")
        # The terms the sum's shape comes from first, then the broadcast columns (``+ b``).
        out = ""
        for term in full + [c for c in columns.values() if c is not None]:
            text = self._print(term)
            if not out:
                out = text
            elif text.startswith("-"):
                out = f"{out} - {text[1:]}"
            else:
                out = f"{out} + {text}"
        return out

    @staticmethod
    def _broadcast_column(term: sp.MatrixExpr) -> sp.MatrixExpr | None:
        """``c`` for a term ``c * OneMatrix(1, m)`` with ``c`` a column (NumPy broadcasts it in a sum)."""
        if not isinstance(term, sp.MatMul):
            return None
        coeff, matrices = term.as_coeff_matrices()
        last = matrices[-1]
        if not (isinstance(last, sp.OneMatrix) and last.rows == 1 and len(matrices) > 1):
            return None
        column = sp.MatMul(*matrices[:-1]) if len(matrices) > 2 else matrices[0]
        if column.shape[1] != 1:
            return None
        return column if coeff == 1 else sp.MatMul(coeff, column)

    def _print_Relational(self, expr: sp.Rel) -> str:
        ops = {">": ">", ">=": ">=", "<": "<", "<=": "<=", "==": "==", "!=": "!="}
        lhs = self.parenthesize(expr.lhs, precedence(expr))
        rhs = self.parenthesize(expr.rhs, precedence(expr))
        return f"({lhs} {ops[expr.rel_op]} {rhs})"


def kernel_formulas() -> dict[str, Formula]:
    """Every formula that has a kernel, by kernel name (the spec's and the dialects')."""
    found: dict[str, Formula] = {}
    candidates = list(FORMULAS.values()) + [f for d in DIALECTS for f in d.formulas.values()]
    for formula in candidates:
        if formula.kernel is None:
            continue
        seen = found.get(formula.kernel)
        if seen is not None and seen is not formula:
            raise RuntimeError(f"kernel {formula.kernel!r} is defined by two formulas")
        found[formula.kernel] = formula
    return dict(sorted(found.items()))


def _function(name: str, formula: Formula, printer: KernelPrinter) -> str:
    replacements, (body,) = sp.cse(formula.expr, symbols=sp.numbered_symbols("x"))
    if not replacements:  # keep the formula's own grouping (it can matter for rounding)
        body = formula.expr
    args = ", ".join(a.name for a in formula.args)
    sources = "; ".join(str(s) for s in formula.sources)
    doc = [f"{formula.name}: ${formula.latex}$", "", f"Sources: {sources}."]
    if formula.note:
        doc += ["", formula.note]
    wrapped = "\n".join(
        textwrap.fill(line, 84, initial_indent="    ", subsequent_indent="    ") if line else ""
        for line in doc
    )
    lines = [f"def {name}({args}):", f'    r"""{wrapped.strip()}\n    """']
    lines += [f"    {sym} = {printer.doprint(expr)}" for sym, expr in replacements]
    lines.append(f"    return {printer.doprint(body)}")
    return "\n".join(lines)


def render() -> str:
    """The text of ``reference/_kernels.py``."""
    printer = KernelPrinter()
    kernels = kernel_formulas()
    parts = [
        '"""NumPy kernels generated from gradspec.spec. Do not edit.\n\n'
        "Regenerate with ``python -m gradspec.spec.codegen``; the tests fail when this file\n"
        'and the spec disagree.\n"""\n',
        "import math\n\nimport numpy\n",
        "__all__ = [\n" + "".join(f"    {n!r},\n" for n in ["DIALECT_KERNELS", "DOMAINS", *kernels])
        + "]\n",
    ]
    parts += [_function(name, formula, printer) + "\n" for name, formula in kernels.items()]
    domains = {
        name: {"low": d.low, "high": d.high, "low_closed": d.low_closed,
               "high_closed": d.high_closed, "integer": d.integer, "text": d.text, "hint": d.hint}
        for name, d in DOMAINS.items()
    }
    parts.append("#: Hyperparameter domains, from gradspec.spec.hyperparameters.\n"
                 f"DOMAINS = {_pretty(domains)}\n")
    dialect_kernels = {d.id: {step: f.evaluated_by for step, f in d.formulas.items()}
                       for d in DIALECTS}
    parts.append("#: The kernel each dialect uses for each step it defines.\n"
                 f"DIALECT_KERNELS = {_pretty(dialect_kernels)}\n")
    return "\n\n".join(parts)


def _pretty(mapping: dict[str, dict[str, object]]) -> str:
    rows = [f"    {key!r}: {value!r}," for key, value in mapping.items()]
    return "{\n" + "\n".join(rows) + "\n}"


def target_path() -> Path:
    """Where the generated module lives (inside the installed ``gradspec.reference``)."""
    import gradspec.reference

    return Path(gradspec.reference.__file__).with_name("_kernels.py")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gradspec.spec.codegen", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    args = parser.parse_args(argv)
    path, text = target_path(), render()
    if args.check:
        if path.read_text(encoding="utf-8") != text:
            print(f"{path} is out of date with the spec; run python -m gradspec.spec.codegen",
                  file=sys.stderr)
            return 1
        print(f"{path} is up to date")
        return 0
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
