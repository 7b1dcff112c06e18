"""gradspec.reference: the NumPy reference implementation, generated from the spec.

The functional core works one array at a time: pure functions, hyperparameters
keyword-only and checked against the spec's domains, optimizer state in small named
tuples, float32 in and float32 out. :mod:`gradspec.reference.notebook` wraps it in the
seeds' notebook API (dictionaries of layers, the seeds' names and signatures).

Importing this package does not import SymPy: the kernels in ``_kernels.py`` are
generated ahead of time by :mod:`gradspec.spec.codegen`.
"""

from __future__ import annotations

from .activations import (
    leaky_relu,
    leaky_relu_backward,
    leaky_relu_grad,
    relu,
    relu_backward,
    relu_grad,
    sigmoid,
    sigmoid_backward,
    tanh,
    tanh_backward,
)
from .gradcheck import one_sided_difference, relative_difference, two_sided_difference
from .initialization import initialize_dense, variance
from .layers import linear_backward, linear_forward
from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_logit_grad,
    binary_cross_entropy_with_logits,
    categorical_cross_entropy,
    mean_squared_error,
    reduce_cost,
    softmax,
    softmax_cross_entropy_grad,
)
from .minibatch import mini_batches
from .optimizers import (
    HYPERPARAMETERS,
    AdagradState,
    AdamState,
    AMSGradState,
    CenteredRMSPropState,
    MomentumState,
    RMSPropMomentumState,
    RMSPropState,
    adagrad_init,
    adagrad_step,
    adam_init,
    adam_step,
    amsgrad_init,
    amsgrad_step,
    bias_correction,
    ewa_step,
    exponentially_weighted_average,
    gd_step,
    momentum_init,
    momentum_step,
    nesterov_step,
    rmsprop_centered_init,
    rmsprop_centered_step,
    rmsprop_init,
    rmsprop_momentum_init,
    rmsprop_momentum_step,
    rmsprop_step,
    trajectory,
    weight_decay_step,
)
from .regularization import dropout_mask, inverted_dropout, l2_cost, l2_grad
from .schedules import (
    exponential_decay,
    exponential_staircase_decay,
    inverse_sqrt_decay,
    inverse_time_decay,
    staircase_decay,
)

__all__ = [
    "HYPERPARAMETERS",
    "AMSGradState",
    "AdagradState",
    "AdamState",
    "CenteredRMSPropState",
    "MomentumState",
    "RMSPropMomentumState",
    "RMSPropState",
    "adagrad_init",
    "adagrad_step",
    "adam_init",
    "adam_step",
    "amsgrad_init",
    "amsgrad_step",
    "bias_correction",
    "binary_cross_entropy",
    "binary_cross_entropy_logit_grad",
    "binary_cross_entropy_with_logits",
    "categorical_cross_entropy",
    "dropout_mask",
    "ewa_step",
    "exponential_decay",
    "exponential_staircase_decay",
    "exponentially_weighted_average",
    "gd_step",
    "initialize_dense",
    "inverse_sqrt_decay",
    "inverse_time_decay",
    "inverted_dropout",
    "l2_cost",
    "l2_grad",
    "leaky_relu",
    "leaky_relu_backward",
    "leaky_relu_grad",
    "linear_backward",
    "linear_forward",
    "mean_squared_error",
    "mini_batches",
    "momentum_init",
    "momentum_step",
    "nesterov_step",
    "one_sided_difference",
    "reduce_cost",
    "relative_difference",
    "relu",
    "relu_backward",
    "relu_grad",
    "rmsprop_centered_init",
    "rmsprop_centered_step",
    "rmsprop_init",
    "rmsprop_momentum_init",
    "rmsprop_momentum_step",
    "rmsprop_step",
    "sigmoid",
    "sigmoid_backward",
    "softmax",
    "softmax_cross_entropy_grad",
    "staircase_decay",
    "tanh",
    "tanh_backward",
    "trajectory",
    "two_sided_difference",
    "variance",
    "weight_decay_step",
]
