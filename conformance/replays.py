"""The seeds' ten training runs, replayed on the reference's notebook API.

Seeds 000 and 001 train the same 3-layer network (LINEAR -> RELU -> LINEAR -> RELU ->
LINEAR -> SIGMOID, layer sizes 2, 5, 2, 1) on scikit-learn's "moons" and print the cost
every 1000 epochs and the final training accuracy. Each run is reproducible:

* the data: NumPy's legacy global state seeded with 3, then
  ``sklearn.datasets.make_moons(n_samples, noise=0.2)``. With ``random_state=None``,
  scikit-learn draws from that global ``RandomState`` (``check_random_state`` in
  ``sklearn/utils/validation.py``), so passing ``np.random.RandomState(3)`` draws the same
  numbers without touching the global state;
* ``initialize_parameters`` (He, ``RandomState(3)``), and ``random_mini_batches`` of 64
  with the seed incremented *before* each epoch's shuffle, from 10 (the first epoch uses 11);
* Adam's step counter ``t`` counts mini-batches, from 1, across epochs;
* the schedules are applied *after* each epoch, as ``decay(learning_rate0, epoch, 1)``,
  so epoch ``i + 1`` trains with the rate printed for epoch ``i``.

The two seeds print different costs. Seed 000's ``compute_cost`` returns the *sum* over a
mini-batch (the spec's cost/sum dialect); the printed cost is the epoch's total divided by
m. Seed 001 prints the *mean* cost of the epoch's last mini-batch (cost/mean).

:func:`replay` runs the loop with :mod:`gradspec.reference.notebook`'s functions only: no
optimizer math is written here. :meth:`Replay.compare` checks every line the seed printed,
digit for digit: our value, formatted as the seed formatted it, must be the seed's text
(``%f``, six decimals, for costs and rates; the accuracy as seed 000's ``repr``, which is
bit-exact, or seed 001's Python 2 ``str``, 12 significant digits with trailing zeros
dropped: ``0.94`` stands for 0.940000000000).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from gradspec.reference import notebook as nb

__all__ = [
    "LAYERS_DIMS",
    "PLOT_EVERY",
    "PRINT_EVERY",
    "RUNS",
    "Line",
    "MissingExtraError",
    "Replay",
    "Run",
    "UnknownRunError",
    "moons",
    "replay",
    "runs",
]

#: The seeds' network: 2 inputs, hidden layers of 5 and 2 ReLU units, one sigmoid output.
LAYERS_DIMS = (2, 5, 2, 1)
#: Costs are kept every this many epochs, as the notebooks keep them for their plots.
PLOT_EVERY = 100
#: Cost (and learning-rate) lines are printed every this many epochs.
PRINT_EVERY = 1000

Optimizer = Literal["gd", "momentum", "adam"]


class MissingExtraError(ImportError):
    """An optional dependency is not installed; the message names the extra to install."""


class UnknownRunError(ValueError):
    """A run id that is not one of :data:`RUNS`; the message lists the known ones."""


@dataclass(frozen=True)
class Run:
    """One of the seeds' training runs, and what the seed printed for it.

    ``printed`` is the seed's output verbatim (indentation removed): the cost lines
    ``Cost after epoch %i: %f``, for decayed runs the ``learning rate after epoch %i: %f``
    lines, and ``Accuracy: ...``. ``accuracy_format`` is how the seed formatted the
    accuracy (``%r``: Python 3's ``str`` of a float; ``%.12g``: Python 2's).
    """

    id: str
    seed: str
    section: str
    optimizer: Optimizer
    learning_rate: float
    epochs: int
    n_samples: int
    cost: Literal["epoch-sum/m", "last-batch-mean"]
    printed: str
    accuracy_format: str
    decay: Literal["update_lr", "schedule_lr_decay"] | None = None
    #: Hyperparameters the seeds' ``model`` passes to the optimizer (its defaults).
    beta: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    epsilon: float = 1e-8
    mini_batch_size: int = 64
    decay_rate: float = 1.0

    @property
    def title(self) -> str:
        rate = f"lr {self.learning_rate:g}"
        decay = f", {self.decay} decay" if self.decay else ""
        return (f"{self.optimizer}, {rate}{decay}, {self.epochs} epochs, {self.n_samples} points "
                f"(seed {self.seed}, {self.section})")

    @property
    def lines(self) -> list[str]:
        return self.printed.strip().splitlines()

    def epochs_to_run(self, epochs: int | None = None) -> int:
        """All the run's epochs, or the first ``epochs`` of them (at most all); a ValueError
        unless ``epochs`` is None or a positive integer."""
        if epochs is None:
            return self.epochs
        if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs <= 0:
            raise ValueError(f"epochs must be a positive integer; got {epochs!r}.")
        return min(epochs, self.epochs)


_BLOG = "000"
_COURSE = "001"

RUNS: tuple[Run, ...] = (
    Run("blog-gd", _BLOG, "Mini-Batch Gradient Descent", "gd", 1e-4, 10000, 900, "epoch-sum/m",
        accuracy_format="%r", printed="""
