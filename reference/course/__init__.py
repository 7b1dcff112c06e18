"""The course's notebook APIs, one module per programming assignment.

The course reuses names across its assignments with other signatures and conventions:
``forward_propagation(X, parameters)`` is a tanh network in the planar-data assignment and
a ReLU network in the regularization one; ``sigmoid(Z)`` returns ``(A, cache)`` in the
L-layer assignment's helpers and a bare array in logistic regression. Each module here is
one assignment's API, with its names, signatures and return values, on top of the
functional core (the spec's generated kernels), so that each version has a reference:

=====================  =========================================================
module                 assignment
=====================  =========================================================
``logistic``           Logistic regression with a neural-network mindset
``shallow``            Planar data classification with one hidden layer
``deep``               Building your deep neural network, step by step
``initialization``     Initialization (zeros, random x10, He)
``regularization``     Regularization (L2, dropout) and its 3-layer helpers
``gradient_checking``  Gradient checking, 1-D and N-dimensional
``optimization``       Optimization methods (mini-batches, momentum, RMSProp, Adam, decay)
=====================  =========================================================

Like :mod:`gradspec.reference.notebook`, these functions never modify their arguments,
never touch NumPy's global random state (a seeded ``np.random.RandomState`` draws what the
notebooks' ``np.random.seed(k)`` leads to) and never print.
"""

from __future__ import annotations

MODULES = ("logistic", "shallow", "deep", "initialization", "regularization", "gradient_checking",
           "optimization")

__all__ = ["MODULES"]
