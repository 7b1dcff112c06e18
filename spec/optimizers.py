"""Update rules: gradient descent, momentum, RMSProp and Adam, one array at a time
(seeds 000 §Deep Learning Optimizers, 001 §1-4, 002 §2.2.3-2.2.5, 003, 004), and beyond the
course the variants the frameworks differ on: weight decay, AMSGrad, Nesterov momentum,
centered RMSProp, RMSProp with momentum and Adagrad.

Each rule is a sequence of steps; each step is a formula. Where the seeds (or the
frameworks) disagree, the step has several *dialects*, one of them canonical.
"""

from __future__ import annotations

import sympy as sp

from . import averages
from ._model import Dialect, Formula, Identity, Source

__all__ = ["DIALECTS", "FORMULAS", "IDENTITIES"]

w = sp.Symbol("w", real=True)
g = sp.Symbol("g", real=True)
v = sp.Symbol("v", real=True)
s = sp.Symbol("s", nonnegative=True)
v_hat = sp.Symbol("v_hat", real=True)
s_hat = sp.Symbol("s_hat", nonnegative=True)
learning_rate = sp.Symbol("learning_rate", nonnegative=True)
beta = sp.Symbol("beta", nonnegative=True)
beta1 = sp.Symbol("beta1", nonnegative=True)
beta2 = sp.Symbol("beta2", nonnegative=True)
epsilon = sp.Symbol("epsilon", positive=True)
t = sp.Symbol("t", positive=True, integer=True)
weight_decay = sp.Symbol("weight_decay", nonnegative=True)
w_step = sp.Symbol("w_step", real=True)  # a rule's own step from w: w - alpha u, u its direction
schedule_multiplier = sp.Symbol("schedule_multiplier", nonnegative=True)
s_max = sp.Symbol("s_max", nonnegative=True)
s_hat_max = sp.Symbol("s_hat_max", nonnegative=True)
g_bar = sp.Symbol("g_bar", real=True)
variance = sp.Symbol("variance", nonnegative=True)

S000_GD = Source("000", "Hands-on examples: update_parameters_with_gd")
S001_GD = Source("001", "1 - Gradient Descent")
S000_MOM = Source("000", "Gradient Descent With Momentum: the momentum update rule")
S001_MOM = Source("001", "3 - Momentum")
S004_MOM = Source("004", "Gradient Descent with momentum: Implementation details")
S000_RMS = Source("000", "Root Mean Squared Propagation, or RMSProp")
S002_RMS = Source("002", "2.2.4 RMSprop")
S003_RMS = Source("003", "RMSprop")
S000_ADAM = Source("000", "Adam Optimization: update rule and update_parameters_with_adam")
S001_ADAM = Source("001", "4 - Adam")
S002_ADAM = Source("002", "2.2.5 Adam")
S003_ADAM = Source("003", "Adam optimization algorithm")
S004_ADAM = Source("004", "Adam optimization algorithm")
PAPER = Source("Kingma & Ba 2015", "Algorithm 1 and the paragraph after it (arXiv:1412.6980)")
TORCH_SGD = Source("PyTorch 2.13", "torch/optim/sgd.py, _single_tensor_sgd: the first step sets buf = "
                                   "grad.detach().clone(); later steps buf.mul_(momentum).add_(grad, "
                                   "alpha=1 - dampening)")
KERAS_SGD = Source("Keras 3", "keras/src/optimizers/sgd.py, SGD.update_step: m = m * momentum - gradient * "
                              "learning_rate; variable += m")
SUTSKEVER = Source("Sutskever et al. 2013", "On the importance of initialization and momentum in deep "
                                            "learning, eq. (1): v = mu v - eps grad; theta = theta + v")
S003_WD = Source("003", "Regularization (weight decay): W = (1 - alpha lambda / m) W - alpha backprop")
TORCH_ADAM_L2 = Source("PyTorch 2.13", "torch/optim/adam.py, _single_tensor_adam: grad = grad.add(param, "
                                       "alpha=weight_decay) (likewise sgd.py, adagrad.py, rmsprop.py)")
TORCH_ADAMW = Source("PyTorch 2.13", "torch/optim/adam.py, _single_tensor_adam with decoupled_weight_decay "
                                     "(AdamW): param.mul_(1 - lr * weight_decay), before the step")
OPTAX_ADAMW = Source("Optax 0.2.8", "optax/_src/alias.py, adamw: chain(scale_by_adam, add_decayed_weights, "
                                    "scale_by_learning_rate); its docstring: the decay is multiplied with the "
                                    "learning rate, unlike the paper")
KERAS_WD = Source("Keras 3", "keras/src/optimizers/base_optimizer.py, _apply_weight_decay: variable.assign("
                             "variable - variable * wd * lr), before update_step, for every optimizer")
ADAMW_PAPER = Source("Loshchilov & Hutter 2019", "Decoupled Weight Decay Regularization, Algorithm 2: "
                                                 "theta = theta - eta_t (alpha m_hat / (sqrt(v_hat) + eps) + "
                                                 "lambda theta) (arXiv:1711.05101)")
AMSGRAD_PAPER = Source("Reddi et al. 2018", "On the Convergence of Adam and Beyond, Algorithm 2: "
                                            "v_hat = max(v_hat, v) over the uncorrected v (ICLR 2018)")
TORCH_AMSGRAD = Source("PyTorch 2.13", "torch/optim/adam.py, _single_tensor_adam with amsgrad: torch.maximum("
                                       "max_exp_avg_sqs[i], exp_avg_sq), then denom = (max_exp_avg_sqs[i].sqrt() "
                                       "/ bias_correction2_sqrt).add_(eps)")