Cost after epoch 0: 0.708957
Cost after epoch 1000: 0.689856
Cost after epoch 2000: 0.674583
Cost after epoch 3000: 0.660317
Cost after epoch 4000: 0.644988
Cost after epoch 5000: 0.628934
Cost after epoch 6000: 0.613464
Cost after epoch 7000: 0.599140
Cost after epoch 8000: 0.585864
Cost after epoch 9000: 0.574138
Accuracy: 0.6966666666666667
"""),
    Run("blog-momentum", _BLOG, "Mini-Batch Gradient Descent with Momentum", "momentum", 1e-3, 10000,
        900, "epoch-sum/m", accuracy_format="%r", printed="""
Cost after epoch 0: 0.708929
Cost after epoch 1000: 0.564182
Cost after epoch 2000: 0.484787
Cost after epoch 3000: 0.340601
Cost after epoch 4000: 0.303625
Cost after epoch 5000: 0.288081
Cost after epoch 6000: 0.279455
Cost after epoch 7000: 0.274312
Cost after epoch 8000: 0.270760
Cost after epoch 9000: 0.268072
Accuracy: 0.8711111111111111
"""),
    Run("blog-adam", _BLOG, "Mini-Batch with Adam", "adam", 1e-4, 10000, 900, "epoch-sum/m",
        accuracy_format="%r", printed="""
Cost after epoch 0: 0.708704
Cost after epoch 1000: 0.351748
Cost after epoch 2000: 0.171266
Cost after epoch 3000: 0.103406
Cost after epoch 4000: 0.084691
Cost after epoch 5000: 0.076711
Cost after epoch 6000: 0.070845
Cost after epoch 7000: 0.068257
Cost after epoch 8000: 0.066774
Cost after epoch 9000: 0.065833
Accuracy: 0.9688888888888889
"""),
    Run("blog-gd-inverse-time", _BLOG, "Decay on every iteration", "gd", 0.5, 5000, 900, "epoch-sum/m",
        accuracy_format="%r", decay="update_lr", printed="""
Cost after epoch 0: 0.681733
learning rate after epoch 0: 0.500000
Cost after epoch 1000: 0.298565
learning rate after epoch 1000: 0.000500
Cost after epoch 2000: 0.293120
learning rate after epoch 2000: 0.000250
Cost after epoch 3000: 0.290257
learning rate after epoch 3000: 0.000167
Cost after epoch 4000: 0.288443
learning rate after epoch 4000: 0.000125
Accuracy: 0.8733333333333333
"""),
    Run("blog-gd-staircase", _BLOG, "Using Learning Rate Decay for each Optimization Method", "gd", 0.01,
        10000, 900, "epoch-sum/m", accuracy_format="%r", decay="schedule_lr_decay", printed="""
