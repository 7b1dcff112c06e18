"""The spec proves its identities symbolically and describes itself completely."""

from __future__ import annotations

import pytest
import sympy as sp

from gradspec import spec
from gradspec.spec import averages, layers, losses

IDENTITIES = [(family, identity) for family, ids in spec.IDENTITIES.items() for identity in ids]


@pytest.mark.parametrize(("family", "identity"), IDENTITIES,
                         ids=[f"{f}: {i.name}" for f, i in IDENTITIES])
def test_identity_is_proven(family, identity):
    residual = identity.residual()
    if isinstance(residual, sp.MatrixBase):
        assert residual.is_zero_matrix, residual
    else:
        assert residual == 0, residual


def test_every_derivative_the_issue_names_is_derived_and_proven():
    names = {i.name for _, i in IDENTITIES}
    for required in ("sigmoid'", "tanh'", "relu' (z > 0)", "relu' (z < 0)", "leaky relu' (z > 0)",
                     "leaky relu' (z < 0)", "dL/dz = a - y", "dJ/dz_k = (a_k - y_k)/m", "logit form",
                     "dCE/dz = y_hat - y", "d/dw (lambda/2m) w^2", "weight decay",
                     "constant sequence, every t", "bias-corrected constant is the constant",
                     "momentum with beta = 0 is GD", "inverted dropout keeps the mean",
                     "two-sided error for theta^3 is epsilon^2"):
        assert required in names, required


def test_the_linear_layer_is_derived_and_proven():
    names = {i.name for i in spec.IDENTITIES["layers"]}
    for required in ("dJ/dW = (1/m) dZ A_prev^T", "dJ/db = (1/m) sum of dZ over examples",
                     "m dJ/dA_prev = W^T dZ", "b 1^T adds b to every example", "dZ 1 sums over the examples",
                     "planar network: dJ/dW1 = (1/m) dZ1 X^T, dZ1 = W2^T dZ2 * (1 - A1^2)",
                     "planar network: dJ/db1 = (1/m) sum of dZ1 over examples",
                     "dJ/dW = G A_prev^T for G = dJ/dZ", "dJ/db = G 1 for G = dJ/dZ"):
        assert required in names, required
    assert list(spec.FAMILIES).index("layers") == list(spec.FAMILIES).index("activations") + 1
    kernels = {f.name: f.kernel for f in layers.FORMULAS}
    assert kernels == {"linear_forward": "linear_forward", "linear_dW": "linear_dW", "linear_db": "linear_db",
                       "linear_dA_prev": "linear_dA_prev", "linear_dW_mean": "linear_dW_mean",
                       "linear_db_mean": "linear_db_mean"}
    # The formulas' shapes: W is n_out x n_in, so dW is too; db is a column; dA_prev is A_prev's shape.
    assert layers.LINEAR_FORWARD.expr.shape == (layers.n_out, layers.m)
    assert layers.LINEAR_DW.expr.shape == layers.W.shape
    assert layers.LINEAR_DB.expr.shape == layers.b.shape
    assert layers.LINEAR_DA_PREV.expr.shape == layers.A_prev.shape
    assert layers.LINEAR_DW_MEAN.expr.shape == layers.W.shape
    assert layers.LINEAR_DB_MEAN.expr.shape == layers.b.shape


def test_the_chain_rule_proof_tells_a_wrong_backward_formula_apart():
    # Without the 1/m (the per-example dZ used as if it were dJ/dZ), the proof fails.
    wrong = layers._layer(layers.dZ * layers.A_prev.T)
    residual = sp.simplify(layers.chain_rule(layers._G, layers._Z, layers._W) - wrong)
    assert not residual.is_zero_matrix
    # dA_prev is per example: without the factor m, J's own gradient is not W^T dZ.
    unscaled = layers.chain_rule(layers._G, layers._Z, layers._A) - layers._layer(layers.LINEAR_DA_PREV.expr)
    assert not sp.simplify(unscaled).is_zero_matrix


def test_relu_derivative_at_zero_is_a_stated_convention():
    # SymPy's bare Heaviside is 1/2 at 0; the spec's canonical ReLU'(0) is 0.
    assert sp.Heaviside(0) == sp.Rational(1, 2)
    assert spec.activations.RELU_GRAD.expr.subs(spec.activations.z, 0) == 0
    one = spec.dialect("relu-grad/one-at-zero").formulas["grad"].expr
    assert one.subs(spec.activations.z, 0) == 1


