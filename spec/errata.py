"""Places where the seeds misprint, or where a seed's text disagrees with its own numbers.

Disagreements that are conventions rather than mistakes (epsilon placement, cost as a sum)
are dialects, in :mod:`gradspec.spec.dialects`, not errata.
"""

from __future__ import annotations

from ._model import Erratum, Source

__all__ = ["ERRATA"]

ERRATA: tuple[Erratum, ...] = (
    Erratum("001-adam-s-corrected-beta1",
            Source("001", "4 - Adam, the first update-rule display"),
            r"s^{corrected}_{dW} = \frac{s_{dW}}{1 - (\beta_1)^t}",
            r"s^{corrected}_{dW} = \frac{s_{dW}}{1 - (\beta_2)^t}",
            "The second moment is corrected with beta2; the exercise's own display and code use beta2."),
    Erratum("002-gradcheck-denominator-minus",
            Source("002", "2.1.6 Gradient Checking"),
            r"\frac{\|d\theta_{approx} - d\theta\|_2}{\|d\theta_{approx}\|_2 - \|d\theta\|_2}",
            r"\frac{\|d\theta_{approx} - d\theta\|_2}{\|d\theta_{approx}\|_2 + \|d\theta\|_2}",
            "With a minus the denominator vanishes when the gradient is right; seed 002's own "
            "gradient_check code and seed 003 add the norms."),
    Erratum("003-softmax-example-rounding",
            Source("003", "Softmax Regression: (1.2, 0.9, 0.4) -> (0.46, 0.34, 0.20)"),
            "0.20", "0.21",
            "softmax(1.2, 0.9, 0.4) = (0.4566, 0.3383, 0.2052); the third rounds to 0.21. The "
            "printed 0.20 makes the three sum to 1."),
    Erratum("004-inverse-time-table",
            Source("004", "Learning Rate Decay: table for alpha0 = 0.2, decay-rate = 1"),
            "epochs 2, 3, 4: 0.67, 0.5, 0.4", "epochs 2, 3, 4: 0.0667, 0.05, 0.04",
            "alpha0 / (1 + epoch) = 0.2/3, 0.2/4, 0.2/5; the printed values are ten times too "
            "large (epoch 1's 0.1 is right)."),
    Erratum("000-rmsprop-bias-display",
            Source("000", "RMSProp update rule (recursive), second display"),
            r"W := W - \alpha \frac{db}{\sqrt{s_{dW} + \epsilon}}",
            r"b := b - \alpha \frac{db}{\sqrt{s_{db} + \epsilon}}",
            "The bias update updates b, with its own second moment s_db."),
    Erratum("000-exponential-named-inverse-time",
            Source("000", "Decay on every iteration: exponential learning rate decay"),
            "exponential learning rate decay: alpha = alpha0 / (1 + decayRate * epochNumber)",
            "inverse-time decay: alpha = alpha0 / (1 + decayRate * epochNumber)",
            "The formula is inverse-time decay; exponential decay is alpha0 * k^epoch (seed 003)."),
    Erratum("000-initialize-parameters-docstring-shapes",
            Source("000", "initialize_parameters docstring"),
            "Wl -- (layer_dims[l-1], layer_dims[l]); bl -- (1, layer_dims[l])",
            "Wl -- (layer_dims[l], layer_dims[l-1]); bl -- (layer_dims[l], 1)",
            "The code (and the first two docstring lines) create W[l] as n[l] x n[l-1] and b[l] "
            "as a column."),
    Erratum("000-momentum-print-stray-v",
            Source("000", "Momentum test case printout"),
            'v["db2"] = v[[0.02344157]', 'v["db2"] = [[0.02344157]',
            'The print statement has a stray "v" in its label; the numbers are right.'),
    Erratum("003-adam-pseudocode-overwrites-moments",
            Source("003", "Adam optimization algorithm: pseudo code"),
            "vdw = vdw / (1 - beta1^t); sdw = sdw / (1 - beta2^t)",
            "vdw_corrected = vdw / (1 - beta1^t); sdw_corrected = sdw / (1 - beta2^t)",
            "Run literally, the corrected values feed back into the next step's averages. The "
            "same block initializes 'vdw = 0, vdw = 0' (vdb meant) and updates 'b = B - ...'."),
    Erratum("003-ewa-bias-correction-recurrence",
            Source("003", "Bias correction in exponentially weighted averages"),
            r"v(t) = (\beta v(t-1) + (1-\beta)\theta(t)) / (1 - \beta^t)",
            r"v(t) = \beta v(t-1) + (1-\beta)\theta(t),\quad \hat v(t) = v(t) / (1 - \beta^t)",
            "The recurrence runs on the uncorrected average; only the value used is divided."),
    Erratum("003-gradcheck-precedence",
            Source("003", "Gradient checking: algorithm"),
            "(J(theta + eps) - J(theta - eps)) / 2*eps",
            "(J(theta + eps) - J(theta - eps)) / (2*eps)",
            "As written, Python-style precedence divides by 2 and multiplies by eps."),
    Erratum("003-init-uniform",
            Source("003", "Weight Initialization for Deep Networks"),
            "np.random.rand(shape) * np.sqrt(2/n[l-1])",
            "np.random.randn(*shape) * np.sqrt(2/n[l-1])",
            "The variances 1/n and 2/n are for zero-mean normal draws (randn, as seeds 000 and "
            "002 write); rand draws uniform [0, 1) values with mean 1/2."),
)