Cost after epoch 0: 0.708009
learning rate after epoch 0: 0.010000
Cost after epoch 1000: 0.265693
learning rate after epoch 1000: 0.005000
Cost after epoch 2000: 0.121868
learning rate after epoch 2000: 0.003333
Cost after epoch 3000: 0.086987
learning rate after epoch 3000: 0.002500
Cost after epoch 4000: 0.080449
learning rate after epoch 4000: 0.002000
Cost after epoch 5000: 0.077694
learning rate after epoch 5000: 0.001667
Cost after epoch 6000: 0.076160
learning rate after epoch 6000: 0.001429
Cost after epoch 7000: 0.075159
learning rate after epoch 7000: 0.001250
Cost after epoch 8000: 0.074545
learning rate after epoch 8000: 0.001111
Cost after epoch 9000: 0.074132
learning rate after epoch 9000: 0.001000
Accuracy: 0.9666666666666667
"""),
    Run("blog-momentum-staircase", _BLOG, "Using Learning Rate Decay for each Optimization Method",
        "momentum", 0.01, 5000, 900, "epoch-sum/m", accuracy_format="%r", decay="schedule_lr_decay",
        printed="""
Cost after epoch 0: 0.708592
learning rate after epoch 0: 0.010000
Cost after epoch 1000: 0.266038
learning rate after epoch 1000: 0.005000
Cost after epoch 2000: 0.125154
learning rate after epoch 2000: 0.003333
Cost after epoch 3000: 0.087439
learning rate after epoch 3000: 0.002500
Cost after epoch 4000: 0.080456
learning rate after epoch 4000: 0.002000
Accuracy: 0.9666666666666667
"""),
    Run("blog-adam-staircase", _BLOG, "Using Learning Rate Decay for each Optimization Method", "adam",
        0.001, 5000, 900, "epoch-sum/m", accuracy_format="%r", decay="schedule_lr_decay", printed="""
Cost after epoch 0: 0.706460
learning rate after epoch 0: 0.001000
Cost after epoch 1000: 0.067096
learning rate after epoch 1000: 0.000500
Cost after epoch 2000: 0.064556
learning rate after epoch 2000: 0.000333
Cost after epoch 3000: 0.063652
learning rate after epoch 3000: 0.000250
Cost after epoch 4000: 0.063149
learning rate after epoch 4000: 0.000200
Accuracy: 0.9677777777777777
"""),
    Run("course-gd", _COURSE, "5.1 - Mini-batch Gradient descent", "gd", 7e-4, 10000, 300,
        "last-batch-mean", accuracy_format="%.12g", printed="""
Cost after epoch 0: 0.690736
Cost after epoch 1000: 0.685273
Cost after epoch 2000: 0.647072
Cost after epoch 3000: 0.619525
Cost after epoch 4000: 0.576584
Cost after epoch 5000: 0.607243
Cost after epoch 6000: 0.529403
Cost after epoch 7000: 0.460768
Cost after epoch 8000: 0.465586
Cost after epoch 9000: 0.464518
Accuracy: 0.796666666667
"""),
    Run("course-momentum", _COURSE, "5.2 - Mini-batch gradient descent with momentum", "momentum", 7e-4,
        10000, 300, "last-batch-mean", accuracy_format="%.12g", printed="""
Cost after epoch 0: 0.690741
Cost after epoch 1000: 0.685341
Cost after epoch 2000: 0.647145
Cost after epoch 3000: 0.619594
Cost after epoch 4000: 0.576665
Cost after epoch 5000: 0.607324
Cost after epoch 6000: 0.529476
Cost after epoch 7000: 0.460936
Cost after epoch 8000: 0.465780
Cost after epoch 9000: 0.464740
Accuracy: 0.796666666667
"""),
    Run("course-adam", _COURSE, "5.3 - Mini-batch with Adam mode", "adam", 7e-4, 10000, 300,
        "last-batch-mean", accuracy_format="%.12g", printed="""
