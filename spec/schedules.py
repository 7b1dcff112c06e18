"""Learning-rate schedules (seeds 000 §Learning rate change strategies, 003 §Learning
rate decay, 004 §Learning Rate Decay).
"""

from __future__ import annotations

import sympy as sp

from ._model import Dialect, Formula, Identity, Source

__all__ = ["DIALECTS", "FORMULAS", "IDENTITIES"]

learning_rate0 = sp.Symbol("learning_rate0", nonnegative=True)
epoch_num = sp.Symbol("epoch_num", nonnegative=True)
decay_rate = sp.Symbol("decay_rate", nonnegative=True)
time_interval = sp.Symbol("time_interval", positive=True)
k = sp.Symbol("k", positive=True)

S000_DECAY = Source("000", "Decay on every iteration / update_lr")
S000_STAIR = Source("000", "Fixed Interval Scheduling / schedule_lr_decay")
S003_DECAY = Source("003", "Learning rate decay")
S004_DECAY = Source("004", "Learning Rate Decay")
S004_STAIR = Source("004", "Learning Rate Decay: 'discrete staircase'")
OPTAX_EXP = Source("Optax 0.2", "optax/schedules/_schedule.py, exponential_decay: p = count / transition_steps, "
                                "floored when staircase=True; init_value * decay_rate ** p")

inverse_time = learning_rate0 / (1 + decay_rate * epoch_num)
staircase = learning_rate0 / (1 + decay_rate * sp.floor(epoch_num / time_interval))
exponential = k**epoch_num * learning_rate0
inverse_sqrt = k / sp.sqrt(epoch_num) * learning_rate0
exponential_staircase = k ** sp.floor(epoch_num / time_interval) * learning_rate0

IDENTITIES = (
    Identity("inverse-time at epoch 0", r"\alpha(0) = \alpha_0", inverse_time.subs(epoch_num, 0),
             learning_rate0),
    Identity("staircase at epoch 0", r"\alpha(0) = \alpha_0", staircase.subs(epoch_num, 0),
             learning_rate0),
    Identity("staircase with interval 1 is inverse-time on whole epochs",
             r"T = 1,\ \mathrm{epoch} \in \mathbb{N}:\ \text{staircase} = \text{inverse-time}",
             staircase.subs(time_interval, 1).subs(epoch_num, sp.Symbol("n", integer=True, nonnegative=True)),
             inverse_time.subs(epoch_num, sp.Symbol("n", integer=True, nonnegative=True))),
    Identity("exponential staircase with interval 1 is exponential decay on whole epochs",
             r"T = 1,\ \mathrm{epoch} \in \mathbb{N}:\ \text{staircase} = k^{\mathrm{epoch}}\alpha_0",
             exponential_staircase.subs(time_interval, 1).subs(epoch_num, sp.Symbol("n", integer=True,
                                                                                  nonnegative=True)),
             exponential.subs(epoch_num, sp.Symbol("n", integer=True, nonnegative=True))),
    Identity("inverse-time is non-increasing", r"\partial\alpha/\partial\,\mathrm{epoch} \le 0",
             sp.Max(sp.diff(inverse_time, epoch_num), 0), sp.Integer(0)),
)

INVERSE_TIME = Formula("inverse_time_decay", r"\alpha", inverse_time, (learning_rate0, epoch_num, decay_rate),
                       (S000_DECAY, S003_DECAY, S004_DECAY), kernel="inverse_time_decay")
STAIRCASE = Formula("staircase_decay", r"\alpha", staircase, (learning_rate0, epoch_num, decay_rate, time_interval),
                    (S000_STAIR, S004_STAIR), kernel="staircase_decay")
EXPONENTIAL = Formula("exponential_decay", r"\alpha", exponential, (learning_rate0, epoch_num, k),
                      (S003_DECAY, S004_DECAY), kernel="exponential_decay",
                      note=r"Seed 003's $0.95^{\mathrm{epoch}}\,\alpha_0$ is $k = 0.95$.")
EXPONENTIAL_STAIRCASE = Formula("exponential_staircase_decay", r"\alpha", exponential_staircase,
                                (learning_rate0, epoch_num, k, time_interval), (S004_STAIR, OPTAX_EXP),
                                kernel="exponential_staircase_decay")

#: A schedule over another unit (steps, with ``T`` steps to an epoch) is the same formula with
#: ``epoch = step / T``; the staircase dialects floor that quotient.
DIALECTS = (
    Dialect("inverse-time-decay", "continuous", True, "alpha = alpha0 / (1 + r epoch)",
            {"schedule": INVERSE_TIME}, INVERSE_TIME.sources,
            why="The formula seeds 000 (update_lr), 003 and 004 write."),
    Dialect("inverse-time-decay", "staircase", False, "alpha = alpha0 / (1 + r floor(epoch / T))",
            {"schedule": STAIRCASE}, STAIRCASE.sources),
    Dialect("exponential-decay", "continuous", True, "alpha = k^epoch alpha0",
            {"schedule": EXPONENTIAL}, EXPONENTIAL.sources,
            why="The formula seeds 003 and 004 write (0.95^epoch_num alpha0)."),
    Dialect("exponential-decay", "staircase", False, "alpha = k^floor(epoch / T) alpha0",
            {"schedule": EXPONENTIAL_STAIRCASE}, EXPONENTIAL_STAIRCASE.sources),
)

FORMULAS = (
    INVERSE_TIME,
    STAIRCASE,
    EXPONENTIAL,
    EXPONENTIAL_STAIRCASE,
    Formula("inverse_sqrt_decay", r"\alpha", inverse_sqrt, (learning_rate0, epoch_num, k),
            (S003_DECAY, S004_DECAY), kernel="inverse_sqrt_decay",
            note=r"Defined for $\mathrm{epoch} \ge 1$."),
)