KERAS_AMSGRAD = Source("Keras 3", "keras/src/optimizers/adam.py, Adam.update_step with amsgrad: v_hat = "
                                  "maximum(v_hat, v), on the uncorrected v")
OPTAX_AMSGRAD = Source("Optax 0.2.8", "optax/_src/transform.py, scale_by_amsgrad: nu_max = maximum(nu_max, "
                                      "nu_hat), the max of the bias-corrected nu (bias_correction_nu=True)")
TORCH_NESTEROV = Source("PyTorch 2.13", "torch/optim/sgd.py, _single_tensor_sgd with nesterov: buf.mul_("
                                        "momentum).add_(grad); grad = grad.add(buf, alpha=momentum); "
                                        "param.add_(grad, alpha=-lr)")
KERAS_NESTEROV = Source("Keras 3", "keras/src/optimizers/sgd.py, SGD.update_step with nesterov: m = m * "
                                   "momentum - gradient * learning_rate; variable += m * momentum - gradient "
                                   "* learning_rate")
TORCH_CENTERED = Source("PyTorch 2.13", "torch/optim/rmsprop.py, _single_tensor_rmsprop with centered: avg = "
                                        "square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_(), then "
                                        "avg.add_(eps)")
OPTAX_CENTERED = Source("Optax 0.2.8", "optax/_src/transform.py, scale_by_stddev: updates * rsqrt(nu - "
                                       "mu**2 + eps), eps_in_sqrt=True by default")
KERAS_CENTERED = Source("Keras 3", "keras/src/optimizers/rmsprop.py, RMSprop.update_step with centered: "
                                   "denominator = velocity - square(average_grad) + epsilon; "
                                   "increment = lr * gradient / sqrt(denominator)")
TFJS_CENTERED = Source("TensorFlow.js 4.22", "tfjs-core/src/optimizers/rmsprop_optimizer.ts, "
                                             "RMSPropOptimizer.applyGradients with centered: sqrt(sub("
                                             "newAccumulatedMeanSquare, add(square(newAccumulatedMeanGrad), "
                                             "epsilon))): epsilon subtracted")
TORCH_RMS_MOMENTUM = Source("PyTorch 2.13", "torch/optim/rmsprop.py, _single_tensor_rmsprop with momentum: "
                                            "buf.mul_(momentum).addcdiv_(grad, avg); param.add_(buf, alpha=-lr)")
OPTAX_RMS_MOMENTUM = Source("Optax 0.2.8", "optax/_src/alias.py, rmsprop: chain(scale_by_rms, "
                                           "scale_by_learning_rate, trace(decay=momentum)): the buffer is kept "
                                           "after the learning rate")
KERAS_RMS_MOMENTUM = Source("Keras 3", "keras/src/optimizers/rmsprop.py, RMSprop.update_step with momentum: "
                                       "increment = lr * gradient / sqrt(velocity + epsilon); momentum = "
                                       "momentum * self.momentum + increment; variable -= momentum")
TFJS_RMS_MOMENTUM = Source("TensorFlow.js 4.22", "tfjs-core/src/optimizers/rmsprop_optimizer.ts, "
                                                 "RMSPropOptimizer.applyGradients: newAccumulatedMoments = momentum "
                                                 "* moments + gradient * learningRate / sqrt(meanSquare + epsilon)")
DUCHI = Source("Duchi, Hazan & Singer 2011", "Adaptive Subgradient Methods, the diagonal update: "
                                             "x = x - eta diag(delta I + diag(G_t)^(1/2))^(-1) g, G_t the sum of the "
                                             "squared gradients from 0 (JMLR 12)")
TORCH_ADAGRAD = Source("PyTorch 2.13", "torch/optim/adagrad.py, _single_tensor_adagrad: state_sum.addcmul_(grad, "
                                       "grad, value=1); std = state_sum.sqrt().add_(eps); param.addcdiv_(grad, std, "
                                       "value=-clr); initial_accumulator_value=0")
OPTAX_ADAGRAD = Source("Optax 0.2.8", "optax/_src/transform.py, scale_by_rss: sum_of_squares + g**2; "
                                      "rsqrt(t + eps), eps inside the root; alias.adagrad "
                                      "initial_accumulator_value=0.1")
KERAS_ADAGRAD = Source("Keras 3", "keras/src/optimizers/adagrad.py, Adagrad.update_step: accumulator += "
                                  "square(gradient); lr * gradient / sqrt(accumulator + epsilon); "
                                  "initial_accumulator_value=0.1")
TFJS_ADAGRAD = Source("TensorFlow.js 4.22", "tfjs-core/src/optimizers/adagrad_optimizer.ts, "
                                            "AdagradOptimizer.applyGradients: gradient / sqrt(newAccumulatedGrad + "
                                            "epsilon), initialAccumulatorValue = 0.1")


def _f(name: str, lhs: str, expr: sp.Expr, args: tuple[sp.Symbol, ...],
       sources: tuple[Source, ...], note: str = "") -> Formula:
    return Formula(name, lhs, expr, args, sources, kernel=name, note=note)


def _ewa(name: str, lhs: str, state: sp.Symbol, signal: sp.Expr, decay: sp.Symbol,
         sources: tuple[Source, ...], note: str) -> Formula:
    """The exponentially weighted average of ``signal`` with ``decay``, as a named step."""
    a = averages
    expr = a.ewa_step.subs({a.v: state, a.theta: signal, a.beta: decay}, simultaneous=True)
    return Formula(name, lhs, expr, (state, g, decay), sources, note=note,
                   specializes=a.EWA_STEP)