Cost after epoch 0: 0.690552
Cost after epoch 1000: 0.185567
Cost after epoch 2000: 0.150852
Cost after epoch 3000: 0.074454
Cost after epoch 4000: 0.125936
Cost after epoch 5000: 0.104235
Cost after epoch 6000: 0.100552
Cost after epoch 7000: 0.031601
Cost after epoch 8000: 0.111709
Cost after epoch 9000: 0.197648
Accuracy: 0.94
"""),
)

_BY_ID = {run.id: run for run in RUNS}


def runs(ids: Sequence[str] = ()) -> list[Run]:
    """The runs named by ``ids`` (all of them when empty), in the order given, each once.
    An unknown id raises :class:`UnknownRunError` listing the known ones."""
    unknown = [i for i in ids if i not in _BY_ID]
    if unknown:
        raise UnknownRunError(f"unknown run {', '.join(map(repr, unknown))}; the runs are: "
                              f"{', '.join(_BY_ID)}.")
    return [_BY_ID[i] for i in dict.fromkeys(ids)] if ids else list(RUNS)


def moons(n_samples: int) -> tuple[np.ndarray, np.ndarray]:
    """The seeds' data: ``X`` of shape (2, n) and labels ``Y`` of shape (1, n), as
    ``np.random.seed(3); sklearn.datasets.make_moons(n_samples, noise=0.2)`` gives them
    (transposed, as the notebooks do), without touching NumPy's global random state."""
    try:
        from sklearn.datasets import make_moons
    except ImportError as err:
        raise MissingExtraError(
            "replaying the seeds' runs needs scikit-learn for their make_moons data; install the "
            "replay extra: pip install 'gradspec[replay]'") from err
    X, y = make_moons(n_samples=n_samples, noise=0.2, random_state=np.random.RandomState(3))
    return X.T, y.reshape(1, -1)


@dataclass(frozen=True)
class Line:
    """One printed line: the seed's, ours (formatted the same way), and whether they are
    the same text."""

    seed: str
    computed: str
    match: bool


