"""gradspec replay: the seeds' ten training runs, their printed values, and the command.

Each run is replayed here through epoch 2000 (three printed cost lines, and three
learning-rate lines for the decayed runs); ``nox -s replay`` and CI replay them in full.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gradspec.conformance.replays import RUNS, MissingExtraError, UnknownRunError, moons, replay, runs
from gradspec.replay import Progress, main

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from seed_code import seeds_dir  # noqa: E402

SEEDS = seeds_dir()
#: Epochs 0 .. 2000: the printed lines of epochs 0, 1000 and 2000.
CI_EPOCHS = 2001


@pytest.mark.parametrize("run", RUNS, ids=[r.id for r in RUNS])
def test_first_2000_epochs_reproduce_every_printed_value(run):
    result = replay(run, epochs=CI_EPOCHS)
    lines = result.compare()
    per_epoch = 2 if run.decay else 1
    assert len(lines) == 3 * per_epoch
    assert [line.seed for line in lines] == run.lines[:3 * per_epoch]
    assert all(line.match for line in lines), [line for line in lines if not line.match]
    # Printed as the seeds print: the same text, digit for digit.
    assert [line.computed for line in lines] == [line.seed for line in lines]
    assert len(result.costs) == 21 and result.costs[0] == result.printed[0][1]


@pytest.mark.skipif(SEEDS is None, reason="the seed documents (../shared/seeds) are not here")
@pytest.mark.parametrize("run", RUNS, ids=[r.id for r in RUNS])
def test_printed_text_appears_verbatim_in_its_seed(run):
    (path,) = SEEDS.glob(f"{run.seed}_*.txt")
    text = "\n".join(line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    cost_lines = "\n".join(line for line in run.lines if not line.startswith("Accuracy"))
    assert cost_lines in text
    accuracy = run.lines[-1]
    assert accuracy in text.split(cost_lines, 1)[1], "the accuracy follows the run's cost lines"


def test_runs_are_the_ten_the_issue_names():
    assert [r.id for r in RUNS] == [
        "blog-gd", "blog-momentum", "blog-adam", "blog-gd-inverse-time", "blog-gd-staircase",
        "blog-momentum-staircase", "blog-adam-staircase", "course-gd", "course-momentum", "course-adam"]
    assert {r.n_samples for r in RUNS if r.seed == "000"} == {900}
    assert {r.n_samples for r in RUNS if r.seed == "001"} == {300}


def test_the_cli_help_lists_every_run():
    from gradspec.cli import _RUN_IDS

    assert tuple(r.id for r in RUNS) == _RUN_IDS


def test_moons_is_the_seeds_global_state_route_without_touching_it():
    from sklearn.datasets import make_moons

    saved = np.random.get_state()
    try:
        np.random.seed(3)
        X, y = make_moons(n_samples=300, noise=0.2)
        after = np.random.get_state()
        ours_X, ours_Y = moons(300)
        assert np.random.get_state()[1].tolist() == after[1].tolist()
    finally:
        np.random.set_state(saved)
    np.testing.assert_array_equal(ours_X, X.T)
    np.testing.assert_array_equal(ours_Y, y.reshape(1, -1))


def test_compare_detects_a_value_off_by_one_printed_unit():
    result = replay(runs(["course-gd"])[0], epochs=1)
    assert result.match
    label, value = result.printed[0]
    result.printed[0] = (label, value + 1e-6)
    assert not result.match
    (line,) = result.compare()
    assert line.seed == "Cost after epoch 0: 0.690736" and line.computed == "Cost after epoch 0: 0.690737"


def test_accuracy_precision_follows_the_seeds_format():
    course, blog = runs(["course-adam"])[0], runs(["blog-adam-staircase"])[0]
    partial = replay(course, epochs=1)
    assert partial.lines[-1].startswith("Accuracy after 1 epochs: ")
    complete = [_completed(course, 0.94), _completed(course, 0.94 + 1e-13), _completed(course, 0.9401),
                _completed(blog, 871 / 900), _completed(blog, np.nextafter(871 / 900, 1))]
    verdicts = [r.compare()[-1].match for r in complete]
    # seed 001 printed str() of Python 2 (12 digits); seed 000 printed repr: exact.
    assert verdicts == [True, True, False, True, False]
    assert complete[3].lines[-1] == "Accuracy: 0.9677777777777777"


def _completed(run, accuracy):
    result = replay(run, epochs=1)
    result.epochs_run = run.epochs
    result.accuracy = float(accuracy)
    return result


def test_unknown_run_lists_the_known_ones():
    with pytest.raises(UnknownRunError, match="unknown run 'blog-rmsprop'; the runs are: blog-gd, "):
        runs(["blog-rmsprop"])
    assert [r.id for r in runs(["course-adam", "blog-gd", "course-adam"])] == ["course-adam", "blog-gd"]


@pytest.mark.parametrize("epochs", [0, -5, 2.5, True])
def test_bad_epochs_are_refused(epochs):
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        replay(RUNS[0], epochs=epochs)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gradspec", "replay", *args], capture_output=True,
                          text=True, timeout=600)


def test_cli_usage_errors_come_before_any_training(tmp_path):
    unknown = _cli("nope")
    assert unknown.returncode == 2 and "unknown run 'nope'; the runs are: blog-gd" in unknown.stderr
    for bad in ("0", "-1", "ten"):
        refused = _cli("--epochs", bad)
        assert refused.returncode == 2 and "--epochs: must be a positive integer" in refused.stderr
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    for target, reason in ((blocker, "is a file, not a directory"), (blocker / "sub", "cannot create")):
        plot = _cli("course-gd", "--plot", str(target))
        assert plot.returncode == 2 and "--plot: " in plot.stderr
        assert repr(str(target)) in plot.stderr and reason in plot.stderr
        assert "==" not in plot.stdout, "nothing was trained"
    json_in_file = _cli("course-gd", "--json", str(blocker / "report.json"))
    assert json_in_file.returncode == 2 and "--json: cannot write to" in json_in_file.stderr


def test_cli_json_and_plots(tmp_path):
    report_path, plots = tmp_path / "replay.json", tmp_path / "plots"
    done = _cli("course-gd", "course-adam", "--epochs", "201", "--json", str(report_path),
                "--plot", str(plots))
    assert done.returncode == 0, done.stderr
    assert "Cost after epoch 0: 0.690736\n" in done.stdout
    assert "-> matches seed 001: the 1 value printed through epoch 200" in done.stdout
    assert "2 of 2 runs match" in done.stdout
    report = json.loads(report_path.read_text())
    assert report["match"] is True and report["epochs_limit"] == 201
    first = report["runs"][0]
    assert first["id"] == "course-gd" and first["costs"]["epochs"] == [0, 100, 200]
    assert first["costs"]["values"][0] == pytest.approx(0.690736, abs=5e-7)
    assert first["printed"] == [{"seed": "Cost after epoch 0: 0.690736",
                                 "computed": "Cost after epoch 0: 0.690736", "match": True}]
    assert first["accuracy_compared"] is False and 0 < first["accuracy"] <= 1

    import matplotlib.image

    for name in ("course-gd.png", "course-adam.png", "optimizers.png"):
        image = matplotlib.image.imread(plots / name)
        assert image.shape[0] > 300 and image.shape[1] > 500, name
        assert image[..., :3].std() > 0.05, f"{name} is not blank"


def test_missing_extras_name_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'gradspec\[replay\]'"):
        moons(300)
    err = io.StringIO()
    assert main(["course-gd"], out=io.StringIO(), err=err) == 2
    assert "needs scikit-learn" in err.getvalue()
    monkeypatch.delitem(sys.modules, "sklearn.datasets")
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    err = io.StringIO()
    assert main(["course-gd"], plot_dir="unused", out=io.StringIO(), err=err) == 2
    assert "--plot needs matplotlib" in err.getvalue() and "gradspec[replay]" in err.getvalue()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_on_a_terminal_only():
    terminal = _Terminal()
    bar = Progress("   course-gd", 10, stream=terminal, delay=0, interval=0)
    for epoch in range(10):
        bar(epoch)
    bar.close()
    text = terminal.getvalue()
    assert "\r   course-gd [###" in text and "10/10 epochs" in text and text.endswith("\r\033[K")
    piped = io.StringIO()
    bar = Progress("x", 10, stream=piped, delay=0, interval=0)
    bar(9)
    bar.close()
    assert piped.getvalue() == ""