def _corrected(name: str, lhs: str, state: sp.Symbol, decay: sp.Symbol,
               sources: tuple[Source, ...]) -> Formula:
    """The bias-corrected ``state``, as a named step."""
    a = averages
    expr = a.bias_correction.subs({a.v: state, a.beta: decay}, simultaneous=True)
    return Formula(name, lhs, expr, (state, decay, t), sources, specializes=a.BIAS_CORRECTION)


# --- gradient descent ---------------------------------------------------------------------
gd = _f("gd_update", "w'", w - learning_rate * g, (w, g, learning_rate), (S000_GD, S001_GD))

# --- momentum -----------------------------------------------------------------------------
momentum_ema = _ewa("momentum_velocity", "v'", v, g, beta, (S000_MOM, S001_MOM, S004_MOM),
                    note=r"From $v = 0$: the exponentially weighted average of the gradients.")
momentum_heavy_ball = _f("momentum_heavy_ball_velocity", "v'", beta * v + g, (v, g, beta),
                         (Source("004", "Implementation details: v_dw = beta v_dw + dW"),))
momentum_update = _f("momentum_update", "w'", w - learning_rate * v, (w, v, learning_rate),
                     (S000_MOM, S001_MOM), note="With the updated velocity.")
# PyTorch's dampened momentum: the buffer is created from the first gradient, undamped.
momentum_first_gradient = _f("momentum_first_gradient_velocity", "v_1", g, (g,), (TORCH_SGD,),
                             note="The first step only; every later step is the EMA.")
# Keras (and Sutskever et al.): the learning rate is folded into the buffer, which is the step.
momentum_lr_inside_velocity = _f("momentum_lr_inside_velocity", "v'", beta * v - learning_rate * g,
                                 (v, g, beta, learning_rate), (KERAS_SGD, SUTSKEVER))
momentum_lr_inside_update = _f("momentum_lr_inside_update", "w'", w + v, (w, v), (KERAS_SGD, SUTSKEVER),
                               note="With the updated velocity, which carries the learning rate.")

# --- RMSProp ------------------------------------------------------------------------------
second_moment = _ewa("second_moment", "s'", s, g**2, beta2, (S000_RMS, S002_RMS, S003_RMS),
                     note=r"From $s = 0$: the average of the squared gradients, $g^2$ elementwise.")
rmsprop_eps_inside = _f("rmsprop_update", "w'", w - learning_rate * g / sp.sqrt(s + epsilon),
                        (w, g, s, learning_rate, epsilon), (S000_RMS, S002_RMS),
                        note="With the updated s.")
rmsprop_eps_outside = _f("rmsprop_eps_outside_update", "w'",
                         w - learning_rate * g / (sp.sqrt(s) + epsilon),
                         (w, g, s, learning_rate, epsilon),
                         (Source("003", "RMSprop: W = W - learning_rate * dw / (sqrt(sdw) + epsilon)"),))

# --- Adam ---------------------------------------------------------------------------------
first_moment = _ewa("first_moment", "v'", v, g, beta1, (S000_ADAM, S001_ADAM),
                    note=r"From $v = 0$: the average of the gradients.")
bias_corrected_first = _corrected("adam_v_hat", r"\hat v", v, beta1, (S000_ADAM, S001_ADAM))
bias_corrected_second = _corrected("adam_s_hat", r"\hat s", s, beta2, (S000_ADAM, S001_ADAM))
adam_eps_outside = _f("adam_update", "w'",
                      w - learning_rate * v_hat / (sp.sqrt(s_hat) + epsilon),
                      (w, v_hat, s_hat, learning_rate, epsilon),
                      (S000_ADAM, S001_ADAM, S003_ADAM, PAPER))
adam_eps_inside = _f("adam_eps_inside_update", "w'",
                     w - learning_rate * v_hat / sp.sqrt(s_hat + epsilon),
                     (w, v_hat, s_hat, learning_rate, epsilon), (S002_ADAM, S004_ADAM))
# The paper's "efficiency" form folds both corrections into the step size and adds its
# epsilon ("epsilon hat") to the uncorrected root; TF1's AdamOptimizer and Keras use it.
adam_eps_hat = _f("adam_eps_hat_update", "w'",
                  w - learning_rate * sp.sqrt(1 - beta2**t) / (1 - beta1**t) * v
                  / (sp.sqrt(s) + epsilon),
                  (w, v, s, t, learning_rate, beta1, beta2, epsilon), (PAPER,),
                  note=r"$\alpha_t = \alpha\sqrt{1-\beta_2^t}/(1-\beta_1^t)$, with the uncorrected $v, s$.")
adam_no_bias_correction = _f("adam_no_bias_correction_update", "w'",
                             w - learning_rate * v / (sp.sqrt(s) + epsilon),
                             (w, v, s, learning_rate, epsilon),
                             (Source("003", "Gradient descent with momentum: 'In practice people don't "
                                            "bother implementing bias correction'"),))

# --- weight decay (beyond the course) ---------------------------------------------------------
# Weight decay either enters the gradient the rule sees, or is applied beside the rule's step
# ("decoupled"): w_step is the rule's own step from w, w - alpha u for a rule with direction u.
weight_decay_l2 = _f("weight_decay_l2_gradient", "g'", g + weight_decay * w, (g, w, weight_decay),
                     (S003_WD, TORCH_ADAM_L2),
                     note="The gradient the rule then runs on: L2 regularization through the optimizer.")
weight_decay_lr_scaled = _f("weight_decay_lr_scaled_update", "w'", w_step - learning_rate * weight_decay * w,
                            (w_step, w, learning_rate, weight_decay), (TORCH_ADAMW, OPTAX_ADAMW, KERAS_WD),
                            note=r"Decoupled: $\tilde w = w - \alpha u$ is the rule's step from the undecayed "
                                 r"gradient, so $w' = w - \alpha(u + \lambda w)$; the decay is scaled by $\alpha$ "
                                 r"(PyTorch and Keras write $w(1 - \alpha\lambda) - \alpha u$).")