@dataclass
class Replay:
    """What a replay computed: ``costs[k]`` is the printed cost of epoch ``k * 100``,
    ``learning_rates[k]`` the rate after that epoch (decayed runs), ``accuracy`` the
    training accuracy after ``epochs_run`` epochs, with the final ``parameters``."""

    run: Run
    epochs_run: int
    costs: list[float]
    learning_rates: list[float]
    #: What the seed's loop prints every 1000 epochs: ``(label, value)``, e.g.
    #: ``("Cost after epoch 1000", 0.6852731...)``, unrounded.
    printed: list[tuple[str, float]]
    accuracy: float
    parameters: dict[str, np.ndarray]
    X: np.ndarray = field(repr=False)
    Y: np.ndarray = field(repr=False)

    @property
    def complete(self) -> bool:
        return self.epochs_run == self.run.epochs

    @property
    def lines(self) -> list[str]:
        """Our printout, formatted as the seed's loop formats it. (The seeds print the
        accuracy after all the epochs; after fewer, the line says how many.)"""
        label = "Accuracy" if self.complete else f"Accuracy after {self.epochs_run} epochs"
        return [*self._cost_lines().values(), f"{label}: {self.run.accuracy_format % self.accuracy}"]

    def _cost_lines(self) -> dict[str, str]:
        return {label: f"{label}: {value:f}" for label, value in self.printed}

    def compare(self) -> list[Line]:
        """The seed's printed lines that this replay covers, each against ours, formatted
        the same way. The accuracy is compared only after all the run's epochs."""
        ours = self._cost_lines()
        if self.complete:
            ours["Accuracy"] = self.lines[-1]
        return [Line(seed_line, ours[label], ours[label] == seed_line)
                for seed_line in self.run.lines
                if (label := seed_line.rsplit(":", 1)[0]) in ours]

    @property
    def match(self) -> bool:
        lines = self.compare()
        return bool(lines) and all(line.match for line in lines)

    def record(self) -> dict[str, Any]:
        """This replay as JSON-ready data (the ``runs`` entries of ``gradspec replay --json``):
        the run's settings, the costs every 100 epochs, the learning rates of decayed runs, the
        accuracy, every value the loop printed, each seed line against ours, the verdict, and
        the final parameters (floats written as ``repr`` writes them, so they read back exactly;
        :meth:`from_record` rebuilds the replay from them)."""
        run = self.run
        return {
            "id": run.id,
            "seed": run.seed,
            "section": run.section,
            "optimizer": run.optimizer,
            "learning_rate": run.learning_rate,
            "decay": run.decay,
            "n_samples": run.n_samples,
            "cost": run.cost,
            "epochs": run.epochs,
            "epochs_run": self.epochs_run,
            "costs": {"every": PLOT_EVERY, "epochs": [PLOT_EVERY * k for k in range(len(self.costs))],
                      "values": self.costs},
            "learning_rates": self.learning_rates or None,
            "accuracy": self.accuracy,
            "accuracy_compared": self.complete,
            "values": [[label, value] for label, value in self.printed],
            "printed": [{"seed": line.seed, "computed": line.computed, "match": line.match}
                        for line in self.compare()],
            "match": self.match,
            "parameters": {name: array.tolist() for name, array in self.parameters.items()},
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Replay:
        """The replay that :meth:`record` wrote, with its data set drawn again (:func:`moons`)."""
        run = runs([record["id"]])[0]
        X, Y = moons(run.n_samples)
        parameters = {name: np.array(value, dtype=np.float64) for name, value in record["parameters"].items()}
        return cls(run, record["epochs_run"], list(record["costs"]["values"]), list(record["learning_rates"] or []),
                   [(label, value) for label, value in record["values"]], record["accuracy"], parameters, X, Y)


_DECAY: Mapping[str, Callable[[float, float, float], float]] = {
    "update_lr": nb.update_lr,
    "schedule_lr_decay": nb.schedule_lr_decay,
}


def replay(run: Run, *, epochs: int | None = None,
           on_epoch: Callable[[int], None] | None = None) -> Replay:
    """Run the seed's training loop for ``run`` on the reference's notebook API: all its
    epochs, or the first ``epochs`` of them (at most all). ``on_epoch(i)`` is called after
    each epoch ``i`` (a progress bar's hook)."""
    total_epochs = run.epochs_to_run(epochs)
    X, Y = moons(run.n_samples)
    m = X.shape[1]
    learning_rate = run.learning_rate
    decay = _DECAY[run.decay] if run.decay else None

    parameters = nb.initialize_parameters(list(LAYERS_DIMS))
    if run.optimizer == "momentum":
        v = nb.initialize_velocity(parameters)
    elif run.optimizer == "adam":
        v, s = nb.initialize_adam(parameters)
    t = 0
    seed = 10
    costs: list[float] = []
    rates: list[float] = []
    printed: list[tuple[str, float]] = []
    for i in range(total_epochs):
        seed += 1
        # The cost is an observation: it never feeds back into training. It is computed on
        # the epochs that record it (every PLOT_EVERY), where the seeds compute it on all.
        record = i % PLOT_EVERY == 0
        cost_total = 0.0
        minibatches = nb.random_mini_batches(X, Y, run.mini_batch_size, seed)
        for k, (minibatch_X, minibatch_Y) in enumerate(minibatches):
            a3, caches = nb.forward_propagation(minibatch_X, parameters)
            if record and run.cost == "epoch-sum/m":
                cost_total += nb.compute_cost(a3, minibatch_Y, dialect="sum")
            elif record and k == len(minibatches) - 1:
                cost = nb.compute_cost(a3, minibatch_Y)
            grads = nb.backward_propagation(minibatch_X, minibatch_Y, caches)
            if run.optimizer == "gd":
                parameters = nb.update_parameters_with_gd(parameters, grads, learning_rate)
            elif run.optimizer == "momentum":
                parameters, v = nb.update_parameters_with_momentum(parameters, grads, v, run.beta,
                                                                   learning_rate)
            else:
                t += 1
                parameters, v, s = nb.update_parameters_with_adam(
                    parameters, grads, v, s, t, learning_rate, run.beta1, run.beta2, run.epsilon)
        if record and run.cost == "epoch-sum/m":
            cost = cost_total / m
        if decay is not None:
            learning_rate = decay(run.learning_rate, i, run.decay_rate)
        if i % PRINT_EVERY == 0:
            printed.append((f"Cost after epoch {i}", float(cost)))
            if decay is not None:
                printed.append((f"learning rate after epoch {i}", float(learning_rate)))
        if record:
            costs.append(float(cost))
            rates.append(float(learning_rate))
        if on_epoch is not None:
            on_epoch(i)
    predictions = nb.predict(X, Y, parameters)
    accuracy = float(np.mean(predictions[0, :] == Y[0, :]))
    return Replay(run, total_epochs, costs, rates if decay else [], printed, accuracy, parameters, X, Y)

