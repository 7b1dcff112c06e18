"""What ``gradspec verify torch|optax|keras|tfjs`` checks: the frameworks' own optimizer and
schedule objects, run from a fresh state, against every dialect of the spec's rule.

A framework object is driven by an adapter (:mod:`gradspec.conformance.adapters`) that only
translates names: the spec's ``beta2`` is PyTorch's ``alpha``, Optax's ``decay``, Keras's
``rho`` and TensorFlow.js's ``decay``. The Python frameworks' adapters are modules called in
gradspec's worker; TensorFlow.js's (``tfjs_adapter.js``) is a protocol v1 client run with
Node.js, asked for ``trajectory`` with the object's rule: the same cases and the same checks
reach it as JSON. The check is the notebook API's differential check: fixed probes that tell the
rule's dialects apart, then Hypothesis-generated cases, every dialect tried at once. The
object passes when it matches the dialect its framework documents (:attr:`FrameworkObject.declared`,
with the file and function that say so); the report lists every dialect it matched, and a
minimal counterexample when it matches none.

**Cases.** Optimizers run 1 to 4 steps from their initial state, on float64 and float32
parameters of shape (1,), (3,) or (2, 3), with a constant or a per-step learning rate (the
only way "learning rate inside the buffer" shows). Learning rates are float32 numbers,
because Keras keeps its learning rate in a float32 variable; float32 cases draw the other
hyperparameters from float32 numbers too, and their betas from [0, 0.99]: ``1 - beta^t``
computed in float32 (Keras does) loses ``t beta^t / (1 - beta^t)`` ulps, some 3000 at
``beta = 0.999, t = 3``, more than the float32 tolerance allows. Betas start at 0.01: Keras
updates its moments as ``m + (1 - beta) (g - m)``, which at ``beta = 0`` cancels when the
gradient shrinks by orders of magnitude between steps (the thorough profile found
``v = 358^2`` followed by ``g = 6.2e-4``: ``w`` off by 2.5e-6 in float64). That is rounding,
not a convention, and its error is at most ``ulp(m) / beta`` of the moment.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import json
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import strategies as st

from gradspec.reference import (
    HYPERPARAMETERS,
    bias_correction,
    ewa_step,
    exponential_decay,
    exponential_staircase_decay,
    inverse_time_decay,
    staircase_decay,
    trajectory,
)

from .api import dialects_of as dialect_names
from .api._strategies import EPSILONS, SCALES, arrays

__all__ = ["FRAMEWORKS", "RULES", "Framework", "FrameworkObject", "Rule", "missing_requirements", "table",
           "unexpected", "verdicts"]

Case = dict[str, Any]


@dataclass(frozen=True)
class Rule:
    """A spec rule as the frameworks are checked on it.

    ``expected(case, dialect)`` is the reference's answer in that dialect; ``probes`` are fixed
    cases on which the rule's dialects all give different answers (one or two steps). A rule
    that modifies another (weight decay over Adam or momentum; AMSGrad's max in Adam's step)
    names it in ``base``: ``expected(case, dialect, base=...)`` then takes the base rule's
    dialect too (:attr:`FrameworkObject.base`), and ``dialects`` is the spec rule whose dialects
    classify it (the rule's own id by default).
    """

    id: str
    hyperparameters: tuple[str, ...]
    expected: Callable[..., list[Any]]
    inputs: Callable[[str], st.SearchStrategy[Case]]
    probes: tuple[Case, ...]
    base: str = ""
    dialects: str = ""

    @property
    def spec_rule(self) -> str:
        """The spec rule whose dialects the frameworks' objects are classified in."""
        return self.dialects or self.id


@dataclass(frozen=True)
class FrameworkObject:
    """One framework object (with its settings), the rule it implements, and the dialect its
    framework says it follows, with the file and function that say so (``declared`` is ``""``
    for a rule without dialects, such as ``gd``). ``base`` is the dialect of the rule's
    :attr:`Rule.base` the object computes (``""``: the canonical one), and ``fixed`` the
    hyperparameters the object does not take, at the values it uses instead (TensorFlow.js's
    Adagrad has no epsilon argument). ``finding`` says why an object does not compute what its
    framework documents, where gradspec found that it does not: the object is expected to fail, with
    the counterexample the report gives."""

    name: str
    function: str
    rule: str
    declared: str
    source: str
    dtypes: tuple[str, ...] = ("float64", "float32")
    base: str = ""
    fixed: Mapping[str, float] = field(default_factory=dict)
    finding: str = ""


@dataclass(frozen=True)
class Framework:
    """A framework and how its objects are run: a Python adapter module called in gradspec's
    worker (``runtime="python"``, ``distributions`` its PyPI packages), or a protocol v1 adapter
    script beside the Python ones run with Node.js (``runtime="node"``, ``distributions`` its
    npm packages), whose one op ``trajectory`` takes the object's :attr:`FrameworkObject.function`
    as its ``rule``."""

    name: str
    module: str
    extra: str
    distributions: tuple[str, ...]
    objects: tuple[FrameworkObject, ...]
    install_note: str = ""
    runtime: str = "python"


# --- what the spec says: the reference, run from a fresh state --------------------------------------

def _optimizer(rule: str) -> Callable[..., list[np.ndarray]]:
    names = HYPERPARAMETERS[rule]

    def expected(case: Case, dialect: str, base: str = "") -> list[np.ndarray]:
        options = {name: case[name] for name in names}
        if base:
            options["adam_dialect"] = base  # AMSGrad, the one rule with a base
        return trajectory(rule, case["w"], case["grads"], learning_rate=case["learning_rates"], dialect=dialect,
                          **options)
    return expected


def _decayed(rule: str) -> Callable[..., list[np.ndarray]]:
    """Weight decay's ``dialect`` over ``rule`` in its ``base`` dialect."""
    names = HYPERPARAMETERS[rule]

    def expected(case: Case, dialect: str, base: str = "") -> list[np.ndarray]:
        return trajectory(rule, case["w"], case["grads"], learning_rate=case["learning_rates"], dialect=base or None,
                          weight_decay=case["weight_decay"], weight_decay_dialect=dialect,
                          schedule_multiplier=case["schedule_multipliers"], **{name: case[name] for name in names})
    return expected


def _ewa(case: Case, dialect: str) -> list[np.ndarray]:
    v, out = np.zeros_like(case["thetas"][0]), []
    for t, theta in enumerate(case["thetas"], start=1):
        v = ewa_step(v, theta, beta=case["beta"])
        out.append(bias_correction(v, beta=case["beta"], t=t) if dialect == "bias-corrected" else v)
    return out


def _inverse_time(case: Case, dialect: str) -> list[float]:
    lr0, rate, interval = case["learning_rate0"], case["decay_rate"], case["time_interval"]
    if dialect == "staircase":
        return [staircase_decay(lr0, n, decay_rate=rate, time_interval=interval) for n in case["steps"]]
    return [inverse_time_decay(lr0, n / interval, decay_rate=rate) for n in case["steps"]]


def _exponential(case: Case, dialect: str) -> list[float]:
    lr0, k, interval = case["learning_rate0"], case["k"], case["time_interval"]
    if dialect == "staircase":
        return [exponential_staircase_decay(lr0, n, k=k, time_interval=interval) for n in case["steps"]]
    return [exponential_decay(lr0, n / interval, k=k) for n in case["steps"]]


# --- cases ---------------------------------------------------------------------------------------

SHAPES = ((1,), (3,), (2, 3))  # few shapes: JAX compiles once per shape


def _f32(x: float) -> float:
    return float(np.float32(x))


def _beta(dtype: str) -> st.SearchStrategy[float]:
    if dtype == "float32":
        return st.one_of(st.sampled_from([0.5, 0.9]), st.floats(0.01, 0.99).map(_f32))
    return st.one_of(st.sampled_from([0.5, 0.9, 0.999]), st.floats(0.01, 0.999))


def _epsilon(dtype: str) -> st.SearchStrategy[float]:
    return EPSILONS.map(_f32) if dtype == "float32" else EPSILONS


_RATE = st.one_of(st.sampled_from([0.0, 0.01, 0.5]), st.floats(0.0, 1.0)).map(_f32)


@st.composite
def _optimizer_case(draw: st.DrawFn, dtype: str, hyperparameters: tuple[str, ...]) -> Case:
    shape, steps = draw(st.sampled_from(SHAPES)), draw(st.integers(1, 4))
    w = draw(arrays(shape, dtype, draw(st.sampled_from([1.0, 10.0]))))
    grads = [draw(arrays(shape, dtype, draw(SCALES))) for _ in range(steps)]
    rates = draw(st.one_of(_RATE.map(lambda lr: [lr] * steps), st.lists(_RATE, min_size=steps, max_size=steps)))
    case: Case = {"w": w, "grads": grads, "learning_rates": rates}
    for name in hyperparameters:
        case[name] = draw(_epsilon(dtype) if name == "epsilon" else _beta(dtype))
    return case


@st.composite
def _decayed_case(draw: st.DrawFn, dtype: str, hyperparameters: tuple[str, ...]) -> Case:
    """An optimizer case with weight decay: the learning rates are ``eta_t alpha``, a base rate times
    the schedule multipliers ``eta_t`` the case also carries (for the paper's form)."""
    case = draw(_optimizer_case(dtype, hyperparameters))
    steps = len(case["grads"])
    multiplier = st.one_of(st.sampled_from([1.0, 0.5]), st.floats(0.1, 1.0)).map(_f32)
    etas = draw(st.one_of(st.just([1.0] * steps), st.lists(multiplier, min_size=steps, max_size=steps)))
    alpha = draw(_RATE)
    case["learning_rates"] = [_f32(alpha * eta) for eta in etas]
    case["schedule_multipliers"] = etas
    case["weight_decay"] = draw(st.one_of(st.sampled_from([0.0, 0.01, 0.1]), st.floats(0.0, 0.5)).map(_f32))
    return case


@st.composite
def _ewa_case(draw: st.DrawFn, dtype: str) -> Case:
    shape, steps = draw(st.sampled_from(SHAPES)), draw(st.integers(1, 6))
    return {"thetas": [draw(arrays(shape, dtype, 100.0)) for _ in range(steps)], "beta": draw(_beta(dtype))}


def _schedule_case(factor: str) -> Callable[[str], st.SearchStrategy[Case]]:
    def inputs(dtype: str) -> st.SearchStrategy[Case]:
        value = st.floats(0.0, 5.0) if factor == "decay_rate" else st.floats(0.01, 1.0)
        return st.fixed_dictionaries({
            "learning_rate0": _RATE, factor: value.map(_f32), "time_interval": st.integers(1, 50),
            "steps": st.lists(st.integers(0, 200), min_size=1, max_size=6).map(sorted),
        })
    return inputs


def as_dtype(case: Case, dtype: str) -> Case:
    """``case`` with its arrays (and lists of arrays) in ``dtype``."""
    def cast(value: Any) -> Any:
        if isinstance(value, np.ndarray):
            return value.astype(dtype)
        return [cast(v) for v in value] if isinstance(value, list) else value
    return {key: cast(value) for key, value in case.items()}


def _probe(hyperparameters: Mapping[str, float], grads: Sequence[float], rates: Sequence[float]) -> Case:
    return {"w": np.array([1.0]), "grads": [np.array([g]) for g in grads], "learning_rates": list(rates),
            **hyperparameters}


RULES: dict[str, Rule] = {rule.id: rule for rule in (
    Rule("gd", (), _optimizer("gd"), lambda dtype: _optimizer_case(dtype, ()),
         (_probe({}, [1.0, 1.0], [0.5, 0.25]),)),
    Rule("momentum", ("beta",), _optimizer("momentum"),
         lambda dtype: _optimizer_case(dtype, ("beta",)),
         # One step from rest tells the EMA from the rest; a second step with another learning
         # rate tells heavy-ball, first-gradient and lr-inside apart.
         (_probe({"beta": 0.5}, [1.0, 1.0], [0.5, 0.25]),)),
    Rule("rmsprop", ("beta2", "epsilon"), _optimizer("rmsprop"),
         lambda dtype: _optimizer_case(dtype, ("beta2", "epsilon")),
         (_probe({"beta2": 0.5, "epsilon": 0.25}, [1.0], [0.5]),)),
    Rule("adam", ("beta1", "beta2", "epsilon"), _optimizer("adam"),
         lambda dtype: _optimizer_case(dtype, ("beta1", "beta2", "epsilon")),
         (_probe({"beta1": 0.5, "beta2": 0.9, "epsilon": 0.25}, [1.0], [0.5]),)),
    # Beyond the course. Nesterov's two forms part at the second step once the rate changes;
    # AMSGrad's two maxima where s falls (g = 1, then 0.1); centered RMSProp's three epsilons at
    # once (g = 2: s - g_bar^2 = 1).
    Rule("nesterov", ("beta",), _optimizer("nesterov"), lambda dtype: _optimizer_case(dtype, ("beta",)),
         (_probe({"beta": 0.5}, [1.0, 1.0], [0.5, 0.25]),)),
    Rule("amsgrad", ("beta1", "beta2", "epsilon"), _optimizer("amsgrad"),
         lambda dtype: _optimizer_case(dtype, ("beta1", "beta2", "epsilon")),
         (_probe({"beta1": 0.5, "beta2": 0.9, "epsilon": 0.25}, [1.0, 0.1], [0.5, 0.5]),), base="adam"),
    Rule("rmsprop-centered", ("beta2", "epsilon"), _optimizer("rmsprop-centered"),
         lambda dtype: _optimizer_case(dtype, ("beta2", "epsilon")),
         (_probe({"beta2": 0.5, "epsilon": 0.25}, [2.0], [0.5]),)),
    # RMSProp with momentum's four forms part at the second step once the rate changes; Adagrad's
    # four at the first (its start and its epsilon both show).
    Rule("rmsprop-momentum", ("beta2", "beta", "epsilon"), _optimizer("rmsprop-momentum"),
         lambda dtype: _optimizer_case(dtype, ("beta2", "beta", "epsilon")),
         (_probe({"beta2": 0.5, "beta": 0.5, "epsilon": 0.25}, [1.0, 0.5], [0.5, 0.25]),)),
    Rule("adagrad", ("epsilon",), _optimizer("adagrad"), lambda dtype: _optimizer_case(dtype, ("epsilon",)),
         (_probe({"epsilon": 0.25}, [1.0], [0.5]),)),
    # Weight decay's three forms over Adam and over momentum: l2 from the first step (its gradient is
    # g + lambda w), the paper's once the schedule multiplier is not 1.
    Rule("adam+weight-decay", ("beta1", "beta2", "epsilon", "weight_decay"), _decayed("adam"),
         lambda dtype: _decayed_case(dtype, ("beta1", "beta2", "epsilon")),
         (_probe({"beta1": 0.5, "beta2": 0.9, "epsilon": 0.25, "weight_decay": 0.1, "schedule_multipliers": [1.0, 0.5]},
                 [1.0, 1.0], [0.5, 0.25]),), base="adam", dialects="weight-decay"),
    Rule("momentum+weight-decay", ("beta", "weight_decay"), _decayed("momentum"),
         lambda dtype: _decayed_case(dtype, ("beta",)),
         (_probe({"beta": 0.5, "weight_decay": 0.1, "schedule_multipliers": [1.0, 0.5]}, [1.0, 1.0], [0.5, 0.25]),),
         base="momentum", dialects="weight-decay"),
    Rule("ewa", ("beta",), _ewa, _ewa_case,
         ({"thetas": [np.array([1.0]), np.array([2.0])], "beta": 0.5},)),
    Rule("inverse-time-decay", ("learning_rate0", "decay_rate", "time_interval"), _inverse_time,
         _schedule_case("decay_rate"),
         ({"learning_rate0": 0.5, "decay_rate": 1.0, "time_interval": 4, "steps": [0, 2, 4]},)),
    Rule("exponential-decay", ("learning_rate0", "k", "time_interval"), _exponential, _schedule_case("k"),
         ({"learning_rate0": 0.5, "k": 0.5, "time_interval": 4, "steps": [0, 2, 4]},)),
)}


# --- the frameworks -----------------------------------------------------------------------------------

_T = FrameworkObject
#: PyTorch's implementations of a rule, each verified as its own object: (the keyword, the adapter's suffix).
_IMPLEMENTATIONS = (("foreach=False", ""), ("foreach=True", "_foreach"), ("fused=True", "_fused"))
FRAMEWORKS: dict[str, Framework] = {f.name: f for f in (
    Framework("torch", "gradspec.conformance.adapters.torch_adapter", "torch", ("torch",), (
        _T("torch.optim.SGD(momentum=beta)", "sgd_momentum", "momentum", "heavy-ball",
           "torch/optim/sgd.py, _single_tensor_sgd: buf.mul_(momentum).add_(grad, alpha=1 - dampening), "
           "dampening 0 by default; param.add_(grad, alpha=-lr)"),
        _T("torch.optim.SGD(momentum=beta, dampening=beta)", "sgd_dampened", "momentum", "first-gradient",
           "torch/optim/sgd.py, _single_tensor_sgd: the first step sets buf = grad.detach().clone() (no "
           "dampening); later steps buf.mul_(momentum).add_(grad, alpha=1 - dampening)"),
        _T("torch.optim.RMSprop", "rmsprop", "rmsprop", "eps-outside",
           "torch/optim/rmsprop.py, _single_tensor_rmsprop: avg = square_avg.sqrt(), then avg.add_(eps); "
           "param.addcdiv_(grad, avg, value=-lr)"),
        _T("torch.optim.Adam", "adam", "adam", "eps-outside",
           "torch/optim/adam.py, _single_tensor_adam: denom = (exp_avg_sq.sqrt() / "
           "bias_correction2_sqrt).add_(eps); param.addcdiv_(exp_avg, denom, value=-step_size)"),
        *(_T(f"torch.optim.SGD(momentum=beta, nesterov=True, {how})", f"sgd_nesterov{suffix}", "nesterov",
             "lr-outside", "torch/optim/sgd.py, _single_tensor_sgd (and _multi_tensor_sgd, _fused_sgd) with "
             "nesterov: buf.mul_(momentum).add_(grad); grad = grad.add(buf, alpha=momentum); param.add_(grad, "
             "alpha=-lr)") for how, suffix in _IMPLEMENTATIONS),
        *(_T(f"torch.optim.Adam(amsgrad=True, {how})", f"adam_amsgrad{suffix}", "amsgrad", "max-raw",
             "torch/optim/adam.py, _single_tensor_adam (and _multi_tensor_adam, _fused_adam) with amsgrad: "
             "torch.maximum(max_exp_avg_sqs[i], exp_avg_sq); denom = (max_exp_avg_sqs[i].sqrt() / "
             "bias_correction2_sqrt).add_(eps)") for how, suffix in _IMPLEMENTATIONS),
        *(_T(f"torch.optim.RMSprop(centered=True, {how})", f"rmsprop_centered{suffix}", "rmsprop-centered",
             "eps-outside", "torch/optim/rmsprop.py, _single_tensor_rmsprop (and _multi_tensor_rmsprop) with "
             "centered: avg = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_(), then avg.add_(eps)")
          for how, suffix in _IMPLEMENTATIONS[:2]),  # PyTorch has no fused RMSprop
        *(_T(f"torch.optim.RMSprop(momentum=beta, {how})", f"rmsprop_momentum{suffix}", "rmsprop-momentum",
             "eps-outside", "torch/optim/rmsprop.py, _single_tensor_rmsprop (and _multi_tensor_rmsprop) with momentum: "
             "avg = square_avg.sqrt().add_(eps); buf.mul_(momentum).addcdiv_(grad, avg); param.add_(buf, alpha=-lr)")
          for how, suffix in _IMPLEMENTATIONS[:2]),
        *(_T(f"torch.optim.Adagrad({how})", f"adagrad{suffix}", "adagrad", "eps-outside",
             "torch/optim/adagrad.py, _single_tensor_adagrad (and _multi_tensor_adagrad, _fused_adagrad): state['sum'] "
             "= torch.full_like(p, initial_accumulator_value), 0 by default; state_sum.addcmul_(grad, grad, value=1); "
             "std = state_sum.sqrt().add_(eps); param.addcdiv_(grad, std, value=-clr)")
          for how, suffix in _IMPLEMENTATIONS),
        *(_T(f"torch.optim.Adam(weight_decay=weight_decay, {how})", f"adam_weight_decay{suffix}", "adam+weight-decay",
             "l2", "torch/optim/adam.py, _single_tensor_adam (and _multi_tensor_adam, _fused_adam): grad = "
             "grad.add(param, alpha=weight_decay) before the moments (decoupled_weight_decay=False)")
          for how, suffix in _IMPLEMENTATIONS),
        *(_T(f"torch.optim.AdamW({how})", f"adamw{suffix}", "adam+weight-decay", "lr-scaled",
             "torch/optim/adamw.py, AdamW: Adam with decoupled_weight_decay=True; torch/optim/adam.py, "
             "_single_tensor_adam: param.mul_(1 - lr * weight_decay) before the step")
          for how, suffix in _IMPLEMENTATIONS),
        *(_T(f"torch.optim.SGD(momentum=beta, weight_decay=weight_decay, {how})", f"sgd_weight_decay{suffix}",
             "momentum+weight-decay", "l2", "torch/optim/sgd.py, _single_tensor_sgd (and _multi_tensor_sgd, "
             "_fused_sgd): grad = grad.add(param, alpha=weight_decay) before the momentum buffer", base="heavy-ball")
          for how, suffix in _IMPLEMENTATIONS),
        _T("torch.optim.lr_scheduler.LambdaLR(inverse-time lambda)",
           "inverse_time_lambda_lr", "inverse-time-decay", "continuous",
           "torch/optim/lr_scheduler.py, LambdaLR.get_lr: base_lr * lmbda(self.last_epoch), with "
           "lr_lambda = lambda epoch: 1 / (1 + decay_rate * epoch / time_interval)"),
    ), install_note="where a local CPU build is provided, install it first: pip install torch==2.13.0"),
    Framework("optax", "gradspec.conformance.adapters.optax_adapter", "jax", ("jax", "optax"), (
        _T("optax.sgd(momentum=beta)", "sgd_momentum", "momentum", "heavy-ball",
           "optax/_src/alias.py, sgd: chain(trace(decay=momentum), scale_by_learning_rate); "
           "optax/transforms/_accumulation.py, trace: g + decay * t"),
        _T("optax.rmsprop", "rmsprop", "rmsprop", "eps-inside",
           "optax/_src/transform.py, scale_by_rms: eps_in_sqrt=True by default, "
           "jax.lax.rsqrt(nu + eps)"),
        _T("optax.adam", "adam", "adam", "eps-outside",
           "optax/_src/transform.py, scale_by_adam: mu_hat / (jnp.sqrt(nu_hat + eps_root) + eps), "
           "eps_root 0"),
        _T("optax.sgd(momentum=beta, nesterov=True)", "sgd_nesterov", "nesterov", "lr-outside",
           "optax/transforms/_accumulation.py, trace with nesterov: f = lambda g, t: g + decay * t; "
           "update = f(updates, new_trace), then scale_by_learning_rate"),
        _T("optax.amsgrad", "amsgrad", "amsgrad", "max-corrected",
           "optax/_src/transform.py, scale_by_amsgrad: nu_hat = bias_correction(nu, b2, count_inc); nu_max = "
           "maximum(nu_max, nu_hat); mu_hat / (sqrt(nu_max + eps_root) + eps)"),
        _T("optax.rmsprop(centered=True)", "rmsprop_centered", "rmsprop-centered", "eps-inside",
           "optax/_src/transform.py, scale_by_stddev: updates * jax.lax.rsqrt(nu - mu**2 + eps), "
           "eps_in_sqrt=True by default"),
        _T("optax.rmsprop(momentum=beta)", "rmsprop_momentum", "rmsprop-momentum", "eps-inside-lr-inside",
           "optax/_src/alias.py, rmsprop: chain(scale_by_rms(decay, eps), scale_by_learning_rate(learning_rate), "
           "trace(decay=momentum)): the buffer is kept after the learning rate; scale_by_rms: rsqrt(nu + eps)"),
        _T("optax.adagrad", "adagrad", "adagrad", "start-tenth-eps-inside",
           "optax/_src/alias.py, adagrad: initial_accumulator_value=0.1; optax/_src/transform.py, scale_by_rss: "
           "sum_of_squares = g**2 + sum_of_squares; jnp.where(t > 0, rsqrt(t + eps), 0.0)"),
        _T("optax.adamw", "adamw", "adam+weight-decay", "lr-scaled",
           "optax/_src/alias.py, adamw: chain(scale_by_adam, add_decayed_weights(weight_decay), "
           "scale_by_learning_rate(learning_rate)); its docstring: the decay is multiplied with the learning rate"),
        _T("optax.chain(add_decayed_weights, sgd(momentum=beta))", "sgd_momentum_l2", "momentum+weight-decay", "l2",
           "optax/transforms/_adding.py, add_decayed_weights: g + weight_decay * p, before sgd's trace: the L2 "
           "penalty's gradient through the optimizer", base="heavy-ball"),
        _T("optax.chain(scale_by_adam, scale_by_schedule(alpha), add_decayed_weights, scale_by_schedule(-eta))",
           "adamw_paper", "adam+weight-decay", "paper",
           "Loshchilov & Hutter 2019, Algorithm 2, -eta_t (alpha m_hat / (sqrt(v_hat) + eps) + lambda theta), composed "
           "of optax/_src/transform.py, scale_by_adam and scale_by_schedule, and optax/transforms/_adding.py, "
           "add_decayed_weights; optax/_src/alias.py, adamw's docstring: its own decay differs from the paper's"),
        _T("optax.ema(decay=beta, debias=True)", "ema", "ewa", "bias-corrected",
           "optax/transforms/_accumulation.py, ema: update_moment(updates, ema, decay, order=1), then "
           "bias_correction(new_ema, decay, count_inc) when debias"),
        _T("optax.exponential_decay(staircase=True)", "exponential_decay_staircase", "exponential-decay",
           "staircase", "optax/schedules/_schedule.py, exponential_decay: p = floor(count / "
           "transition_steps); init_value * decay_rate ** p"),
    )),
    Framework("keras", "gradspec.conformance.adapters.keras_adapter", "keras", ("keras", "jax"), (
        _T("keras.optimizers.SGD(momentum=beta)", "sgd_momentum", "momentum", "lr-inside",
           "keras/src/optimizers/sgd.py, SGD.update_step: m = m * momentum - gradient * learning_rate; "
           "variable += m"),
        _T("keras.optimizers.RMSprop", "rmsprop", "rmsprop", "eps-inside",
           "keras/src/optimizers/rmsprop.py, RMSprop.update_step: lr * gradient / sqrt(velocity + "
           "epsilon)"),
        _T("keras.optimizers.Adam", "adam", "adam", "eps-hat",
           "keras/src/optimizers/adam.py, Adam.update_step: alpha = lr * sqrt(1 - beta_2_power) / "
           "(1 - beta_1_power); m * alpha / (sqrt(v) + epsilon)"),
        _T("keras.optimizers.SGD(momentum=beta, nesterov=True)", "sgd_nesterov", "nesterov", "lr-inside",
           "keras/src/optimizers/sgd.py, SGD.update_step with nesterov: m = m * momentum - gradient * "
           "learning_rate; variable += m * momentum - gradient * learning_rate"),
        _T("keras.optimizers.RMSprop(centered=True)", "rmsprop_centered", "rmsprop-centered", "eps-inside",
           "keras/src/optimizers/rmsprop.py, RMSprop.update_step with centered: denominator = velocity - "
           "square(average_grad) + epsilon; increment = lr * gradient / sqrt(denominator)"),
        _T("keras.optimizers.RMSprop(momentum=beta)", "rmsprop_momentum", "rmsprop-momentum", "eps-inside-lr-inside",
           "keras/src/optimizers/rmsprop.py, RMSprop.update_step with momentum: increment = lr * gradient / "
           "sqrt(velocity + epsilon); momentum = momentum * self.momentum + increment; variable -= momentum"),
        _T("keras.optimizers.Adagrad", "adagrad", "adagrad", "start-tenth-eps-inside",
           "keras/src/optimizers/adagrad.py, Adagrad: initial_accumulator_value=0.1; update_step: accumulator += "
           "square(gradient); variable -= lr * gradient / sqrt(accumulator + epsilon)"),
        _T("keras.optimizers.Adam(amsgrad=True)", "adam_amsgrad", "amsgrad", "max-raw",
           "keras/src/optimizers/adam.py, Adam.update_step with amsgrad: v_hat = maximum(v_hat, v) over the "
           "uncorrected v, then Adam's eps-hat step: alpha = lr * sqrt(1 - beta_2_power) / (1 - beta_1_power); "
           "m * alpha / (sqrt(v_hat) + epsilon)", base="eps-hat"),
        _T("keras.optimizers.AdamW(weight_decay=weight_decay)", "adamw", "adam+weight-decay", "lr-scaled",
           "keras/src/optimizers/base_optimizer.py, _apply_weight_decay: variable.assign(variable - variable * wd * "
           "lr), before update_step; keras/src/optimizers/adamw.py: Adam with weight_decay", base="eps-hat"),
        _T("keras.optimizers.SGD(momentum=beta, weight_decay=weight_decay)", "sgd_weight_decay",
           "momentum+weight-decay", "lr-scaled",
           "keras/src/optimizers/base_optimizer.py, _apply_weight_decay: variable.assign(variable - variable * wd * "
           "lr) for every optimizer, before SGD.update_step (m = m * momentum - gradient * lr; variable += m)",
           base="lr-inside"),
        _T("keras.optimizers.schedules.InverseTimeDecay(staircase=False)", "inverse_time_decay",
           "inverse-time-decay", "continuous",
           "keras/src/optimizers/schedules/learning_rate_schedule.py, InverseTimeDecay.__call__: "
           "initial_learning_rate / (1 + decay_rate * step / decay_steps)"),
        _T("keras.optimizers.schedules.InverseTimeDecay(staircase=True)", "inverse_time_decay_staircase",
           "inverse-time-decay", "staircase",
           "keras/src/optimizers/schedules/learning_rate_schedule.py, InverseTimeDecay.__call__: "
           "p = floor(step / decay_steps) when staircase"),
    ), install_note="Keras runs on its JAX backend unless KERAS_BACKEND names another"),
    Framework("tfjs", "tfjs_adapter.js", "", ("@tensorflow/tfjs-core", "@tensorflow/tfjs-backend-cpu"), (
        _T("tf.train.sgd", "gd", "gd", "",
           "tfjs-core/src/optimizers/sgd_optimizer.ts, SGDOptimizer.applyGradients: add(mul(this.c, gradient), "
           "value), this.c = scalar(-learningRate) (setLearningRate)", ("float32",)),
        _T("tf.train.momentum", "momentum", "momentum", "heavy-ball",
           "tfjs-core/src/optimizers/momentum_optimizer.ts, MomentumOptimizer.applyGradients: newAccumulation = "
           "add(mul(this.m, accumulation), gradient); newValue = add(mul(this.c, newAccumulation), value), "
           "this.c = scalar(-learningRate)", ("float32",)),
        _T("tf.train.rmsprop", "rmsprop", "rmsprop", "eps-inside",
           "tfjs-core/src/optimizers/rmsprop_optimizer.ts, RMSPropOptimizer.applyGradients (centered false): "
           "newAccumulatedMoments = momentum * moments + gradient * learningRate / sqrt(newAccumulatedMeanSquare "
           "+ epsilon); value - newAccumulatedMoments", ("float32",)),
        _T("tf.train.adam", "adam", "adam", "eps-outside",
           "tfjs-core/src/optimizers/adam_optimizer.ts, AdamOptimizer.applyGradients: "
           "biasCorrectedFirstMoment / (sqrt(biasCorrectedSecondMoment) + epsilon) * -learningRate, the "
           "moments divided by 1 - accBeta1 and 1 - accBeta2", ("float32",)),
        _T("tf.train.momentum(useNesterov=true)", "nesterov", "nesterov", "lr-outside",
           "tfjs-core/src/optimizers/momentum_optimizer.ts, MomentumOptimizer.applyGradients with useNesterov: "
           "newValue = add(mul(this.c, add(gradient, mul(newAccumulation, this.m))), value)", ("float32",)),
        _T("tf.train.rmsprop(centered=true)", "rmsprop-centered", "rmsprop-centered", "eps-subtracted",
           "tfjs-core/src/optimizers/rmsprop_optimizer.ts, RMSPropOptimizer.applyGradients with centered: "
           "gradient * learningRate / sqrt(sub(newAccumulatedMeanSquare, add(square(newAccumulatedMeanGrad), "
           "epsilon)))", ("float32",)),
        _T("tf.train.rmsprop(momentum=beta)", "rmsprop-momentum", "rmsprop-momentum", "eps-inside-lr-inside",
           "tfjs-core/src/optimizers/rmsprop_optimizer.ts, RMSPropOptimizer.applyGradients (centered false): "
           "newAccumulatedMoments = momentum * moments + gradient * learningRate / sqrt(newAccumulatedMeanSquare + "
           "epsilon); value - newAccumulatedMoments", ("float32",)),
        _T("tf.train.adagrad", "adagrad", "adagrad", "start-tenth-eps-inside",
           "tfjs-core/src/optimizers/adagrad_optimizer.ts, AdagradOptimizer: initialAccumulatorValue = 0.1; "
           "applyGradients: value - learningRate * gradient / sqrt(newAccumulatedGrad + ENGINE.backend.epsilon()), "
           "epsilon fixed at the CPU backend's 1e-7", ("float32",), fixed={"epsilon": 1e-7}),
    ), install_note="npm ci in a gradspec checkout, or npm install @tensorflow/tfjs-core@4.22.0 "
                    "@tensorflow/tfjs-backend-cpu@4.22.0 where you run gradspec (or name the folder in "
                    "GRADSPEC_NODE_MODULES)", runtime="node"),
    Framework("tinygrad", "gradspec.conformance.adapters.tinygrad_adapter", "tinygrad", ("tinygrad",), (
        _T("tinygrad.nn.optim.SGD", "sgd", "gd", "",
           "tinygrad/nn/optim.py, SGD = LARS(..., tcoef=0.0): with no momentum, LARS._step returns g; "
           "Optimizer.schedule_step assigns t.detach() - self.lr * g"),
        _T("tinygrad.nn.optim.SGD(momentum=beta)", "sgd_momentum", "momentum", "heavy-ball",
           "tinygrad/nn/optim.py, LARS._step: self.b[i].assign(self.momentum * self.b[i] + g), b from 0; g = "
           "self.b[i]; the update t - lr * g", ("float32",)),
        _T("tinygrad.nn.optim.SGD(momentum=beta, classic=True)", "sgd_momentum_classic", "momentum", "lr-inside",
           "tinygrad/nn/optim.py, LARS._step with classic: g = g * r * self.lr before the buffer, b = momentum * b "
           "+ g, and the step subtracts b", ("float32",)),
        _T("tinygrad.nn.optim.SGD(momentum=beta, nesterov=True)", "sgd_nesterov", "nesterov", "lr-outside",
           "tinygrad/nn/optim.py, LARS._step with nesterov: g = g + self.momentum * self.b[i], then t - lr * g",
           ("float32",)),
        _T("tinygrad.nn.optim.SGD(momentum=beta, nesterov=True, classic=True)", "sgd_nesterov_classic", "nesterov",
           "lr-inside", "tinygrad/nn/optim.py, LARS._step with classic and nesterov: the rate folded into g before "
           "the buffer, then g + momentum * b subtracted", ("float32",)),
        _T("tinygrad.nn.optim.SGD(momentum=beta, weight_decay=weight_decay)", "sgd_weight_decay",
           "momentum+weight-decay", "l2", "tinygrad/nn/optim.py, LARS._step with pre_wd (SGD): g = g + self.wd * "
           "t.detach() before the momentum buffer", ("float32",), base="heavy-ball"),
        _T("tinygrad.nn.optim.Adam", "adam", "adam", "eps-outside",
           "tinygrad/nn/optim.py, LAMB._step with adam=True: m_hat = m / (1.0 - b1_t); v_hat = v / (1.0 - b2_t); "
           "up = m_hat / (v_hat.sqrt() + eps)", ("float32",)),
        _T("tinygrad.nn.optim.AdamW", "adamw", "adam+weight-decay", "lr-scaled",
           "tinygrad/nn/optim.py, LAMB._step: up = m_hat / (v_hat.sqrt() + self.eps) + self.wd * t.detach(); the "
           "step lr * up", ("float32",)),
    ), install_note="tinygrad runs on DEV=CPU where clang is installed, else on its Python emulator "
                    "(DEV=PYTHON); it keeps an optimizer's state in float32, so its stateful objects are "
                    "checked in float32"),
    Framework("mlx", "gradspec.conformance.adapters.mlx_adapter", "mlx", ("mlx",), (
        _T("mlx.optimizers.SGD(momentum=beta)", "sgd_momentum", "momentum", "heavy-ball",
           "mlx/optimizers/optimizers.py, SGD.apply_single: v = self.momentum * v + (1 - self.dampening) * "
           "gradient, v from 0, dampening 0 by default; parameter - lr * v"),
        _T("mlx.optimizers.SGD(momentum=beta, dampening=beta)", "sgd_dampened", "momentum", "ema",
           "mlx/optimizers/optimizers.py, SGD.apply_single: v = momentum * v + (1 - dampening) * gradient from "
           "v = 0, the first step damped too (PyTorch's is not)"),
        _T("mlx.optimizers.SGD(momentum=beta, nesterov=True)", "sgd_nesterov", "nesterov", "lr-outside",
           "mlx/optimizers/optimizers.py, SGD.apply_single with nesterov: update = gradient + self.momentum * v; "
           "parameter - lr * update"),
        _T("mlx.optimizers.SGD(momentum=beta, weight_decay=weight_decay)", "sgd_weight_decay",
           "momentum+weight-decay", "l2", "mlx/optimizers/optimizers.py, SGD.apply_single: gradient = gradient + "
           "self.weight_decay * parameter, before the momentum", base="heavy-ball"),
        _T("mlx.optimizers.RMSprop", "rmsprop", "rmsprop", "eps-outside",
           "mlx/optimizers/optimizers.py, RMSprop.apply_single: v = alpha * v + (1 - alpha) * square(gradient); "
           "parameter - lr * gradient / (sqrt(v) + eps)"),
        _T("mlx.optimizers.Adagrad", "adagrad", "adagrad", "eps-outside",
           "mlx/optimizers/optimizers.py, Adagrad.apply_single: v = v + square(gradient), v from 0; parameter - "
           "lr * gradient / (sqrt(v) + eps)"),
        _T("mlx.optimizers.Adam", "adam", "adam", "no-bias-correction",
           "mlx/optimizers/optimizers.py, Adam.__init__: bias_correction=False by default; apply_single: "
           "parameter - lr * m / (sqrt(v) + eps) without it"),
        _T("mlx.optimizers.Adam(bias_correction=True)", "adam_bias_corrected", "adam", "eps-outside",
           "mlx/optimizers/optimizers.py, Adam.apply_single with bias_correction: c1 = lr / (1 - b1**step); "
           "c2 = rsqrt(1 - b2**step); parameter - c1 * m / (sqrt(v) * c2 + eps)",
           finding="its bias corrections are computed in float32 whatever the parameters' dtype: b1**step and "
                   "b2**step (the step counter an integer array, the betas Python floats) and the reciprocal root "
                   "of 1 - b2**step, so a float64 step is off by 1e-8 to 1e-6 relative (1 - 0.999**1 comes out as "
                   "0.0009999871); float32 steps are within float32's tolerance"),
        _T("mlx.optimizers.AdamW", "adamw", "adam+weight-decay", "lr-scaled",
           "mlx/optimizers/optimizers.py, AdamW.apply_single: super().apply_single(gradient, parameter * (1 - lr * "
           "self.weight_decay), state), over Adam without bias correction (the default)",
           base="no-bias-correction"),
    ), install_note="on Linux MLX needs its CPU build, the mlx[cpu] extra, which gradspec[mlx] installs"),
)}


def adapter_path(framework: Framework) -> Path:
    """A Node.js framework's adapter script (beside the Python adapters)."""
    from . import adapters

    return Path(adapters.__file__).with_name(framework.module)


def node_modules(framework: Framework) -> Path | None:
    """The ``node_modules`` folder that holds all of a Node.js framework's packages: the one
    ``GRADSPEC_NODE_MODULES`` names, else the nearest ``node_modules`` from the working directory
    up, else a gradspec checkout's own (``npm ci`` there)."""
    named = os.environ.get("GRADSPEC_NODE_MODULES")
    if named:
        places = [Path(named)]
    else:
        here = Path.cwd().resolve()
        places = [d / "node_modules" for d in (here, *here.parents)]
        places.append(Path(__file__).resolve().parents[1] / "node_modules")
    for place in places:
        if all((place / name / "package.json").is_file() for name in framework.distributions):
            return place.resolve()
    return None


def trajectory_request(rule: str, case: Case) -> dict[str, Any]:
    """An optimizer case as the arguments of protocol v1's ``trajectory`` op."""
    from .protocol import encode

    hyperparameters = {name: case[name] for name in RULES[rule].hyperparameters}
    return encode({"rule": rule, "w": case["w"], "grads": case["grads"], "learning_rate": case["learning_rates"],
                   **hyperparameters})


class TrajectoryCaller:
    """``caller(rule, case)`` over a protocol v1 client (an :class:`~gradspec.conformance.exec.ExecClient`):
    the parameters after each step, as the Python adapters return them."""

    record: list | None = None  # what engine.search records calls into (nothing to record here)

    def __init__(self, client: Any) -> None:
        self.client = client

    def __call__(self, rule: str, case: Case) -> list[np.ndarray]:
        from .protocol import decode

        result = self.client.call("trajectory", trajectory_request(rule, case))
        try:
            return decode(result)["w"]
        except (KeyError, TypeError, ValueError) as exc:
            from .target import TargetError

            raise TargetError(f"answered trajectory with something that is not {{\"w\": [arrays]}} ({exc})") from None


def missing_requirements(framework: Framework) -> str | None:
    """A message naming what to install when a framework's packages are absent."""
    if framework.runtime == "node":
        if shutil.which("node") is None:
            return f"verifying {framework.name} needs Node.js (node on PATH), which is not installed"
        if node_modules(framework) is None:
            names = " and ".join(framework.distributions)
            where = (f"in GRADSPEC_NODE_MODULES ({os.environ['GRADSPEC_NODE_MODULES']})"
                     if os.environ.get("GRADSPEC_NODE_MODULES") else "in any node_modules folder from here up")
            return f"verifying {framework.name} needs {names}, which are not {where}: {framework.install_note}"
        return None
    absent = [name for name in framework.distributions if importlib.util.find_spec(name) is None]
    if not absent:
        return None
    note = f" ({framework.install_note})" if framework.install_note else ""
    names = " and ".join(absent)
    return (f"verifying {framework.name} needs {names}, which {'is' if len(absent) == 1 else 'are'} not "
            f"installed: pip install 'gradspec[{framework.extra}]'{note}")


def versions(framework: Framework) -> dict[str, str]:
    """The installed versions of the framework's packages."""
    if framework.runtime == "node":
        place = node_modules(framework)
        assert place is not None, "missing_requirements is checked first"
        return {name: json.loads((place / name / "package.json").read_text(encoding="utf-8"))["version"]
                for name in framework.distributions}
    return {name: importlib.metadata.version(name) for name in framework.distributions}


# --- the verdict table ------------------------------------------------------------------------------

def _values(value: Any) -> str:
    """A trajectory of one-element arrays, or a list of scalars, as ``a, b, c``."""
    numbers = [float(np.asarray(v["array"] if isinstance(v, dict) else v).ravel()[0]) for v in value]
    return ", ".join(f"{x:.10g}" for x in numbers)


def _case_text(case: Mapping[str, Any]) -> str:
    parts = []
    for key, value in case.items():
        if key in ("w", "grads", "thetas"):
            value = _values(value if isinstance(value, list) else [value])
            parts.append(f"{key} = {value}" if key == "w" else f"{key} = [{value}]")
        elif isinstance(value, list):
            parts.append(f"{key} = [{', '.join(f'{x:g}' for x in value)}]")
        else:
            parts.append(f"{key} = {value:g}")
    return ", ".join(parts)


def _counterexample(entry: Mapping[str, Any]) -> dict[str, Any] | None:
    """A failing object's minimal counterexample from its report: the case, where it differs, and
    the declared dialect's value against the object's."""
    for check in entry["checks"]:
        found = check.get("counterexample")
        if found:
            return {"case": found["args"][0], "path": found["path"], "expected": found["expected"],
                    "actual": found["actual"]}
    return None


def verdicts(reports: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The verdicts the site shows (``docs/data/frameworks.json``), from ``gradspec verify FRAMEWORK
    --json`` reports: per framework its versions, per object the rule, the declared dialect, the
    dialects measured, the status, and its first probe (the case and what the object returned).
    Only what the same frameworks give again on another machine: no timings, no paths."""
    import platform

    from gradspec import __version__

    objects = {o.name: o for f in FRAMEWORKS.values() for o in f.objects}
    profiles = sorted({r["profile"] for r in reports})
    frameworks = []
    for report in reports:
        entries = []
        for entry in report["functions"]:
            probes = [probe for check in entry["checks"] for probe in check.get("probes") or ()]
            obj = objects[entry["name"]]
            entries.append({"name": entry["name"], "rule": entry["rule"], "declared": obj.declared,
                            **({"base": f"{RULES[obj.rule].base}/{obj.base}"} if obj.base else {}),
                            "matched": [d.split("/", 1)[1] for d in entry["dialects"]], "status": entry["status"],
                            "probe": probes[0] if probes else None,
                            **({"counterexample": _counterexample(entry)} if entry["status"] == "fail" else {})})
        # Without the local label: PyTorch's CPU wheel is "2.13.0+cpu" from its own index, "2.13.0" from PyPI,
        # and both compute the same on the CPU.
        versions = {name: version.split("+", 1)[0] for name, version in report.get("versions", {}).items()}
        frameworks.append({"name": report["target"], "versions": versions, "objects": entries})
    return {"environment": {"gradspec": __version__, "python": platform.python_version(),
                            "numpy": importlib.metadata.version("numpy")},
            "profile": ", ".join(profiles) or "-", "frameworks": frameworks}


def table(data: Mapping[str, Any]) -> str:
    """The framework x rule -> dialect table (Markdown) from :func:`verdicts`' data, with the source
    each declared dialect comes from, and each rule's probe: what every dialect gives on it and what
    each object gave."""
    objects = {o.name: o for f in FRAMEWORKS.values() for o in f.objects}
    lines = ["| framework | object | rule | declared | matched | verdict |", "|---|---|---|---|---|---|"]
    measured: dict[str, list[tuple[str, Any]]] = {}
    for framework in data["frameworks"]:
        for entry in framework["objects"]:
            matched = ", ".join(entry["matched"]) or ("none" if entry["declared"] else "-")
            rule = f"{entry['rule']} over {entry['base']}" if entry.get("base") else entry["rule"]
            lines.append(f"| {framework['name']} | `{entry['name']}` | {rule} | {entry['declared'] or '-'} | "
                         f"{matched} | {entry['status']} |")
            if entry["probe"] is not None:
                measured.setdefault(entry["rule"], []).append((entry["name"], entry["probe"].get("result")))
    header = "; ".join(f"{f['name']}: " + ", ".join(f"{k} {v}" for k, v in f["versions"].items())
                       for f in data["frameworks"])
    out = [f"Measured on {header} (profile {data['profile']}).", "", *lines, "",
           "Sources the declared dialects come from:", ""]
    out += [f"- `{entry['name']}`: {objects[entry['name']].source}"
            for framework in data["frameworks"] for entry in framework["objects"]]
    failing = [entry for framework in data["frameworks"] for entry in framework["objects"] if entry["status"] != "pass"]
    if failing:
        out += ["", "Where an object departs from its declared dialect:", ""]
    for entry in failing:
        found = entry.get("counterexample")
        why = objects[entry["name"]].finding or "not explained yet"
        line = f"- `{entry['name']}` (declared {entry['declared']}): {why}."
        if found:
            line += (f" The smallest case found: {_case_text(found['case'])}; at {found['path']} the dialect gives "
                     f"{_values([found['expected']])}, the object {_values([found['actual']])}.")
        out.append(line)
    for rule_id, rule in RULES.items():
        if rule_id not in measured:
            continue
        case = rule.probes[0]
        names = dialect_names(rule.spec_rule)  # canonical first
        # One block per base dialect the objects compute (weight decay over Adam, over Keras's eps-hat Adam...).
        bases = list(dict.fromkeys(objects[name].base for name, _ in measured[rule_id]))
        for base in bases:
            over = f" over {rule.base}/{base}" if base else (f" over {rule.base}'s canonical form" if rule.base else "")
            out += ["", f"**{rule_id}**{over} probe: {_case_text(case)}", "", "| | result |", "|---|---|"]
            expected = functools.partial(rule.expected, base=base) if base else rule.expected
            for name in names:
                out.append(f"| dialect {name} | {_values(expected(case, name))} |")
            if not names:
                out.append(f"| the spec | {_values(expected(case, None))} |")
            for name, result in measured[rule_id]:
                if objects[name].base == base:
                    out.append(f"| `{name}` | {_values(result) if result is not None else 'error'} |")
    return "\n".join(out) + "\n"


def unexpected(report: Mapping[str, Any]) -> list[str]:
    """The objects in a ``gradspec verify FRAMEWORK --json`` report whose verdict is not the expected
    one: ``pass``, or ``fail`` for an object with a :attr:`FrameworkObject.finding`."""
    objects = {o.name: o for f in FRAMEWORKS.values() for o in f.objects}
    out = []
    for entry in report["functions"]:
        wanted = "fail" if objects[entry["name"]].finding else "pass"
        if entry["status"] != wanted:
            out.append(f"{entry['name']}: {entry['status']}, where {wanted} is expected")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m gradspec.conformance.frameworks REPORT.json ... -o VERDICTS.json [--table TABLE.md]``,
    or ``... --expected REPORT.json ...``: exit status 1 if an object's verdict is not the expected one."""
    import argparse
    import json
    import sys
    from pathlib import Path

    parser = argparse.ArgumentParser(prog="python -m gradspec.conformance.frameworks",
                                     description="Write the frameworks' verdicts (JSON, the site's data) from "
                                                 "verify --json reports, or check them (--expected).")
    parser.add_argument("reports", nargs="+", metavar="REPORT.json")
    parser.add_argument("-o", "--output", metavar="PATH", help="write the verdicts' JSON here")
    parser.add_argument("--table", metavar="PATH", help="also write the Markdown verdict table here")
    parser.add_argument("--expected", action="store_true",
                        help="check that every object passes, except those with a documented finding, which fail")
    args = parser.parse_args(argv)
    reports = [json.loads(Path(p).read_text(encoding="utf-8")) for p in args.reports]
    if args.expected:
        problems = [line for report in reports for line in unexpected(report)]
        for line in problems:
            print(f"unexpected verdict: {line}", file=sys.stderr)
        return 1 if problems else 0
    if not args.output:
        parser.error("name the verdicts' file with -o (or pass --expected to check the reports)")
    data = verdicts(reports)
    Path(args.output).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    if args.table:
        Path(args.table).write_text(table(data), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
