"""Initialization variances and network sizes (seeds 000 §Glorot and He
Initialization, 002 §2.1.5 and §2.1.7, 003 §Weight Initialization, 004 §Neural Network
Architectures).
"""

from __future__ import annotations

from itertools import pairwise

import sympy as sp
from sympy.stats import Normal, variance

from ._model import Dialect, Formula, Identity, Source

__all__ = ["DIALECTS", "FORMULAS", "IDENTITIES", "parameter_count"]

n_in = sp.Symbol("n_in", positive=True, integer=True)
n_out = sp.Symbol("n_out", positive=True, integer=True)
sigma2 = sp.Symbol("sigma2", positive=True)

S000_INIT = Source("000", "Glorot and He Initialization")
S002_INIT = Source("002", "2.1.5 Weight Initialization / initialize_parameters_he")
S003_INIT = Source("003", "Weight Initialization for Deep Networks")
S002_RANDOM = Source("002", "2.1.7 Programming Assignment (Initialization): initialize_parameters_random")
S004_ARCH = Source("004", "Neural Network Architectures ..cont")
S002_SMALL = Source("002", "1.2 Planar data classification / initialize_parameters; 1.3 initialize_parameters_deep")
S002_SEEDS = Source("002", "np.random.seed(2), seed(1), seed(3) in initialize_parameters*, seed(1) in "
                    "forward_propagation_with_dropout, seed(seed) in random_mini_batches")

he = 2 / n_in
xavier = 1 / n_in
glorot = 2 / (n_in + n_out)
layer_parameters = n_in * n_out + n_out  # the weights of W (n_out x n_in) and of b

_N = Normal("N", 0, 1)

IDENTITIES = (
    Identity("scaling N(0, 1) by sqrt(var) gives var",
             r"\mathrm{Var}\big(\sqrt{\sigma^2}\, N\big) = \sigma^2,\ N \sim \mathcal{N}(0, 1)",
             variance(sp.sqrt(sigma2) * _N), sigma2),
    Identity("Glorot is Xavier when n_in = n_out",
             r"n_{\mathrm{in}} = n_{\mathrm{out}}:\ "
             r"\frac{2}{n_{\mathrm{in}} + n_{\mathrm{out}}} = \frac{1}{n_{\mathrm{in}}}",
             glorot.subs(n_out, n_in), xavier),
)

FORMULAS = (
    Formula("he_variance", r"\sigma^2", he, (n_in,), (S000_INIT, S002_INIT, S003_INIT),
            kernel="he_variance", note=r"For ReLU layers; $W = \sqrt{\sigma^2}\,\mathcal{N}(0, 1)$."),
    Formula("xavier_variance", r"\sigma^2", xavier, (n_in,), (S003_INIT,),
            kernel="xavier_variance", note="For tanh layers."),
    Formula("glorot_variance", r"\sigma^2", glorot, (n_in, n_out), (S000_INIT, S003_INIT),
            kernel="glorot_variance", note=r"$1/n_{\mathrm{avg}}$ for tanh and logistic layers."),
    Formula("random_x10_variance", r"\sigma^2", sp.Integer(100), (), (S002_RANDOM,),
            kernel="random_x10_variance",
            note="Seed 002's deliberately bad 'large random' initialization, randn * 10."),
    Formula("random_x001_variance", r"\sigma^2", sp.Rational(1, 10_000), (), (S002_SMALL,),
            kernel="random_x001_variance",
            note="Course 1's small random initialization, randn * 0.01 (the planar and L-layer assignments)."),
    Formula("layer_parameters", r"|W^{[l]}| + |b^{[l]}|", layer_parameters, (n_in, n_out),
            (S004_ARCH,),
            note=r"Summed over the layers, with $n_{\mathrm{in}} = n^{[l-1]}$, $n_{\mathrm{out}} = n^{[l]}$."),
)


def parameter_count(layer_dims: tuple[int, ...]) -> int:
    """Weights plus biases of a fully connected network: sum_l (n_{l-1} n_l + n_l)."""
    return int(sum(layer_parameters.subs({n_in: a, n_out: b}) for a, b in pairwise(layer_dims)))


#: Where the random numbers come from: a rule of every stochastic function (initializations,
#: dropout masks, mini-batch shuffles) rather than a formula.
DIALECTS = (
    Dialect("rng", "seeded", True, "draws the notebook's stream: np.random.seed(k), then the same calls in the "
            "same order", {}, (S002_SEEDS,),
            why="The notebooks seed every stochastic function so that its printed output can be checked; "
                "reproducing the stream is what makes the seeds' numbers (and a student's) reproducible."),
    Dialect("rng", "unseeded", False, "draws from another stream (no seed, another seed, another order or "
            "generator): only the distribution, shapes and structure can be checked", {},
            why="",
            also_known_as=("any stream",)),
)

