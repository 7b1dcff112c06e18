"""Gradient checking (seeds 002 §2.1.6 and §2.1.9, 003 §Gradient checking)."""

from __future__ import annotations

import sympy as sp

from ._model import Formula, Identity, Source

__all__ = ["FORMULAS", "IDENTITIES", "one_sided", "two_sided"]

theta = sp.Symbol("theta", real=True)
epsilon = sp.Symbol("epsilon", positive=True)
J_plus, J_minus, J_0 = sp.symbols("J_plus J_minus J_0", real=True)
diff_norm, grad_norm, approx_norm = sp.symbols("diff_norm grad_norm approx_norm", nonnegative=True)

S002_GC = Source("002", "2.1.6 Gradient Checking")
S002_GC_CODE = Source("002", "2.1.9 Programming Assignment (Gradient Checking): gradient_check")
S003_GC = Source("003", "Gradient checking")

f = sp.Function("f")
two_sided = (f(theta + epsilon) - f(theta - epsilon)) / (2 * epsilon)
one_sided = (f(theta + epsilon) - f(theta)) / epsilon

_cube = sp.Lambda(theta, theta**3)

IDENTITIES = (
    Identity("two-sided error for theta^3 is epsilon^2",
             r"f = \theta^3:\ \frac{f(\theta+\varepsilon) - f(\theta-\varepsilon)}{2\varepsilon}"
             r" = 3\theta^2 + \varepsilon^2",
             two_sided.subs(f, _cube).doit(), 3 * theta**2 + epsilon**2),
    Identity("one-sided error for theta^3 is O(epsilon)",
             r"f = \theta^3:\ \frac{f(\theta+\varepsilon) - f(\theta)}{\varepsilon}"
             r" = 3\theta^2 + 3\theta\varepsilon + \varepsilon^2",
             one_sided.subs(f, _cube).doit(), 3 * theta**2 + 3 * theta * epsilon + epsilon**2),
    Identity("the two-sided difference has no first-order error term",
             r"\frac{f(\theta+\varepsilon) - f(\theta-\varepsilon)}{2\varepsilon} = f'(\theta) + O(\varepsilon^2)",
             sp.series(two_sided, epsilon, 0, 2).removeO().doit(), sp.diff(f(theta), theta)),
)

FORMULAS = (
    Formula("two_sided_difference", r"\hat g", (J_plus - J_minus) / (2 * epsilon),
            (J_plus, J_minus, epsilon), (S002_GC, S002_GC_CODE, S003_GC), kernel="two_sided_difference",
            note=r"$J^\pm = J(\theta \pm \varepsilon)$."),
    Formula("one_sided_difference", r"\hat g_{\text{one-sided}}", (J_plus - J_0) / epsilon,
            (J_plus, J_0, epsilon), (S002_GC,), kernel="one_sided_difference",
            note=r"$J_0 = J(\theta)$; error $O(\varepsilon)$ against the two-sided $O(\varepsilon^2)$."),
    Formula("relative_difference", r"\mathrm{difference}",
            diff_norm / (grad_norm + approx_norm), (diff_norm, grad_norm, approx_norm),
            (S002_GC_CODE, S003_GC), kernel="relative_difference",
            note=r"$\lVert g - \hat g\rVert_2 / (\lVert g\rVert_2 + \lVert\hat g\rVert_2)$; "
                 "seed 002 §2.1.6 prints a minus in the denominator (erratum)."),
)
