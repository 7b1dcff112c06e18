"""Learning-rate schedules (seeds 000 §Learning rate change strategies, 003 §Learning
rate decay, 004 §Learning Rate Decay).
"""

from __future__ import annotations

import sympy as sp

from ._model import Formula, Identity, Source

__all__ = ["FORMULAS", "IDENTITIES"]

learning_rate0 = sp.Symbol("learning_rate0", nonnegative=True)
epoch_num = sp.Symbol("epoch_num", nonnegative=True)
decay_rate = sp.Symbol("decay_rate", nonnegative=True)
time_interval = sp.Symbol("time_interval", positive=True)
k = sp.Symbol("k", positive=True)

S000_DECAY = Source("000", "Decay on every iteration / update_lr")
S000_STAIR = Source("000", "Fixed Interval Scheduling / schedule_lr_decay")
S003_DECAY = Source("003", "Learning rate decay")
S004_DECAY = Source("004", "Learning Rate Decay")

inverse_time = learning_rate0 / (1 + decay_rate * epoch_num)
staircase = learning_rate0 / (1 + decay_rate * sp.floor(epoch_num / time_interval))
exponential = k**epoch_num * learning_rate0
inverse_sqrt = k / sp.sqrt(epoch_num) * learning_rate0

IDENTITIES = (
    Identity("inverse-time at epoch 0", r"\alpha(0) = \alpha_0", inverse_time.subs(epoch_num, 0),
             learning_rate0),
    Identity("staircase at epoch 0", r"\alpha(0) = \alpha_0", staircase.subs(epoch_num, 0),
             learning_rate0),
    Identity("staircase with interval 1 is inverse-time on whole epochs",
             r"T = 1,\ \mathrm{epoch} \in \mathbb{N}:\ \text{staircase} = \text{inverse-time}",
             staircase.subs(time_interval, 1).subs(epoch_num, sp.Symbol("n", integer=True, nonnegative=True)),
             inverse_time.subs(epoch_num, sp.Symbol("n", integer=True, nonnegative=True))),
    Identity("inverse-time is non-increasing", r"\partial\alpha/\partial\,\mathrm{epoch} \le 0",
             sp.Max(sp.diff(inverse_time, epoch_num), 0), sp.Integer(0)),
)

FORMULAS = (
    Formula("inverse_time_decay", r"\alpha", inverse_time, (learning_rate0, epoch_num, decay_rate),
            (S000_DECAY, S003_DECAY, S004_DECAY), kernel="inverse_time_decay"),
    Formula("staircase_decay", r"\alpha", staircase,
            (learning_rate0, epoch_num, decay_rate, time_interval), (S000_STAIR,),
            kernel="staircase_decay"),
    Formula("exponential_decay", r"\alpha", exponential, (learning_rate0, epoch_num, k),
            (S003_DECAY, S004_DECAY), kernel="exponential_decay",
            note=r"Seed 003's $0.95^{\mathrm{epoch}}\,\alpha_0$ is $k = 0.95$."),
    Formula("inverse_sqrt_decay", r"\alpha", inverse_sqrt, (learning_rate0, epoch_num, k),
            (S003_DECAY, S004_DECAY), kernel="inverse_sqrt_decay",
            note=r"Defined for $\mathrm{epoch} \ge 1$."),
)
