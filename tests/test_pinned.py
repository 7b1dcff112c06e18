"""Every deterministic number the seeds print for these formulas, reproduced at the
precision printed (and each misprint confirmed to be one)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from gradspec.conformance import CASES, NUMBER, Printed, mismatches
from gradspec.spec import ERRATA

ERRATA_IDS = {e.id for e in ERRATA}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case_reproduces_the_seed(case):
    assert mismatches(case) == {}


@pytest.mark.parametrize("case", [c for c in CASES if c.errata], ids=lambda c: c.id)
def test_misprints_are_recorded_errata(case):
    assert set(case.errata.values()) <= ERRATA_IDS


def test_adam_000_separates_the_epsilon_dialects():
    """Seed 000's case has epsilon = 1e-2, comparable to sqrt(s_hat): only epsilon outside
    the root reproduces its printed W1."""
    from gradspec.conformance import optimizer_test_case
    from gradspec.reference import AdamState, adam_step

    case = next(c for c in CASES if c.id == "adam-000")
    parameters, grads = optimizer_test_case()
    zero = AdamState(np.zeros((2, 3)), np.zeros((2, 3)))
    hyper = {"t": 2, "learning_rate": 0.02, "beta1": 0.8, "beta2": 0.888, "epsilon": 1e-2}
    outside, _ = adam_step(parameters["W1"], grads["dW1"], zero, **hyper)
    inside, _ = adam_step(parameters["W1"], grads["dW1"], zero, dialect="eps-inside", **hyper)
    assert case.printed["W1"].matches(outside)
    assert not case.printed["W1"].matches(inside)


def test_printed_parsing_and_tolerance():
    column = Printed("[[ 1.74604067]\n [-0.75184921]]")
    assert column.values.shape == (2, 1)
    assert np.allclose(column.tolerance, 0.5e-8)
    # numpy drops trailing zeros: -0.3756023 is printed with the array's 8 decimals
    row = Printed("[-2.05617317 -0.31554548 -0.3756023 ]")
    assert np.allclose(row.tolerance, 0.5e-8)
    sci = Printed("[[  1.51020075e-05]\n [  8.75664434e-04]]")
    assert np.allclose(sci.tolerance.ravel(), [0.5e-13, 0.5e-11])
    assert Printed("0.3846153846153846", exact=True).tolerance == 0
    assert Printed("12.15").matches(12.149999999999999)
    assert not Printed("12.15").matches(12.156)
    assert not column.matches(np.zeros((1, 2)))


def _seeds_dir() -> Path | None:
    candidates = [os.environ.get("GRADSPEC_SEEDS"),
                  Path(__file__).resolve().parents[2] / "shared" / "seeds",
                  Path(__file__).resolve().parents[1] / "shared" / "seeds"]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


SEEDS = _seeds_dir()


@pytest.mark.skipif(SEEDS is None, reason="the seed documents (../shared/seeds) are not here; "
                    "set GRADSPEC_SEEDS to check the pinned texts against them")
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_pinned_text_appears_verbatim_in_its_seeds(case):
    """Each printed value's numbers occur, in order, in every seed the case cites."""
    for seed, _ in case.sources:
        (path,) = SEEDS.glob(f"{seed}_*.txt")
        tokens = NUMBER.findall(path.read_text(encoding="utf-8"))
        joined = " " + " ".join(tokens) + " "
        for name, printed in case.printed.items():
            needle = " " + " ".join(printed.tokens) + " "
            assert needle in joined, f"{case.id}/{name} not found in seed {seed}"
