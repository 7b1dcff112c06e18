"""Regularization (seed 002, course 2, week 1): L2 and inverted dropout on the
LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID network, with the assignment's
helpers (``reg_utils``: a ``1/sqrt(n[l-1])``-scaled initialization, the bare ``relu`` and
``sigmoid``, the 3-layer forward and backward passes, the cost and ``predict``)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..initialization import initialize_dense
from ..notebook import (
    backward_propagation,
    backward_propagation_with_dropout,
    backward_propagation_with_regularization,
    compute_cost_with_regularization,
    forward_propagation,
    forward_propagation_with_dropout,
    predict,
    relu,
    sigmoid,
)

__all__ = ["backward_propagation", "backward_propagation_with_dropout", "backward_propagation_with_regularization",
           "compute_cost_with_regularization", "forward_propagation", "forward_propagation_with_dropout",
           "initialize_parameters", "predict", "relu", "sigmoid"]


def initialize_parameters(layer_dims: Sequence[int]) -> dict[str, np.ndarray]:
    r""":math:`W^{[l]} = \mathcal{N}(0, 1)/\sqrt{n^{[l-1]}}` (variance :math:`1/n_{in}`, the spec's
    Xavier scale) from ``np.random.RandomState(3)``, :math:`b^{[l]} = 0`: the assignment's
    ``reg_utils.initialize_parameters``."""
    return initialize_dense(layer_dims, scheme="xavier", rng=np.random.RandomState(3))
