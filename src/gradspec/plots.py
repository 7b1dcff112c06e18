"""Pictures of the replays: the cost, recorded every 100 epochs, against the epoch, and the
decision boundary over the moons with the points the trained network misclassifies marked.

Uses matplotlib's object-oriented API on an Agg canvas: no pyplot, no window, and the
caller's backend is left alone. matplotlib comes with the ``replay`` extra.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from gradspec.conformance.replays import PLOT_EVERY, MissingExtraError, Replay
from gradspec.reference import notebook as nb

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["decision_grid", "misclassified", "plot_optimizers", "plot_run", "require_matplotlib"]

#: The notebooks' view of the moons (``axes.set_xlim([-1.5, 2.5])``, ``set_ylim([-1, 1.5])``).
XLIM, YLIM = (-1.5, 2.5), (-1.0, 1.5)
_COST_KINDS = {"epoch-sum/m": "the epoch's total cost / m",
               "last-batch-mean": "the epoch's last mini-batch's mean cost"}
_LINESTYLES = ("-", "--", ":", "-.")
#: Grid step of the decision boundary (the notebooks' ``h = 0.01``).
GRID_STEP = 0.01


def require_matplotlib() -> None:
    """Raise :class:`MissingExtraError` naming the extra when matplotlib is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError as err:
        raise MissingExtraError("--plot needs matplotlib; install the replay extra: "
                                "pip install 'gradspec[replay]'") from err


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def decision_grid(replay: Replay) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(xx, yy, predictions)`` over the notebooks' view, ``a3 > 0.5`` at each grid point."""
    xx, yy = np.meshgrid(np.arange(XLIM[0], XLIM[1] + GRID_STEP, GRID_STEP),
                         np.arange(YLIM[0], YLIM[1] + GRID_STEP, GRID_STEP))
    a3, _ = nb.forward_propagation(np.vstack([xx.ravel(), yy.ravel()]), replay.parameters)
    return xx, yy, (a3 > 0.5).reshape(xx.shape)


def misclassified(replay: Replay) -> np.ndarray:
    """A boolean mask over the training points: where the trained network's prediction
    (the notebooks' ``predict``, ``a3 > 0.5``) is not the label; its mean is 1 − accuracy."""
    return nb.predict(replay.X, replay.Y, replay.parameters)[0] != replay.Y[0]


def _cost_axes(ax: Axes, replay: Replay, *, label: str | None = None, linestyle: str = "-") -> None:
    epochs = PLOT_EVERY * np.arange(len(replay.costs))  # the notebooks record every 100th epoch's cost
    ax.plot(epochs, replay.costs, label=label, linewidth=1.2, linestyle=linestyle)
    ax.set_xlabel(f"epoch (cost recorded every {PLOT_EVERY})")
    ax.set_ylabel("cost")
    ax.set_xlim(0, max(replay.epochs_run - 1, 1))


def plot_run(replay: Replay, path: Path | BinaryIO) -> Path | BinaryIO:
    """One PNG (to a path or a binary file): the cost curve (left) and the decision boundary on the
    training set, misclassified points marked (right)."""
    run = replay.run
    fig = _figure(11, 4.2)
    cost_ax, boundary_ax = fig.subplots(1, 2)
    _cost_axes(cost_ax, replay)
    cost_ax.set_title(f"{run.id}: learning rate = {run.learning_rate:g}"
                      + (f" ({run.decay})" if run.decay else ""))
    xx, yy, predictions = decision_grid(replay)
    boundary_ax.contourf(xx, yy, predictions.astype(float), cmap="Spectral", alpha=0.6)
    wrong = misclassified(replay)
    boundary_ax.scatter(replay.X[0, ~wrong], replay.X[1, ~wrong], c=replay.Y[0, ~wrong], cmap="Spectral",
                        vmin=0, vmax=1, s=12, edgecolors="black", linewidths=0.3)
    boundary_ax.scatter(replay.X[0, wrong], replay.X[1, wrong], marker="X", c=replay.Y[0, wrong], cmap="Spectral",
                        vmin=0, vmax=1, s=46, edgecolors="black", linewidths=0.9,
                        label=f"misclassified ({wrong.sum()} of {wrong.size})")
    boundary_ax.legend(loc="lower right", fontsize="small", framealpha=0.9)
    boundary_ax.set_xlim(*XLIM)
    boundary_ax.set_ylim(*YLIM)
    boundary_ax.set_xlabel("x1")
    boundary_ax.set_ylabel("x2")
    boundary_ax.set_title(f"decision boundary, accuracy {replay.accuracy:.4f} "
                          f"({replay.epochs_run} epochs)")
    fig.suptitle(f"{run.optimizer} on {run.n_samples} moons (seed {run.seed}, {run.section})")
    fig.savefig(path, format="png")
    return path


def plot_optimizers(replays: Sequence[Replay], path: Path | BinaryIO) -> Path | BinaryIO:
    """One PNG overlaying the cost curves, one panel per seed (their costs differ: seed 000
    prints the epoch's mean cost, seed 001 the last mini-batch's)."""
    seeds = sorted({r.run.seed for r in replays})
    fig = _figure(6.5 * len(seeds), 4.6)
    axes = np.atleast_1d(fig.subplots(1, len(seeds)))
    for ax, seed in zip(axes, seeds, strict=True):
        group = [r for r in replays if r.run.seed == seed]
        for i, replay in enumerate(group):  # dashes keep curves that coincide apart
            _cost_axes(ax, replay, label=replay.run.id, linestyle=_LINESTYLES[i % len(_LINESTYLES)])
        ax.set_title(f"seed {seed}: {_COST_KINDS[group[0].run.cost]}")
        ax.legend(fontsize="small")
    fig.savefig(path, format="png")
    return path