weight_decay_paper = _f("weight_decay_paper_update", "w'", w_step - schedule_multiplier * weight_decay * w,
                        (w_step, w, weight_decay, schedule_multiplier), (ADAMW_PAPER,),
                        note=r"Decoupled, with $\tilde w$ the rule's step at the rate $\eta\alpha$, so "
                             r"$w' = w - \eta(\alpha u + \lambda w)$: the decay is scaled by the schedule "
                             r"multiplier $\eta$ and not by $\alpha$, and "
                             r"$\lambda_{\mathrm{paper}} = \alpha\lambda$ at a constant rate.")

# --- AMSGrad (beyond the course) ----------------------------------------------------------------
amsgrad_max_raw = _f("amsgrad_max", r"s_{\max}'", sp.Max(s_max, s), (s_max, s),
                     (AMSGRAD_PAPER, TORCH_AMSGRAD, KERAS_AMSGRAD),
                     note=r"With the updated $s$; Adam then divides by $\sqrt{s_{\max}/(1-\beta_2^t)} + "
                          r"\varepsilon$.")
amsgrad_max_corrected = _f("amsgrad_max_corrected", r"\hat s_{\max}'",
                           sp.Max(s_hat_max, s / (1 - beta2**t)), (s_hat_max, s, beta2, t), (OPTAX_AMSGRAD,),
                           note=r"With the updated $s$; Adam then divides by $\sqrt{\hat s_{\max}} + "
                                r"\varepsilon$.")

# --- Nesterov momentum (beyond the course) ------------------------------------------------------
nesterov_update = _f("nesterov_update", "w'", w - learning_rate * (g + beta * v), (w, g, v, beta, learning_rate),
                     (TORCH_NESTEROV,), note="With the updated heavy-ball velocity, v = beta v + g.")
nesterov_lr_inside_update = _f("nesterov_lr_inside_update", "w'", w + beta * v - learning_rate * g,
                               (w, v, g, beta, learning_rate), (KERAS_NESTEROV,),
                               note="With the updated velocity v = beta v - alpha g, which carries the "
                                    "learning rate.")

# --- centered RMSProp (beyond the course) -------------------------------------------------------
mean_gradient = _ewa("mean_gradient", r"\bar g'", g_bar, g, beta2, (TORCH_CENTERED, OPTAX_CENTERED),
                     note=r"From $\bar g = 0$: the average of the gradients, with RMSProp's $\beta_2$.")
centered_variance = _f("rmsprop_centered_variance", r"\sigma^2", s - g_bar**2, (s, g_bar),
                       (TORCH_CENTERED, OPTAX_CENTERED, KERAS_CENTERED),
                       note=r"With the updated $s$ and $\bar g$: the variance estimate, taken before epsilon "
                            r"is added (epsilon added to $\bar g^2$ first would be lost to rounding).")
centered_eps_inside = _f("rmsprop_centered_update", "w'",
                         w - learning_rate * g / sp.sqrt(variance + epsilon),
                         (w, g, variance, learning_rate, epsilon), (OPTAX_CENTERED, KERAS_CENTERED))
centered_eps_outside = _f("rmsprop_centered_eps_outside_update", "w'",
                          w - learning_rate * g / (sp.sqrt(variance) + epsilon),
                          (w, g, variance, learning_rate, epsilon), (TORCH_CENTERED,))
centered_eps_subtracted = _f("rmsprop_centered_eps_subtracted_update", "w'",
                             w - learning_rate * g / sp.sqrt(variance - epsilon),
                             (w, g, variance, learning_rate, epsilon), (TFJS_CENTERED,),
                             note=r"Not real where $\sigma^2 < \varepsilon$ (a first step with "
                                  r"$|g|$ small): TensorFlow.js returns NaN there.")

# --- RMSProp with momentum (beyond the course) -------------------------------------------------
# The buffer v accumulates RMSProp's scaled gradient; the learning rate multiplies the buffer
# (PyTorch, as in the course's momentum) or is folded into it (Optax, Keras, TensorFlow.js).
rms_momentum_velocity = _f("rmsprop_momentum_velocity", "v'", beta * v + g / sp.sqrt(s + epsilon),
                           (v, g, s, beta, epsilon), (TORCH_RMS_MOMENTUM,),
                           note="With the updated s.")
rms_momentum_eps_outside_velocity = _f("rmsprop_momentum_eps_outside_velocity", "v'",
                                       beta * v + g / (sp.sqrt(s) + epsilon), (v, g, s, beta, epsilon),
                                       (TORCH_RMS_MOMENTUM,))
rms_momentum_lr_inside_velocity = _f("rmsprop_momentum_lr_inside_velocity", "v'",
                                     beta * v + learning_rate * g / sp.sqrt(s + epsilon),
                                     (v, g, s, beta, learning_rate, epsilon),
                                     (OPTAX_RMS_MOMENTUM, KERAS_RMS_MOMENTUM, TFJS_RMS_MOMENTUM))
rms_momentum_eps_outside_lr_inside_velocity = _f(
    "rmsprop_momentum_eps_outside_lr_inside_velocity", "v'",
    beta * v + learning_rate * g / (sp.sqrt(s) + epsilon), (v, g, s, beta, learning_rate, epsilon),
    (OPTAX_RMS_MOMENTUM,), note="Optax's rmsprop with eps_in_sqrt=False and momentum.")
rms_momentum_update = _f("rmsprop_momentum_update", "w'", w - learning_rate * v, (w, v, learning_rate),
                         (TORCH_RMS_MOMENTUM,), note="With the updated buffer.")