def test_ewa_closed_form_for_the_temperature_example():
    beta = sp.Rational(9, 10)
    values = [averages.unrolled(tuple(map(sp.Integer, (40, 49, 45)))[:n], beta) for n in (1, 2, 3)]
    assert values == [4, sp.Rational(17, 2), sp.Rational(243, 20)]  # 4, 8.5, 12.15 exactly


@pytest.mark.parametrize("classes", [2, 4, 5])
def test_softmax_cross_entropy_gradient_for_other_class_counts(classes):
    zs = sp.symbols(f"z1:{classes + 1}", real=True)
    ys = sp.symbols(f"y1:{classes + 1}", nonnegative=True)
    last = {ys[-1]: 1 - sum(ys[:-1])}
    ce = losses.categorical_cross_entropy(ys, zs)
    probs = losses.softmax_components(zs)
    for zj, yj, pj in zip(zs, ys, probs, strict=True):
        assert sp.simplify((sp.diff(ce, zj) - (pj - yj)).subs(last)) == 0


def test_formulas_carry_sources_and_latex():
    assert len(spec.FORMULAS) >= 40
    for formula in spec.FORMULAS.values():
        assert formula.sources, formula.name
        assert formula.latex.startswith(formula.lhs + " = "), formula.name
        assert set(formula.args) >= formula.expr.free_symbols


def test_a_formula_with_a_symbol_missing_from_its_args_is_refused():
    x, y = sp.symbols("x y")
    with pytest.raises(ValueError, match=r"symbols \['y'\] are not in args"):
        spec.Formula("bad", "f", x + y, (x,), ())


def test_every_rule_has_exactly_one_canonical_dialect():
    rules = {d.rule for d in spec.DIALECTS}
    for rule in rules:
        canonical = [d for d in spec.dialects_of(rule) if d.canonical]
        assert len(canonical) == 1, rule
        assert canonical[0].why, rule
        assert spec.dialects_of(rule)[0] is canonical[0]


def test_the_dialects_the_issue_requires_are_recorded():
    ids = {d.id for d in spec.DIALECTS}
    assert ids >= {
        "adam/eps-outside", "adam/eps-inside", "adam/eps-hat", "adam/no-bias-correction",
        "momentum/ema", "momentum/heavy-ball", "rmsprop/eps-inside", "rmsprop/eps-outside",
        "relu-grad/zero-at-zero", "relu-grad/one-at-zero", "cost/mean", "cost/sum",
    }
    assert {d.id for d in spec.CANONICAL.values()} >= {
        "adam/eps-outside", "momentum/ema", "rmsprop/eps-inside", "relu-grad/zero-at-zero",
        "cost/mean"}


def test_unknown_dialects_and_rules_are_named_errors():
    with pytest.raises(KeyError, match="unknown dialect 'adam/eps-sideways'"):
        spec.dialect("adam/eps-sideways")
    with pytest.raises(KeyError, match="no rule 'lion'"):
        spec.dialects_of("lion")


def test_errata_are_unique_and_sourced():
    ids = [e.id for e in spec.ERRATA]
    assert len(ids) == len(set(ids))
    assert {"001-adam-s-corrected-beta1", "002-gradcheck-denominator-minus",
            "004-inverse-time-table", "003-softmax-example-rounding"} <= set(ids)
    for erratum in spec.ERRATA:
        assert erratum.printed != erratum.correct
        assert erratum.source.seed in {"000", "001", "002", "003", "004"}


def test_domains_match_the_issue():
    d = spec.DOMAINS
    assert d["beta"].as_set() == sp.Interval.Ropen(0, 1)
    assert d["epsilon"].as_set() == sp.Interval.open(0, sp.oo)
    assert d["learning_rate"].as_set() == sp.Interval(0, sp.oo)
    assert d["keep_prob"].as_set() == sp.Interval.Lopen(0, 1)
    assert d["t"].integer and d["t"].low == 1
    assert d["t"].as_set() == sp.Range(1, sp.oo)
