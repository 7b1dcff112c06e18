"""The domain of every hyperparameter, with the fix an error message suggests.

The reference validates against these (through the generated kernels module, so that
importing the reference does not import SymPy).
"""

from __future__ import annotations

from ._model import Domain

__all__ = ["DOMAINS"]

_BETA_HINT = "beta = 1 freezes the average at its start; typical values are 0.9 to 0.999"

DOMAINS: dict[str, Domain] = {
    d.name: d
    for d in (
        Domain("learning_rate", 0.0, None, True, False, hint="use a small positive value such as 0.01"),
        Domain("learning_rate0", 0.0, None, True, False, hint="use a small positive value such as 0.01"),
        Domain("beta", 0.0, 1.0, True, False, hint=_BETA_HINT),
        Domain("beta1", 0.0, 1.0, True, False, hint=_BETA_HINT),
        Domain("beta2", 0.0, 1.0, True, False, hint=_BETA_HINT),
        Domain("epsilon", 0.0, None, False, False, hint="use a small positive value such as 1e-8"),
        Domain("t", 1, None, True, False, integer=True,
               hint="t counts the steps taken, starting at 1 on the first update"),
        Domain("decay_rate", 0.0, None, True, False, hint="use 0 for no decay"),
        Domain("time_interval", 0.0, None, False, False, hint="use the number of epochs between decays, e.g. 1000"),
        Domain("epoch_num", 0.0, None, True, False, hint="epochs are counted from 0"),
        Domain("k", 0.0, None, False, False, hint="use a positive factor such as 0.95"),
        Domain("keep_prob", 0.0, 1.0, False, True,
               hint="keep_prob is the probability of keeping a unit; use 1 for no dropout"),
        Domain("lambd", 0.0, None, True, False, hint="use 0 for no regularization"),
        Domain("weight_decay", 0.0, None, True, False,
               hint="use 0 for no weight decay; typical values are 1e-4 to 1e-2"),
        Domain("schedule_multiplier", 0.0, None, True, False,
               hint="the schedule's factor at this step, 1 for a constant learning rate"),
        Domain("alpha", 0.0, 1.0, True, False, hint="the leaky slope is usually 0.01"),
        Domain("mini_batch_size", 1, None, True, False, integer=True,
               hint="use a positive integer such as 64"),
        Domain("seed", 0, 2**32 - 1, True, True, integer=True,
               hint="NumPy seeds are integers from 0 to 2**32 - 1"),
        Domain("m", 1, None, True, False, integer=True, hint="m counts the examples"),
        Domain("n_in", 1, None, True, False, integer=True, hint="a layer has at least one input"),
        Domain("n_out", 1, None, True, False, integer=True, hint="a layer has at least one unit"),
    )
}