rms_momentum_lr_inside_update = _f("rmsprop_momentum_lr_inside_update", "w'", w - v, (w, v),
                                   (KERAS_RMS_MOMENTUM, TFJS_RMS_MOMENTUM),
                                   note="With the updated buffer, which carries the learning rate.")

# --- Adagrad (beyond the course) ------------------------------------------------------------------
adagrad_start = _f("adagrad_start", "s_0", sp.Integer(0), (), (DUCHI, TORCH_ADAGRAD),
                   note="The accumulator before the first step.")
adagrad_start_tenth = _f("adagrad_start_tenth", "s_0", sp.Rational(1, 10), (),
                         (OPTAX_ADAGRAD, KERAS_ADAGRAD, TFJS_ADAGRAD),
                         note="Their initial_accumulator_value default.")
adagrad_accumulator = _f("adagrad_accumulator", "s'", s + g**2, (s, g),
                         (DUCHI, TORCH_ADAGRAD, OPTAX_ADAGRAD, KERAS_ADAGRAD, TFJS_ADAGRAD),
                         note="The sum of the squared gradients, not an average.")
adagrad_eps_outside = _f("adagrad_update", "w'", w - learning_rate * g / (sp.sqrt(s) + epsilon),
                         (w, g, s, learning_rate, epsilon), (DUCHI, TORCH_ADAGRAD), note="With the updated s.")
adagrad_eps_inside = _f("adagrad_eps_inside_update", "w'", w - learning_rate * g / sp.sqrt(s + epsilon),
                        (w, g, s, learning_rate, epsilon), (OPTAX_ADAGRAD, KERAS_ADAGRAD, TFJS_ADAGRAD))

FORMULAS = (
    gd, momentum_ema, momentum_update, second_moment, rmsprop_eps_inside, first_moment,
    bias_corrected_first, bias_corrected_second, adam_eps_outside,
    weight_decay_l2, amsgrad_max_raw, nesterov_update, mean_gradient, centered_variance, centered_eps_inside,
    rms_momentum_velocity, rms_momentum_update, adagrad_start, adagrad_accumulator, adagrad_eps_outside,
)

_CANONICAL_WHY_ADAM = (
    "The seeds' printed arrays (seed 000's Adam test case with epsilon = 1e-2) are reproduced "
    "only with epsilon outside the root; it is also the Adam paper's Algorithm 1 and the "
    "formula seeds 000, 001 and 003 display."
)

DIALECTS = (
    Dialect("adam", "eps-outside", True, "epsilon added to the root of the corrected s",
            {"update": adam_eps_outside}, (S000_ADAM, S001_ADAM, S003_ADAM, PAPER),
            why=_CANONICAL_WHY_ADAM),
    Dialect("adam", "eps-inside", False, "epsilon added to the corrected s under the root",
            {"update": adam_eps_inside}, (S002_ADAM, S004_ADAM)),
    Dialect("adam", "eps-hat", False,
            "the paper's efficiency form: corrections folded into the step size, epsilon on "
            "the uncorrected root", {"update": adam_eps_hat}, (PAPER,),
            also_known_as=("TF1 AdamOptimizer", "Keras Adam")),
    Dialect("adam", "no-bias-correction", False, "v and s used without the 1 - beta^t division",
            {"update": adam_no_bias_correction}, adam_no_bias_correction.sources),
    Dialect("momentum", "ema", True, "v = beta v + (1 - beta) g, an exponentially weighted average",
            {"velocity": momentum_ema}, (S000_MOM, S001_MOM, S004_MOM),
            why="What seeds 000, 001, 002 and 004 write and what their printed arrays require; "
                "with it beta = 0 is gradient descent and the step size does not grow with beta."),
    Dialect("momentum", "heavy-ball", False, "v = beta v + g (no 1 - beta factor)",
            {"velocity": momentum_heavy_ball}, momentum_heavy_ball.sources,
            also_known_as=("PyTorch SGD with dampening 0", "Optax sgd with momentum")),
    Dialect("momentum", "first-gradient", False,
            "the EMA, except that the first velocity is the first gradient itself (v_1 = g_1, no "
            "1 - beta factor)", {"first_velocity": momentum_first_gradient}, (TORCH_SGD,),
            also_known_as=("PyTorch SGD with dampening = momentum",)),
    Dialect("momentum", "lr-inside", False,
            "heavy-ball with the learning rate inside the buffer: v = beta v - alpha g, w = w + v "
            "(heavy-ball while alpha is constant; not once it changes)",
            {"velocity": momentum_lr_inside_velocity, "update": momentum_lr_inside_update},
            (KERAS_SGD, SUTSKEVER), also_known_as=("Keras SGD with momentum",)),
    Dialect("rmsprop", "eps-inside", True, "epsilon added to s under the root",
            {"update": rmsprop_eps_inside}, (S000_RMS, S002_RMS),
            why="What seeds 000 and 002 write in their update rules; seed 003's one line with "
                "epsilon outside is the other dialect."),
    Dialect("rmsprop", "eps-outside", False, "epsilon added to the root of s",
            {"update": rmsprop_eps_outside}, rmsprop_eps_outside.sources),
    Dialect("weight-decay", "l2", True, "lambda w added to the gradient, before the rule",
            {"gradient": weight_decay_l2}, (S003_WD, TORCH_ADAM_L2),
            why="The course's weight decay: seed 003 calls L2 regularization weight decay, and its gradient "
                "adds (lambda/m) W to each gradient before the update (seed 002), which is this with "
                "lambda/m for lambda; it is also what PyTorch's weight_decay argument does in SGD, Adam, "
                "Adagrad and RMSprop.", also_known_as=("L2 regularization", "PyTorch weight_decay")),
    Dialect("weight-decay", "lr-scaled", False,
            "decoupled: w' = w - alpha (u + lambda w), u the rule's direction: the decay scaled by the "
            "learning rate",
            {"update": weight_decay_lr_scaled}, (TORCH_ADAMW, OPTAX_ADAMW, KERAS_WD),
            also_known_as=("PyTorch AdamW", "Optax adamw", "Keras weight_decay")),
    Dialect("weight-decay", "paper", False,
            "decoupled as Loshchilov & Hutter write it: w' = w - eta (alpha u + lambda w), the decay "
            "scaled by the schedule multiplier only", {"update": weight_decay_paper}, (ADAMW_PAPER,)),
    Dialect("amsgrad", "max-raw", True, "the running max of the uncorrected s, bias-corrected after",
            {"max": amsgrad_max_raw}, (AMSGRAD_PAPER, TORCH_AMSGRAD, KERAS_AMSGRAD),
            why="The paper takes the max of the second moment as it is kept, uncorrected; PyTorch and "
                "Keras keep that max and apply Adam's correction to it."),
    Dialect("amsgrad", "max-corrected", False, "the running max of the bias-corrected s",
            {"max": amsgrad_max_corrected}, (OPTAX_AMSGRAD,), also_known_as=("Optax amsgrad",)),
    Dialect("nesterov", "lr-outside", True,
            "v = beta v + g; w' = w - alpha (g + beta v), the learning rate outside the velocity",
            {"velocity": momentum_heavy_ball, "update": nesterov_update}, (TORCH_NESTEROV,),
            why="PyTorch's form, which Optax, TensorFlow.js, tinygrad and MLX also compute: the velocity is "
                "heavy-ball momentum's, and with beta = 0 it is gradient descent.",
            also_known_as=("PyTorch SGD(nesterov=True)",)),
    Dialect("nesterov", "lr-inside", False,
            "v = beta v - alpha g; w' = w + beta v - alpha g, the learning rate inside the velocity "
            "(the same while alpha is constant)",
            {"velocity": momentum_lr_inside_velocity, "update": nesterov_lr_inside_update}, (KERAS_NESTEROV,),
            also_known_as=("Keras SGD(nesterov=True)",)),
    Dialect("rmsprop-centered", "eps-inside", True, "epsilon added under the root, to s - g_bar^2",
            {"update": centered_eps_inside}, (OPTAX_CENTERED, KERAS_CENTERED),
            why="Plain RMSProp's canonical epsilon, inside the root (seeds 000 and 002), with s replaced by "
                "the variance s - g_bar^2; Optax and Keras compute it."),
    Dialect("rmsprop-centered", "eps-outside", False, "epsilon added to the root of s - g_bar^2",
            {"update": centered_eps_outside}, (TORCH_CENTERED,), also_known_as=("PyTorch RMSprop(centered=True)",)),
    Dialect("rmsprop-centered", "eps-subtracted", False,
            "epsilon subtracted under the root: sqrt(s - g_bar^2 - epsilon)",
            {"update": centered_eps_subtracted}, (TFJS_CENTERED,),
            also_known_as=("TensorFlow.js rmsprop(centered=true)",)),
    Dialect("rmsprop-momentum", "eps-inside", True,
            "v = beta v + g / sqrt(s + epsilon); w' = w - alpha v: epsilon under the root, the learning rate "
            "outside the buffer", {"velocity": rms_momentum_velocity, "update": rms_momentum_update},
            (TORCH_RMS_MOMENTUM,),
            why="RMSProp's canonical epsilon, under the root (seeds 000 and 002), with the learning rate "
                "multiplying the buffer as in the course's momentum (w = w - alpha v) and Nesterov's canonical "
                "form; PyTorch keeps the buffer so, with epsilon outside."),
    Dialect("rmsprop-momentum", "eps-outside", False,
            "v = beta v + g / (sqrt(s) + epsilon); w' = w - alpha v",
            {"velocity": rms_momentum_eps_outside_velocity, "update": rms_momentum_update}, (TORCH_RMS_MOMENTUM,),
            also_known_as=("PyTorch RMSprop(momentum=...)",)),
    Dialect("rmsprop-momentum", "eps-inside-lr-inside", False,
            "v = beta v + alpha g / sqrt(s + epsilon); w' = w - v: the learning rate inside the buffer (the "
            "same while alpha is constant)",
            {"velocity": rms_momentum_lr_inside_velocity, "update": rms_momentum_lr_inside_update},
            (OPTAX_RMS_MOMENTUM, KERAS_RMS_MOMENTUM, TFJS_RMS_MOMENTUM),
            also_known_as=("Optax rmsprop(momentum=...)", "Keras RMSprop(momentum=...)",
                           "TensorFlow.js rmsprop")),
    Dialect("rmsprop-momentum", "eps-outside-lr-inside", False,
            "v = beta v + alpha g / (sqrt(s) + epsilon); w' = w - v",
            {"velocity": rms_momentum_eps_outside_lr_inside_velocity, "update": rms_momentum_lr_inside_update},
            (OPTAX_RMS_MOMENTUM,), also_known_as=("Optax rmsprop(eps_in_sqrt=False, momentum=...)",)),
    Dialect("adagrad", "eps-outside", True, "s from 0; w' = w - alpha g / (sqrt(s) + epsilon)",
            {"start": adagrad_start, "update": adagrad_eps_outside}, (DUCHI, TORCH_ADAGRAD),
            why="The paper's diagonal Adagrad: the squared gradients summed from 0 and delta added to their "
                "root; PyTorch's defaults and MLX's Adagrad.", also_known_as=("PyTorch Adagrad", "MLX Adagrad")),
    Dialect("adagrad", "eps-inside", False, "s from 0; w' = w - alpha g / sqrt(s + epsilon)",
            {"start": adagrad_start, "update": adagrad_eps_inside}, (OPTAX_ADAGRAD, KERAS_ADAGRAD)),
    Dialect("adagrad", "start-tenth-eps-outside", False, "s from 0.1; w' = w - alpha g / (sqrt(s) + epsilon)",
            {"start": adagrad_start_tenth, "update": adagrad_eps_outside}, (TORCH_ADAGRAD, OPTAX_ADAGRAD),
            also_known_as=("PyTorch Adagrad(initial_accumulator_value=0.1)",)),
    Dialect("adagrad", "start-tenth-eps-inside", False, "s from 0.1; w' = w - alpha g / sqrt(s + epsilon)",
            {"start": adagrad_start_tenth, "update": adagrad_eps_inside},
            (OPTAX_ADAGRAD, KERAS_ADAGRAD, TFJS_ADAGRAD),
            also_known_as=("Optax adagrad", "Keras Adagrad", "TensorFlow.js adagrad")),
)

# --- identities the tests prove -------------------------------------------------------------
_first_step = {v: 0, s: 0, t: 1}
_v1 = bias_corrected_first.expr.subs(v, first_moment.expr).subs(_first_step)
_s1 = bias_corrected_second.expr.subs(s, second_moment.expr).subs(_first_step)
_adam_corrected = adam_eps_outside.expr.subs({
    v_hat: bias_corrected_first.expr.subs(v, first_moment.expr),
    s_hat: bias_corrected_second.expr.subs(s, second_moment.expr),
})
_v_new, _s_new = sp.symbols("v_new s_new", positive=True)
_q = sp.Symbol("q", positive=True)  # 1 - beta2^t, positive on the domain 0 <= beta2 < 1
_u = sp.Symbol("u", real=True)  # a rule's direction

IDENTITIES = (
    Identity("momentum with beta = 0 is GD",
             r"\beta = 0:\; w - \alpha\,(\beta v + (1-\beta) g) = w - \alpha g",
             momentum_update.expr.subs(v, momentum_ema.expr).subs(beta, 0), gd.expr),
    Identity("first-gradient's first velocity is the EMA started from v = g",
             r"\beta g + (1-\beta) g = g", momentum_ema.expr.subs(v, g), momentum_first_gradient.expr),
    Identity("lr-inside is heavy-ball with the buffer scaled by -alpha (alpha constant)",
             r"v = -\alpha u:\; w + (\beta v - \alpha g) = w - \alpha(\beta u + g)",
             momentum_lr_inside_update.expr.subs(v, momentum_lr_inside_velocity.expr.subs(v, -learning_rate * v)),
             momentum_update.expr.subs(v, momentum_heavy_ball.expr)),
    Identity("heavy-ball with beta = 0 is GD", r"\beta = 0:\; w - \alpha(\beta v + g) = w - \alpha g",
             momentum_update.expr.subs(v, momentum_heavy_ball.expr).subs(beta, 0), gd.expr),
    Identity("Adam's first corrected moment is g", r"t = 1:\; \hat v = g", _v1, g),
    Identity("Adam's first corrected second moment is g^2", r"t = 1:\; \hat s = g^2", _s1, g**2),
    Identity("RMSProp with beta2 = 0", r"\beta_2 = 0:\; w' = w - \alpha\,g/\sqrt{g^2 + \varepsilon}",
             rmsprop_eps_inside.expr.subs(s, second_moment.expr).subs(beta2, 0),
             w - learning_rate * g / sp.sqrt(g**2 + epsilon)),
    Identity("Adam with beta1 = 0 is bias-corrected RMSProp (eps outside)",
             r"\beta_1 = 0:\; \text{Adam} = w - \alpha\,g/(\sqrt{\hat s} + \varepsilon)",
             _adam_corrected.subs(beta1, 0),
             rmsprop_eps_outside.expr.subs(s, bias_corrected_second.expr.subs(s, second_moment.expr))),
    Identity("eps-hat is eps-outside with a rescaled epsilon",
             r"\hat\varepsilon = \varepsilon\sqrt{1-\beta_2^t}:\; \text{eps-hat} = \text{eps-outside}",
             adam_eps_hat.expr.subs({v: _v_new, s: _s_new})
             .subs(epsilon, epsilon * sp.sqrt(1 - beta2**t)).subs(beta2**t, 1 - _q),
             adam_eps_outside.expr.subs({v_hat: _v_new / (1 - beta1**t), s_hat: _s_new / (1 - beta2**t)})
             .subs(beta2**t, 1 - _q)),
    # beyond the course
    Identity("weight decay 0 leaves the gradient alone (l2)", r"\lambda = 0:\; g + \lambda w = g",
             weight_decay_l2.expr.subs(weight_decay, 0), g),
    Identity("weight decay 0 is the rule's own step (lr-scaled)",
             r"\lambda = 0:\; \tilde w - \alpha\lambda w = \tilde w", weight_decay_lr_scaled.expr.subs(weight_decay, 0),
             w_step),
    Identity("weight decay 0 is the rule's own step (paper)", r"\lambda = 0:\; \tilde w - \eta\lambda w = \tilde w",
             weight_decay_paper.expr.subs(weight_decay, 0), w_step),
    Identity("l2 and lr-scaled weight decay agree for gradient descent",
             r"w - \alpha(g + \lambda w) = (w - \alpha g) - \alpha\lambda w",
             gd.expr.subs(g, weight_decay_l2.expr), weight_decay_lr_scaled.expr.subs(w_step, gd.expr)),
    Identity("the paper's decay at multiplier 1 is lr-scaled decay with lambda_paper = alpha lambda",
             r"\eta = 1,\ \lambda_{\mathrm{paper}} = \alpha\lambda:\; \tilde w - \eta\lambda_{\mathrm{paper}} w = "
             r"\tilde w - \alpha\lambda w",
             weight_decay_paper.expr.subs({schedule_multiplier: 1, weight_decay: learning_rate * weight_decay}),
             weight_decay_lr_scaled.expr),
    Identity("lr-scaled decay is w - alpha (u + lambda w) for a rule with direction u",
             r"\tilde w = w - \alpha u:\; \tilde w - \alpha\lambda w = w - \alpha(u + \lambda w)",
             weight_decay_lr_scaled.expr.subs(w_step, w - learning_rate * _u),
             w - learning_rate * (_u + weight_decay * w)),
    Identity("AMSGrad's first max is the first second moment (max-raw)", r"s_{\max} = 0:\; \max(0, s) = s",
             amsgrad_max_raw.expr.subs(s_max, 0), s),
    Identity("AMSGrad's first max is Adam's corrected second moment (max-corrected)",
             r"\hat s_{\max} = 0:\; \max(0, s/(1-\beta_2^t)) = s/(1-\beta_2^t)",
             amsgrad_max_corrected.expr.subs(s_hat_max, 0).subs(beta2**t, 1 - _q), s / _q),
    Identity("Nesterov with beta = 0 is GD", r"\beta = 0:\; w - \alpha(g + \beta v) = w - \alpha g",
             nesterov_update.expr.subs(beta, 0), gd.expr),
    Identity("Nesterov lr-inside with beta = 0 is GD", r"\beta = 0:\; w + \beta v - \alpha g = w - \alpha g",
             nesterov_lr_inside_update.expr.subs(beta, 0), gd.expr),
    Identity("Nesterov lr-inside is lr-outside with the velocity scaled by -alpha (alpha constant)",
             r"v = -\alpha b:\; w + \beta(\beta v - \alpha g) - \alpha g = w - \alpha(g + \beta(\beta b + g))",
             nesterov_lr_inside_update.expr.subs(v, momentum_lr_inside_velocity.expr.subs(v, -learning_rate * v)),
             nesterov_update.expr.subs(v, momentum_heavy_ball.expr)),
    Identity("centered RMSProp with a zero mean gradient is RMSProp (eps inside)",
             r"\bar g = 0:\; w - \alpha g/\sqrt{s - \bar g^2 + \varepsilon} = w - \alpha g/\sqrt{s + \varepsilon}",
             centered_eps_inside.expr.subs(variance, centered_variance.expr).subs(g_bar, 0), rmsprop_eps_inside.expr),
    Identity("centered RMSProp with a zero mean gradient is RMSProp (eps outside)",
             r"\bar g = 0:\; w - \alpha g/(\sqrt{s - \bar g^2} + \varepsilon) = w - \alpha g/(\sqrt{s} + \varepsilon)",
             centered_eps_outside.expr.subs(variance, centered_variance.expr).subs(g_bar, 0),
             rmsprop_eps_outside.expr),
    Identity("RMSProp with momentum and beta = 0 is RMSProp (eps inside)",
             r"\beta = 0:\; w - \alpha(\beta v + g/\sqrt{s + \varepsilon}) = w - \alpha g/\sqrt{s + \varepsilon}",
             rms_momentum_update.expr.subs(v, rms_momentum_velocity.expr).subs(beta, 0), rmsprop_eps_inside.expr),
    Identity("RMSProp with momentum and beta = 0 is RMSProp (eps outside)",
             r"\beta = 0:\; w - \alpha(\beta v + g/(\sqrt{s} + \varepsilon)) = w - \alpha g/(\sqrt{s} + \varepsilon)",
             rms_momentum_update.expr.subs(v, rms_momentum_eps_outside_velocity.expr).subs(beta, 0),
             rmsprop_eps_outside.expr),
    Identity("RMSProp momentum lr-inside is lr-outside with the buffer scaled by alpha (alpha constant)",
             r"v = \alpha b:\; w - (\beta v + \alpha g/\sqrt{s+\varepsilon}) = "
             r"w - \alpha(\beta b + g/\sqrt{s+\varepsilon})",
             rms_momentum_lr_inside_update.expr.subs(
                 v, rms_momentum_lr_inside_velocity.expr.subs(v, learning_rate * v)),
             rms_momentum_update.expr.subs(v, rms_momentum_velocity.expr)),
    Identity("Adagrad's first step is a sign step, less epsilon (eps outside, from 0)",
             r"s = 0:\; w - \alpha g/(\sqrt{0 + g^2} + \varepsilon) = w - \alpha g/(|g| + \varepsilon)",
             adagrad_eps_outside.expr.subs(s, adagrad_accumulator.expr.subs(s, adagrad_start.expr)),
             w - learning_rate * g / (sp.Abs(g) + epsilon)),
    Identity("Adagrad's first step from 0.1 (eps inside)",
             r"s = 0.1:\; w - \alpha g/\sqrt{0.1 + g^2 + \varepsilon}",
             adagrad_eps_inside.expr.subs(s, adagrad_accumulator.expr.subs(s, adagrad_start_tenth.expr)),
             w - learning_rate * g / sp.sqrt(g**2 + sp.Rational(1, 10) + epsilon)),
    Identity("Adagrad with epsilon inside is RMSProp's update on the sum instead of the average",
             r"w - \alpha g/\sqrt{s + \varepsilon}", adagrad_eps_inside.expr, rmsprop_eps_inside.expr),
)
