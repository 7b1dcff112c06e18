"""NumPy kernels generated from gradspec.spec. Do not edit.

Regenerate with ``python -m gradspec.spec.codegen``; the tests fail when this file
and the spec disagree.
"""


import math

import numpy


__all__ = [
    'DIALECT_KERNELS',
    'DOMAINS',
    'adagrad_accumulator',
    'adagrad_eps_inside_update',
    'adagrad_start',
    'adagrad_start_tenth',
    'adagrad_update',
    'adam_eps_hat_update',
    'adam_eps_inside_update',
    'adam_no_bias_correction_update',
    'adam_update',
    'amsgrad_max',
    'amsgrad_max_corrected',
    'bce',
    'bce_logit_grad',
    'bce_logits',
    'bias_correction',
    'cost_mean',
    'cross_entropy_term',
    'ewa_step',
    'exponential_decay',
    'exponential_staircase_decay',
    'gd_update',
    'glorot_variance',
    'he_variance',
    'inverse_sqrt_decay',
    'inverse_time_decay',
    'inverted_dropout',
    'l2_cost',
    'l2_grad',
    'leaky_relu',
    'leaky_relu_grad',
    'linear_dA_prev',
    'linear_dW',
    'linear_dW_mean',
    'linear_db',
    'linear_db_mean',
    'linear_forward',
    'momentum_first_gradient_velocity',
    'momentum_heavy_ball_velocity',
    'momentum_lr_inside_update',
    'momentum_lr_inside_velocity',
    'momentum_update',
    'nesterov_lr_inside_update',
    'nesterov_update',
    'one_sided_difference',
    'random_x001_variance',
    'random_x10_variance',
    'relative_difference',
    'relu',
    'relu_grad',
    'relu_grad_one_at_zero',
    'rmsprop_centered_eps_outside_update',
    'rmsprop_centered_eps_subtracted_update',
    'rmsprop_centered_update',
    'rmsprop_centered_variance',
    'rmsprop_eps_outside_update',
    'rmsprop_momentum_eps_outside_lr_inside_velocity',
    'rmsprop_momentum_eps_outside_velocity',
    'rmsprop_momentum_lr_inside_update',
    'rmsprop_momentum_lr_inside_velocity',
    'rmsprop_momentum_update',
    'rmsprop_momentum_velocity',
    'rmsprop_update',
    'sigmoid',
    'sigmoid_backward',
    'softmax_ce_grad',
    'softmax_numerator',
    'squared_error',
    'staircase_decay',
    'tanh',
    'tanh_backward',
    'two_sided_difference',
    'weight_decay_l2_gradient',
    'weight_decay_lr_scaled_update',
    'weight_decay_paper_update',
    'xavier_variance',
]


def adagrad_accumulator(s, g):
    r"""adagrad_accumulator: $s' = s + g^{2}$

    Sources: Duchi, Hazan & Singer 2011, Adaptive Subgradient Methods, the diagonal
    update: x = x - eta diag(delta I + diag(G_t)^(1/2))^(-1) g, G_t the sum of the
    squared gradients from 0 (JMLR 12); PyTorch 2.13, torch/optim/adagrad.py,
    _single_tensor_adagrad: state_sum.addcmul_(grad, grad, value=1); std =
    state_sum.sqrt().add_(eps); param.addcdiv_(grad, std, value=-clr);
    initial_accumulator_value=0; Optax 0.2.8, optax/_src/transform.py, scale_by_rss:
    sum_of_squares + g**2; rsqrt(t + eps), eps inside the root; alias.adagrad
    initial_accumulator_value=0.1; Keras 3, keras/src/optimizers/adagrad.py,
    Adagrad.update_step: accumulator += square(gradient); lr * gradient /
    sqrt(accumulator + epsilon); initial_accumulator_value=0.1; TensorFlow.js 4.22,
    tfjs-core/src/optimizers/adagrad_optimizer.ts, AdagradOptimizer.applyGradients:
    gradient / sqrt(newAccumulatedGrad + epsilon), initialAccumulatorValue = 0.1.

    The sum of the squared gradients, not an average.
    """
    return g**2 + s


def adagrad_eps_inside_update(w, g, s, learning_rate, epsilon):
    r"""adagrad_eps_inside_update: $w' = w - \frac{\alpha g}{\sqrt{s + \varepsilon}}$

    Sources: Optax 0.2.8, optax/_src/transform.py, scale_by_rss: sum_of_squares +
    g**2; rsqrt(t + eps), eps inside the root; alias.adagrad
    initial_accumulator_value=0.1; Keras 3, keras/src/optimizers/adagrad.py,
    Adagrad.update_step: accumulator += square(gradient); lr * gradient /
    sqrt(accumulator + epsilon); initial_accumulator_value=0.1; TensorFlow.js 4.22,
    tfjs-core/src/optimizers/adagrad_optimizer.ts, AdagradOptimizer.applyGradients:
    gradient / sqrt(newAccumulatedGrad + epsilon), initialAccumulatorValue = 0.1.
    """
    return -learning_rate*g/numpy.sqrt(epsilon + s) + w


def adagrad_start():
    r"""adagrad_start: $s_0 = 0$

    Sources: Duchi, Hazan & Singer 2011, Adaptive Subgradient Methods, the diagonal
    update: x = x - eta diag(delta I + diag(G_t)^(1/2))^(-1) g, G_t the sum of the
    squared gradients from 0 (JMLR 12); PyTorch 2.13, torch/optim/adagrad.py,
    _single_tensor_adagrad: state_sum.addcmul_(grad, grad, value=1); std =
    state_sum.sqrt().add_(eps); param.addcdiv_(grad, std, value=-clr);
    initial_accumulator_value=0.

    The accumulator before the first step.
    """
    return 0


def adagrad_start_tenth():
    r"""adagrad_start_tenth: $s_0 = \frac{1}{10}$

    Sources: Optax 0.2.8, optax/_src/transform.py, scale_by_rss: sum_of_squares +
    g**2; rsqrt(t + eps), eps inside the root; alias.adagrad
    initial_accumulator_value=0.1; Keras 3, keras/src/optimizers/adagrad.py,
    Adagrad.update_step: accumulator += square(gradient); lr * gradient /
    sqrt(accumulator + epsilon); initial_accumulator_value=0.1; TensorFlow.js 4.22,
    tfjs-core/src/optimizers/adagrad_optimizer.ts, AdagradOptimizer.applyGradients:
    gradient / sqrt(newAccumulatedGrad + epsilon), initialAccumulatorValue = 0.1.

    Their initial_accumulator_value default.
    """
    return 1/10


def adagrad_update(w, g, s, learning_rate, epsilon):
    r"""adagrad_update: $w' = w - \frac{\alpha g}{\sqrt{s} + \varepsilon}$

    Sources: Duchi, Hazan & Singer 2011, Adaptive Subgradient Methods, the diagonal
    update: x = x - eta diag(delta I + diag(G_t)^(1/2))^(-1) g, G_t the sum of the
    squared gradients from 0 (JMLR 12); PyTorch 2.13, torch/optim/adagrad.py,
    _single_tensor_adagrad: state_sum.addcmul_(grad, grad, value=1); std =
    state_sum.sqrt().add_(eps); param.addcdiv_(grad, std, value=-clr);
    initial_accumulator_value=0.

    With the updated s.
    """
    return -learning_rate*g/(epsilon + numpy.sqrt(s)) + w


def adam_eps_hat_update(w, v, s, t, learning_rate, beta1, beta2, epsilon):
    r"""adam_eps_hat_update: $w' = w - \frac{\alpha \sqrt{1 - \beta_{2}^{t}}}{1 -
    \beta_{1}^{t}} \frac{v}{\sqrt{s} + \varepsilon}$

    Sources: Kingma & Ba 2015, Algorithm 1 and the paragraph after it
    (arXiv:1412.6980).

    $\alpha_t = \alpha\sqrt{1-\beta_2^t}/(1-\beta_1^t)$, with the uncorrected $v,
    s$.
    """
    return -learning_rate*v*math.sqrt(1 - beta2**t)/((1 - beta1**t)*(epsilon + numpy.sqrt(s))) + w


def adam_eps_inside_update(w, v_hat, s_hat, learning_rate, epsilon):
    r"""adam_eps_inside_update: $w' = w - \frac{\alpha \hat{v}}{\sqrt{\hat{s} +
    \varepsilon}}$

    Sources: seed 002, 2.2.5 Adam; seed 004, Adam optimization algorithm.
    """
    return -learning_rate*v_hat/numpy.sqrt(epsilon + s_hat) + w


def adam_no_bias_correction_update(w, v, s, learning_rate, epsilon):
    r"""adam_no_bias_correction_update: $w' = w - \frac{\alpha v}{\sqrt{s} +
    \varepsilon}$

    Sources: seed 003, Gradient descent with momentum: 'In practice people don't
    bother implementing bias correction'.
    """
    return -learning_rate*v/(epsilon + numpy.sqrt(s)) + w


def adam_update(w, v_hat, s_hat, learning_rate, epsilon):
    r"""adam_update: $w' = w - \frac{\alpha \hat{v}}{\sqrt{\hat{s}} + \varepsilon}$

    Sources: seed 000, Adam Optimization: update rule and
    update_parameters_with_adam; seed 001, 4 - Adam; seed 003, Adam optimization
    algorithm; Kingma & Ba 2015, Algorithm 1 and the paragraph after it
    (arXiv:1412.6980).
    """
    return -learning_rate*v_hat/(epsilon + numpy.sqrt(s_hat)) + w


def amsgrad_max(s_max, s):
    r"""amsgrad_max: $s_{\max}' = \max\left(s, s_{\max}\right)$

    Sources: Reddi et al. 2018, On the Convergence of Adam and Beyond, Algorithm 2:
    v_hat = max(v_hat, v) over the uncorrected v (ICLR 2018); PyTorch 2.13,
    torch/optim/adam.py, _single_tensor_adam with amsgrad:
    torch.maximum(max_exp_avg_sqs[i], exp_avg_sq), then denom =
    (max_exp_avg_sqs[i].sqrt() / bias_correction2_sqrt).add_(eps); Keras 3,
    keras/src/optimizers/adam.py, Adam.update_step with amsgrad: v_hat =
    maximum(v_hat, v), on the uncorrected v.

    With the updated $s$; Adam then divides by $\sqrt{s_{\max}/(1-\beta_2^t)} +
    \varepsilon$.
    """
    return numpy.maximum(s, s_max)


def amsgrad_max_corrected(s_hat_max, s, beta2, t):
    r"""amsgrad_max_corrected: $\hat s_{\max}' = \max\left(\hat{s}_{\max}, \frac{s}{1 -
    \beta_{2}^{t}}\right)$

    Sources: Optax 0.2.8, optax/_src/transform.py, scale_by_amsgrad: nu_max =
    maximum(nu_max, nu_hat), the max of the bias-corrected nu
    (bias_correction_nu=True).

    With the updated $s$; Adam then divides by $\sqrt{\hat s_{\max}} + \varepsilon$.
    """
    return numpy.maximum(s_hat_max, s/(1 - beta2**t))


def bce(a, y):
    r"""bce: $L(a, y) = - \begin{cases} 0 & \text{for}\: y = 0 \\y \log{\left(a \right)}
    & \text{otherwise} \end{cases} - \begin{cases} 0 & \text{for}\: y = 1 \\\left(1
    - y\right) \log{\left(1 - a \right)} & \text{otherwise} \end{cases}$

    Sources: seed 002, 2.1.8 Programming Assignment (Regularization): cross-entropy
    cost; seed 000, Hands-on examples: compute_cost.

    Per-example binary cross-entropy of a probability, $-(y\log a +
    (1-y)\log(1-a))$, with $0 \log 0 = 0$: finite when $a = y \in \{0, 1\}$,
    $+\infty$ when $a = 1 - y$.
    """
    return -numpy.where((y == 0), 0, y*numpy.log(a)) - numpy.where((y == 1), 0, (1 - y)*numpy.log(1 - a))


def bce_logit_grad(a, y, m):
    r"""bce_logit_grad: $\frac{\partial J}{\partial z} = \frac{a - y}{m}$

    Sources: seed 002, 1.1 Logistic Regression: dZ = A - Y.

    Gradient of the mean cost with respect to the logits, a = sigmoid(z).
    """
    return (a - y)/m


def bce_logits(z, y):
    r"""bce_logits: $L(z, y) = \left(\max\left(0, z\right) - y z\right) +
    \operatorname{log1p}{\left(e^{- \left|{z}\right|} \right)}$

    Sources: seed 002, 2.1.8 Programming Assignment (Regularization): cross-entropy
    cost.

    The same loss from the logit $z$: $\mathrm{softplus}(z) - y z$, finite for all
    finite $z$.
    """
    return (numpy.maximum(0, z) - y*z) + numpy.log1p(numpy.exp(-abs(z)))


def bias_correction(v, beta, t):
    r"""bias_correction: $\hat v_t = \frac{v}{1 - \beta^{t}}$

    Sources: seed 003, Bias correction in exponentially weighted averages; seed 002,
    2.2.2 Exponentially Weighted Averages.
    """
    return v/(1 - beta**t)


def cost_mean(total, m):
    r"""cost_mean: $J = \frac{1}{m} \sum_{i=1}^{m} L^{(i)}$

    Sources: seed 002, 2.1.8 Programming Assignment (Regularization): J = -(1/m) sum
    ....
    """
    return total/m


def cross_entropy_term(y, y_hat):
    r"""cross_entropy_term: $L_j = - \begin{cases} 0 & \text{for}\: y = 0 \\y
    \log{\left(\hat{y} \right)} & \text{otherwise} \end{cases}$

    Sources: seed 003, Softmax Regression / Training a Softmax classifier.

    $L = \sum_j L_j = -\sum_j y_j \log \hat y_j$, with $0 \log 0 = 0$.
    """
    return -numpy.where((y == 0), 0, y*numpy.log(y_hat))


def ewa_step(v, theta, beta):
    r"""ewa_step: $v_t = \beta v + \left(1 - \beta\right) \theta$

    Sources: seed 003, Exponentially weighted averages; seed 002, 2.2.2
    Exponentially Weighted Averages; seed 004, Exponential Weighted Average.

    From $v_0 = 0$.
    """
    return beta*v + theta*(1 - beta)


def exponential_decay(learning_rate0, epoch_num, k):
    r"""exponential_decay: $\alpha = k^{\mathrm{epoch}} \alpha_0$

    Sources: seed 003, Learning rate decay; seed 004, Learning Rate Decay.

    Seed 003's $0.95^{\mathrm{epoch}}\,\alpha_0$ is $k = 0.95$.
    """
    return k**epoch_num*learning_rate0


def exponential_staircase_decay(learning_rate0, epoch_num, k, time_interval):
    r"""exponential_staircase_decay: $\alpha =
    k^{\left\lfloor{\frac{\mathrm{epoch}}{T}}\right\rfloor} \alpha_0$

    Sources: seed 004, Learning Rate Decay: 'discrete staircase'; Optax 0.2,
    optax/schedules/_schedule.py, exponential_decay: p = count / transition_steps,
    floored when staircase=True; init_value * decay_rate ** p.
    """
    return k**math.floor(epoch_num/time_interval)*learning_rate0


def gd_update(w, g, learning_rate):
    r"""gd_update: $w' = w - \alpha g$

    Sources: seed 000, Hands-on examples: update_parameters_with_gd; seed 001, 1 -
    Gradient Descent.
    """
    return -learning_rate*g + w


def glorot_variance(n_in, n_out):
    r"""glorot_variance: $\sigma^2 = \frac{2}{n_{\mathrm{in}} + n_{\mathrm{out}}}$

    Sources: seed 000, Glorot and He Initialization; seed 003, Weight Initialization
    for Deep Networks.

    $1/n_{\mathrm{avg}}$ for tanh and logistic layers.
    """
    return 2/(n_in + n_out)


def he_variance(n_in):
    r"""he_variance: $\sigma^2 = \frac{2}{n_{\mathrm{in}}}$

    Sources: seed 000, Glorot and He Initialization; seed 002, 2.1.5 Weight
    Initialization / initialize_parameters_he; seed 003, Weight Initialization for
    Deep Networks.

    For ReLU layers; $W = \sqrt{\sigma^2}\,\mathcal{N}(0, 1)$.
    """
    return 2/n_in


def inverse_sqrt_decay(learning_rate0, epoch_num, k):
    r"""inverse_sqrt_decay: $\alpha = \frac{k}{\sqrt{\mathrm{epoch}}} \alpha_0$

    Sources: seed 003, Learning rate decay; seed 004, Learning Rate Decay.

    Defined for $\mathrm{epoch} \ge 1$.
    """
    return k*learning_rate0/math.sqrt(epoch_num)


def inverse_time_decay(learning_rate0, epoch_num, decay_rate):
    r"""inverse_time_decay: $\alpha = \frac{\alpha_0}{1 + r\,\mathrm{epoch}}$

    Sources: seed 000, Decay on every iteration / update_lr; seed 003, Learning rate
    decay; seed 004, Learning Rate Decay.
    """
    return learning_rate0/(decay_rate*epoch_num + 1)


def inverted_dropout(a, d, keep_prob):
    r"""inverted_dropout: $\tilde a = \frac{a d}{p}$

    Sources: seed 002, 2.1.3 Dropout Regularization /
    forward_propagation_with_dropout.

    $d \sim \mathrm{Bernoulli}(p)$, the same mask forward and backward.
    """
    return a*d/keep_prob


def l2_cost(sum_sq, lambd, m):
    r"""l2_cost: $J_{L2} = \frac{\lambda}{2 m} \sum_{l=1}^{L} \lVert W^{[l]} \rVert_F^2$

    Sources: seed 002, 2.1.1 Regularization / 2.1.8
    compute_cost_with_regularization; seed 003, Regularization (weight decay).

    $\mathrm{sum\_sq} = \sum_l \lVert W^{[l]} \rVert_F^2$.
    """
    return (1/2)*lambd*sum_sq/m


def l2_grad(W, lambd, m):
    r"""l2_grad: $\frac{\partial J_{L2}}{\partial W} = \frac{\lambda}{m} W$

    Sources: seed 002, 2.1.1 Regularization / 2.1.8
    compute_cost_with_regularization; seed 003, Regularization (weight decay).
    """
    return W*lambd/m


def leaky_relu(z, alpha):
    r"""leaky_relu: $\mathrm{LeakyReLU}_\alpha(z) = \max\left(z, \alpha z\right)$

    Sources: seed 000, Non saturating Activation Functions.

    For $0 \le \alpha < 1$.
    """
    return numpy.maximum(z, alpha*z)


def leaky_relu_grad(z, alpha):
    r"""leaky_relu_grad: $\mathrm{LeakyReLU}_\alpha'(z) = \begin{cases} 1 & \text{for}\:
    z > 0 \\\alpha & \text{otherwise} \end{cases}$

    Sources: seed 000, Non saturating Activation Functions.

    Convention: slope $\alpha$ at $z = 0$.
    """
    return numpy.where((z > 0), 1, alpha)


def linear_dA_prev(dZ, W):
    r"""linear_dA_prev: $dA_{prev} = W^{T} dZ$

    Sources: seed 002, 1.3.2 Programming Assignment (Building your Deep Neural
    Network: Step by Step): linear_backward; seed 002, 1.3.1 Forward and Backward
    Propagation.

    $dZ = \partial\mathcal{L}/\partial Z$ per example (the course's); the cost is
    the mean over the $m$ examples, so $\partial J/\partial Z = dZ/m$. $dA_{prev} =
    \partial\mathcal{L}/\partial A_{prev} = m\,\partial J/\partial A_{prev}$, the
    previous layer's per-example $dA$.
    """
    return numpy.dot(W.T, dZ)


def linear_dW(dZ, A_prev, m):
    r"""linear_dW: $dW = \frac{1}{m} dZ A_{\mathrm{prev}}^{T}$

    Sources: seed 002, 1.3.2 Programming Assignment (Building your Deep Neural
    Network: Step by Step): linear_backward; seed 002, 1.3.1 Forward and Backward
    Propagation; seed 002, 1.2.5 Gradient Descent for Neural Networks (one hidden
    layer).

    $dZ = \partial\mathcal{L}/\partial Z$ per example (the course's); the cost is
    the mean over the $m$ examples, so $\partial J/\partial Z = dZ/m$. $dW =
    \partial J/\partial W$.
    """
    return (1/m)*numpy.dot(dZ, A_prev.T)


def linear_dW_mean(G, A_prev):
    r"""linear_dW_mean: $dW = G A_{\mathrm{prev}}^{T}$

    Sources: seed 000, Hands-on examples: relu, sigmoid, backward_propagation; seed
    002, 1.3.1 Forward and Backward Propagation.

    $G = \partial J/\partial Z = dZ/m$, the gradient of the mean cost, which carries
    the $1/m$ (seeds 000/001's `dz3 = 1./m * (a3 - Y)`); with it, $W^T G = \partial
    J/\partial A_{prev}$ is the same product as `linear_dA_prev`. $dW = \partial
    J/\partial W$.
    """
    return numpy.dot(G, A_prev.T)


def linear_db(dZ, m):
    r"""linear_db: $db = \frac{1}{m} dZ \mathbf{1}_{m}$

    Sources: seed 002, 1.3.2 Programming Assignment (Building your Deep Neural
    Network: Step by Step): linear_backward; seed 002, 1.3.1 Forward and Backward
    Propagation; seed 002, 1.2.5 Gradient Descent for Neural Networks (one hidden
    layer).

    $dZ = \partial\mathcal{L}/\partial Z$ per example (the course's); the cost is
    the mean over the $m$ examples, so $\partial J/\partial Z = dZ/m$. $db =
    \partial J/\partial b$; $dZ\,\mathbf{1}_m$ sums each row over the examples
    (`np.sum(dZ, axis=1, keepdims=True)`).
    """
    return (1/m)*dZ.sum(axis=1, keepdims=True)


def linear_db_mean(G, m):
    r"""linear_db_mean: $db = G \mathbf{1}_{m}$

    Sources: seed 000, Hands-on examples: relu, sigmoid, backward_propagation; seed
    002, 1.3.1 Forward and Backward Propagation.

    $G = \partial J/\partial Z = dZ/m$, the gradient of the mean cost, which carries
    the $1/m$ (seeds 000/001's `dz3 = 1./m * (a3 - Y)`); with it, $W^T G = \partial
    J/\partial A_{prev}$ is the same product as `linear_dA_prev`. $db = \partial
    J/\partial b$.
    """
    return G.sum(axis=1, keepdims=True)


def linear_forward(W, b, A_prev, m):
    r"""linear_forward: $Z = W A_{\mathrm{prev}} + b \mathbf{1}_{m}^T$

    Sources: seed 002, 1.3.2 Programming Assignment (Building your Deep Neural
    Network: Step by Step): linear_forward; seed 002, 1.3.1 Forward and Backward
    Propagation; seed 002, 1.2.5 Gradient Descent for Neural Networks (one hidden
    layer).

    $\mathbf{1}_m^T$ is a row of $m$ ones: $b$ is added to every example. The kernel
    lets NumPy broadcast $b$ over the columns of $W A_{prev}$, so it never reads
    $m$.
    """
    return numpy.dot(W, A_prev) + b


def momentum_first_gradient_velocity(g):
    r"""momentum_first_gradient_velocity: $v_1 = g$

    Sources: PyTorch 2.13, torch/optim/sgd.py, _single_tensor_sgd: the first step
    sets buf = grad.detach().clone(); later steps buf.mul_(momentum).add_(grad,
    alpha=1 - dampening).

    The first step only; every later step is the EMA.
    """
    return g


def momentum_heavy_ball_velocity(v, g, beta):
    r"""momentum_heavy_ball_velocity: $v' = \beta v + g$

    Sources: seed 004, Implementation details: v_dw = beta v_dw + dW.
    """
    return beta*v + g


def momentum_lr_inside_update(w, v):
    r"""momentum_lr_inside_update: $w' = w + v$

    Sources: Keras 3, keras/src/optimizers/sgd.py, SGD.update_step: m = m * momentum
    - gradient * learning_rate; variable += m; Sutskever et al. 2013, On the
    importance of initialization and momentum in deep learning, eq. (1): v = mu v -
    eps grad; theta = theta + v.

    With the updated velocity, which carries the learning rate.
    """
    return v + w


def momentum_lr_inside_velocity(v, g, beta, learning_rate):
    r"""momentum_lr_inside_velocity: $v' = \beta v - \alpha g$

    Sources: Keras 3, keras/src/optimizers/sgd.py, SGD.update_step: m = m * momentum
    - gradient * learning_rate; variable += m; Sutskever et al. 2013, On the
    importance of initialization and momentum in deep learning, eq. (1): v = mu v -
    eps grad; theta = theta + v.
    """
    return beta*v - learning_rate*g


def momentum_update(w, v, learning_rate):
    r"""momentum_update: $w' = w - \alpha v$

    Sources: seed 000, Gradient Descent With Momentum: the momentum update rule;
    seed 001, 3 - Momentum.

    With the updated velocity.
    """
    return -learning_rate*v + w


def nesterov_lr_inside_update(w, v, g, beta, learning_rate):
    r"""nesterov_lr_inside_update: $w' = w + \beta v - \alpha g$

    Sources: Keras 3, keras/src/optimizers/sgd.py, SGD.update_step with nesterov: m
    = m * momentum - gradient * learning_rate; variable += m * momentum - gradient *
    learning_rate.

    With the updated velocity v = beta v - alpha g, which carries the learning rate.
    """
    return beta*v - learning_rate*g + w


def nesterov_update(w, g, v, beta, learning_rate):
    r"""nesterov_update: $w' = w - \alpha \left(g + \beta v\right)$

    Sources: PyTorch 2.13, torch/optim/sgd.py, _single_tensor_sgd with nesterov:
    buf.mul_(momentum).add_(grad); grad = grad.add(buf, alpha=momentum);
    param.add_(grad, alpha=-lr).

    With the updated heavy-ball velocity, v = beta v + g.
    """
    return -learning_rate*(beta*v + g) + w


def one_sided_difference(J_plus, J_0, epsilon):
    r"""one_sided_difference: $\hat g_{\text{one-sided}} = \frac{J^{+} -
    J(\theta)}{\varepsilon}$

    Sources: seed 002, 2.1.6 Gradient Checking.

    $J_0 = J(\theta)$; error $O(\varepsilon)$ against the two-sided
    $O(\varepsilon^2)$.
    """
    return (J_plus - J_0)/epsilon


def random_x001_variance():
    r"""random_x001_variance: $\sigma^2 = \frac{1}{10000}$

    Sources: seed 002, 1.2 Planar data classification / initialize_parameters; 1.3
    initialize_parameters_deep.

    Course 1's small random initialization, randn * 0.01 (the planar and L-layer
    assignments).
    """
    return 1/10000


def random_x10_variance():
    r"""random_x10_variance: $\sigma^2 = 100$

    Sources: seed 002, 2.1.7 Programming Assignment (Initialization):
    initialize_parameters_random.

    Seed 002's deliberately bad 'large random' initialization, randn * 10.
    """
    return 100


def relative_difference(diff_norm, grad_norm, approx_norm):
    r"""relative_difference: $\mathrm{difference} = \frac{\lVert g - \hat{g}
    \rVert_2}{\lVert g \rVert_2 + \lVert \hat{g} \rVert_2}$

    Sources: seed 002, 2.1.9 Programming Assignment (Gradient Checking):
    gradient_check; seed 003, Gradient checking.

    $\lVert g - \hat g\rVert_2 / (\lVert g\rVert_2 + \lVert\hat g\rVert_2)$; seed
    002 §2.1.6 prints a minus in the denominator (erratum).
    """
    return diff_norm/(approx_norm + grad_norm)


def relu(z):
    r"""relu: $\mathrm{ReLU}(z) = \max\left(0, z\right)$

    Sources: seed 000, Non saturating Activation Functions; seed 000, Hands-on
    examples: relu, sigmoid, backward_propagation.
    """
    return numpy.maximum(0, z)


def relu_grad(z):
    r"""relu_grad: $\mathrm{ReLU}'(z) = \mathbb{1}\left[z > 0\right]$

    Sources: seed 000, Hands-on examples: relu, sigmoid, backward_propagation.

    Convention $\mathrm{ReLU}'(0) = 0$ (dialect relu-grad/zero-at-zero).
    """
    return numpy.heaviside(z, 0.0)


def relu_grad_one_at_zero(z):
    r"""relu_grad_one_at_zero: $\mathrm{ReLU}'(z) = \mathbb{1}\left[z \geq 0\right]$

    Sources: SymPy/others, Heaviside(z, 1): a >= 0 masks.
    """
    return numpy.heaviside(z, 1.0)


def rmsprop_centered_eps_outside_update(w, g, variance, learning_rate, epsilon):
    r"""rmsprop_centered_eps_outside_update: $w' = w - \frac{\alpha g}{\sqrt{\sigma^2} +
    \varepsilon}$

    Sources: PyTorch 2.13, torch/optim/rmsprop.py, _single_tensor_rmsprop with
    centered: avg = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_(), then
    avg.add_(eps).
    """
    return -learning_rate*g/(epsilon + numpy.sqrt(variance)) + w


def rmsprop_centered_eps_subtracted_update(w, g, variance, learning_rate, epsilon):
    r"""rmsprop_centered_eps_subtracted_update: $w' = w - \frac{\alpha g}{\sqrt{\sigma^2
    - \varepsilon}}$

    Sources: TensorFlow.js 4.22, tfjs-core/src/optimizers/rmsprop_optimizer.ts,
    RMSPropOptimizer.applyGradients with centered:
    sqrt(sub(newAccumulatedMeanSquare, add(square(newAccumulatedMeanGrad),
    epsilon))): epsilon subtracted.

    Not real where $\sigma^2 < \varepsilon$ (a first step with $|g|$ small):
    TensorFlow.js returns NaN there.
    """
    return -learning_rate*g/numpy.sqrt(-epsilon + variance) + w


def rmsprop_centered_update(w, g, variance, learning_rate, epsilon):
    r"""rmsprop_centered_update: $w' = w - \frac{\alpha g}{\sqrt{\sigma^2 +
    \varepsilon}}$

    Sources: Optax 0.2.8, optax/_src/transform.py, scale_by_stddev: updates *
    rsqrt(nu - mu**2 + eps), eps_in_sqrt=True by default; Keras 3,
    keras/src/optimizers/rmsprop.py, RMSprop.update_step with centered: denominator
    = velocity - square(average_grad) + epsilon; increment = lr * gradient /
    sqrt(denominator).
    """
    return -learning_rate*g/numpy.sqrt(epsilon + variance) + w


def rmsprop_centered_variance(s, g_bar):
    r"""rmsprop_centered_variance: $\sigma^2 = s - \bar{g}^{2}$

    Sources: PyTorch 2.13, torch/optim/rmsprop.py, _single_tensor_rmsprop with
    centered: avg = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_(), then
    avg.add_(eps); Optax 0.2.8, optax/_src/transform.py, scale_by_stddev: updates *
    rsqrt(nu - mu**2 + eps), eps_in_sqrt=True by default; Keras 3,
    keras/src/optimizers/rmsprop.py, RMSprop.update_step with centered: denominator
    = velocity - square(average_grad) + epsilon; increment = lr * gradient /
    sqrt(denominator).

    With the updated $s$ and $\bar g$: the variance estimate, taken before epsilon
    is added (epsilon added to $\bar g^2$ first would be lost to rounding).
    """
    return s - g_bar**2


def rmsprop_eps_outside_update(w, g, s, learning_rate, epsilon):
    r"""rmsprop_eps_outside_update: $w' = w - \frac{\alpha g}{\sqrt{s} + \varepsilon}$

    Sources: seed 003, RMSprop: W = W - learning_rate * dw / (sqrt(sdw) + epsilon).
    """
    return -learning_rate*g/(epsilon + numpy.sqrt(s)) + w


def rmsprop_momentum_eps_outside_lr_inside_velocity(v, g, s, beta, learning_rate, epsilon):
    r"""rmsprop_momentum_eps_outside_lr_inside_velocity: $v' = \beta v + \frac{\alpha
    g}{\sqrt{s} + \varepsilon}$

    Sources: Optax 0.2.8, optax/_src/alias.py, rmsprop: chain(scale_by_rms,
    scale_by_learning_rate, trace(decay=momentum)): the buffer is kept after the
    learning rate.

    Optax's rmsprop with eps_in_sqrt=False and momentum.
    """
    return beta*v + g*learning_rate/(epsilon + numpy.sqrt(s))


def rmsprop_momentum_eps_outside_velocity(v, g, s, beta, epsilon):
    r"""rmsprop_momentum_eps_outside_velocity: $v' = \beta v + \frac{g}{\sqrt{s} +
    \varepsilon}$

    Sources: PyTorch 2.13, torch/optim/rmsprop.py, _single_tensor_rmsprop with
    momentum: buf.mul_(momentum).addcdiv_(grad, avg); param.add_(buf, alpha=-lr).
    """
    return beta*v + g/(epsilon + numpy.sqrt(s))


def rmsprop_momentum_lr_inside_update(w, v):
    r"""rmsprop_momentum_lr_inside_update: $w' = w - v$

    Sources: Keras 3, keras/src/optimizers/rmsprop.py, RMSprop.update_step with
    momentum: increment = lr * gradient / sqrt(velocity + epsilon); momentum =
    momentum * self.momentum + increment; variable -= momentum; TensorFlow.js 4.22,
    tfjs-core/src/optimizers/rmsprop_optimizer.ts, RMSPropOptimizer.applyGradients:
    newAccumulatedMoments = momentum * moments + gradient * learningRate /
    sqrt(meanSquare + epsilon).

    With the updated buffer, which carries the learning rate.
    """
    return w - v


def rmsprop_momentum_lr_inside_velocity(v, g, s, beta, learning_rate, epsilon):
    r"""rmsprop_momentum_lr_inside_velocity: $v' = \beta v + \frac{\alpha g}{\sqrt{s +
    \varepsilon}}$

    Sources: Optax 0.2.8, optax/_src/alias.py, rmsprop: chain(scale_by_rms,
    scale_by_learning_rate, trace(decay=momentum)): the buffer is kept after the
    learning rate; Keras 3, keras/src/optimizers/rmsprop.py, RMSprop.update_step
    with momentum: increment = lr * gradient / sqrt(velocity + epsilon); momentum =
    momentum * self.momentum + increment; variable -= momentum; TensorFlow.js 4.22,
    tfjs-core/src/optimizers/rmsprop_optimizer.ts, RMSPropOptimizer.applyGradients:
    newAccumulatedMoments = momentum * moments + gradient * learningRate /
    sqrt(meanSquare + epsilon).
    """
    return beta*v + g*learning_rate/numpy.sqrt(epsilon + s)


def rmsprop_momentum_update(w, v, learning_rate):
    r"""rmsprop_momentum_update: $w' = w - \alpha v$

    Sources: PyTorch 2.13, torch/optim/rmsprop.py, _single_tensor_rmsprop with
    momentum: buf.mul_(momentum).addcdiv_(grad, avg); param.add_(buf, alpha=-lr).

    With the updated buffer.
    """
    return -learning_rate*v + w


def rmsprop_momentum_velocity(v, g, s, beta, epsilon):
    r"""rmsprop_momentum_velocity: $v' = \beta v + \frac{g}{\sqrt{s + \varepsilon}}$

    Sources: PyTorch 2.13, torch/optim/rmsprop.py, _single_tensor_rmsprop with
    momentum: buf.mul_(momentum).addcdiv_(grad, avg); param.add_(buf, alpha=-lr).

    With the updated s.
    """
    return beta*v + g/numpy.sqrt(epsilon + s)


def rmsprop_update(w, g, s, learning_rate, epsilon):
    r"""rmsprop_update: $w' = w - \frac{\alpha g}{\sqrt{s + \varepsilon}}$

    Sources: seed 000, Root Mean Squared Propagation, or RMSProp; seed 002, 2.2.4
    RMSprop.

    With the updated s.
    """
    return -learning_rate*g/numpy.sqrt(epsilon + s) + w


def sigmoid(z):
    r"""sigmoid: $\sigma(z) = \begin{cases} \frac{1}{1 + e^{- \left|{z}\right|}} &
    \text{for}\: z \geq 0 \\\frac{e^{- \left|{z}\right|}}{1 + e^{-
    \left|{z}\right|}} & \text{otherwise} \end{cases}$

    Sources: seed 000, Non saturating Activation Functions; seed 000, Hands-on
    examples: relu, sigmoid, backward_propagation.

    Evaluated as the stable split of $1/(1+e^{-z})$ at $z = 0$.
    """
    x0 = numpy.exp(-abs(z))
    x1 = 1/(x0 + 1)
    return numpy.where((z >= 0), x1, x0*x1)


def sigmoid_backward(dA, s):
    r"""sigmoid_backward: $dZ = dA s \left(1 - s\right)$

    Sources: seed 002, 1.2.4 Activation Functions.

    $s = \sigma(Z)$, from $\sigma' = \sigma(1-\sigma)$.
    """
    return dA*s*(1 - s)


def softmax_ce_grad(y_hat, y):
    r"""softmax_ce_grad: $\frac{\partial L}{\partial z} = \hat{y} - y$

    Sources: seed 003, Softmax Regression / Training a Softmax classifier.
    """
    return y_hat - y


def softmax_numerator(z, k):
    r"""softmax_numerator: $t_j = e^{z - k}$

    Sources: seed 002, 2.3.3 Multi-Class Classification (Softmax Regression); seed
    003, Softmax Regression / Training a Softmax classifier.

    $\hat y_j = t_j / \sum_i t_i$ with $k = \max_i z_i$ (shift invariance).
    """
    return numpy.exp(-k + z)


def squared_error(y, y_hat):
    r"""mse: $\mathrm{MSE}_i = \left(y - \hat{y}\right)^{2}$

    Sources: seed 004, Loss Function: Mean Square Error.

    $\mathrm{MSE} = \frac{1}{N}\sum_i (y_i - \hat y_i)^2$.
    """
    return (y - y_hat)**2


def staircase_decay(learning_rate0, epoch_num, decay_rate, time_interval):
    r"""staircase_decay: $\alpha = \frac{\alpha_0}{1 + r
    \left\lfloor{\frac{\mathrm{epoch}}{T}}\right\rfloor}$

    Sources: seed 000, Fixed Interval Scheduling / schedule_lr_decay; seed 004,
    Learning Rate Decay: 'discrete staircase'.
    """
    return learning_rate0/(decay_rate*math.floor(epoch_num/time_interval) + 1)


def tanh(z):
    r"""tanh: $\tanh(z) = \tanh{\left(z \right)}$

    Sources: seed 002, 1.2.4 Activation Functions.
    """
    return numpy.tanh(z)


def tanh_backward(dA, s):
    r"""tanh_backward: $dZ = dA \left(1 - s^{2}\right)$

    Sources: seed 002, 1.2.5 Gradient Descent for Neural Networks (tanh' = 1 - a^2).

    $s = \tanh(Z)$, from $\tanh' = 1 - \tanh^2$.
    """
    return dA*(1 - s**2)


def two_sided_difference(J_plus, J_minus, epsilon):
    r"""two_sided_difference: $\hat g = \frac{J^{+} - J^{-}}{2 \varepsilon}$

    Sources: seed 002, 2.1.6 Gradient Checking; seed 002, 2.1.9 Programming
    Assignment (Gradient Checking): gradient_check; seed 003, Gradient checking.

    $J^\pm = J(\theta \pm \varepsilon)$.
    """
    return (1/2)*(J_plus - J_minus)/epsilon


def weight_decay_l2_gradient(g, w, weight_decay):
    r"""weight_decay_l2_gradient: $g' = g + \lambda w$

    Sources: seed 003, Regularization (weight decay): W = (1 - alpha lambda / m) W -
    alpha backprop; PyTorch 2.13, torch/optim/adam.py, _single_tensor_adam: grad =
    grad.add(param, alpha=weight_decay) (likewise sgd.py, adagrad.py, rmsprop.py).

    The gradient the rule then runs on: L2 regularization through the optimizer.
    """
    return g + w*weight_decay


def weight_decay_lr_scaled_update(w_step, w, learning_rate, weight_decay):
    r"""weight_decay_lr_scaled_update: $w' = \tilde{w} - \alpha \lambda w$

    Sources: PyTorch 2.13, torch/optim/adam.py, _single_tensor_adam with
    decoupled_weight_decay (AdamW): param.mul_(1 - lr * weight_decay), before the
    step; Optax 0.2.8, optax/_src/alias.py, adamw: chain(scale_by_adam,
    add_decayed_weights, scale_by_learning_rate); its docstring: the decay is
    multiplied with the learning rate, unlike the paper; Keras 3,
    keras/src/optimizers/base_optimizer.py, _apply_weight_decay:
    variable.assign(variable - variable * wd * lr), before update_step, for every
    optimizer.

    Decoupled: $\tilde w = w - \alpha u$ is the rule's step from the undecayed
    gradient, so $w' = w - \alpha(u + \lambda w)$; the decay is scaled by $\alpha$
    (PyTorch and Keras write $w(1 - \alpha\lambda) - \alpha u$).
    """
    return -learning_rate*w*weight_decay + w_step


def weight_decay_paper_update(w_step, w, weight_decay, schedule_multiplier):
    r"""weight_decay_paper_update: $w' = \tilde{w} - \lambda \eta w$

    Sources: Loshchilov & Hutter 2019, Decoupled Weight Decay Regularization,
    Algorithm 2: theta = theta - eta_t (alpha m_hat / (sqrt(v_hat) + eps) + lambda
    theta) (arXiv:1711.05101).

    Decoupled, with $\tilde w$ the rule's step at the rate $\eta\alpha$, so $w' = w
    - \eta(\alpha u + \lambda w)$: the decay is scaled by the schedule multiplier
    $\eta$ and not by $\alpha$, and $\lambda_{\mathrm{paper}} = \alpha\lambda$ at a
    constant rate.
    """
    return -schedule_multiplier*w*weight_decay + w_step


def xavier_variance(n_in):
    r"""xavier_variance: $\sigma^2 = \frac{1}{n_{\mathrm{in}}}$

    Sources: seed 003, Weight Initialization for Deep Networks.

    For tanh layers.
    """
    return 1/n_in


#: Hyperparameter domains, from gradspec.spec.hyperparameters.
DOMAINS = {
    'learning_rate': {'low': 0.0, 'high': None, 'low_closed': True, 'high_closed': False, 'integer': False, 'text': 'in [0, inf)', 'hint': 'use a small positive value such as 0.01'},
    'learning_rate0': {'low': 0.0, 'high': None, 'low_closed': True, 'high_closed': False, 'integer': False, 'text': 'in [0, inf)', 'hint': 'use a small positive value such as 0.01'},
    'beta': {'low': 0.0, 'high': 1.0, 'low_closed': True, 'high_closed': False, 'integer': False, 'text': 'in [0, 1)', 'hint': 'beta = 1 freezes the average at its start; typical values are 0.9 to 0.999'},
    'beta1': {'low': 0.0, 'high': 1.0, 'low_closed': True, 'high_closed': False, 'integer': False, 'text': 'in [0, 1)', 'hint': 'beta = 1 freezes the average at its start; typical values are 0.9 to 0.999'},
    'beta2': {'low': 0.0, 'high': 1.0, 'low_closed': True, 'high_closed': False, 'integer': False, 'text': 'in [0, 1)', 'hint': 'beta = 1 freezes the average at its start; typical values are 0.9 to 0.999'},
    'epsilon': {'low': 0.0, 'high': None, 'low_closed': False, 'high_closed': False, 'integer': False, 'text': 'in (0, inf)', 'hint': 'use a small positive value such as 1e-8'},
    't': {'low': 1, 'high': None, 'low_closed': True, 'high_closed': False, 'integer': True, 'text': 'an integer >= 1', 'hint': 't counts the steps taken, starting at 1 on the first update'},
    'decay_rate': {'low': 0.0, 'high': None, 'low_closed': True, 'high_closed': False, 'integer': False, 'text': 'in [0, inf)', 'hint': 'use 0 for no decay'},
    'time_interval': {'low': 0.0, 'high': None, 'low_closed': False, 'high_closed': False, 'integer': False, 'text': 'in (0, inf)', 'hint': 'use the number of epochs between decays, e.g. 1000'},
    'epoch_num': {'low': 0.0, 'high': None, 'low_closed': True, 'high_closed': False, 'integer': False, 'text': 'in [0, inf)', 'hint': 'epochs are counted from 0'},
    'k': {'low': 0.0, 'high': None, 'low_closed': False, 'high_closed': False, 'integer': False, 'text': 'in (0, inf)', 'hint': 'use a positive factor such as 0.95'},
    'keep_prob': {'low': 0.0, 'high': 1.0, 'low_closed': False, 'high_closed': True, 'integer': False, 'text': 'in (0, 1]', 'hint': 'keep_prob is the probability of keeping a unit; use 1 for no dropout'},
    'lambd': {'low': 0.0, 'high': None, 'low_closed': True, 'high_closed': False, 'integer': False, 'text': 'in [0, inf)', 'hint': 'use 0 for no regularization'},
    'weight_decay': {'low': 0.0, 'high': None, 'low_closed': True, 'high_closed': False, 'integer': False, 'text': 'in [0, inf)', 'hint': 'use 0 for no weight decay; typical values are 1e-4 to 1e-2'},
    'schedule_multiplier': {'low': 0.0, 'high': None, 'low_closed': True, 'high_closed': False, 'integer': False, 'text': 'in [0, inf)', 'hint': "the schedule's factor at this step, 1 for a constant learning rate"},
    'alpha': {'low': 0.0, 'high': 1.0, 'low_closed': True, 'high_closed': False, 'integer': False, 'text': 'in [0, 1)', 'hint': 'the leaky slope is usually 0.01'},
    'mini_batch_size': {'low': 1, 'high': None, 'low_closed': True, 'high_closed': False, 'integer': True, 'text': 'an integer >= 1', 'hint': 'use a positive integer such as 64'},
    'seed': {'low': 0, 'high': 4294967295, 'low_closed': True, 'high_closed': True, 'integer': True, 'text': 'an integer in [0, 4294967295]', 'hint': 'NumPy seeds are integers from 0 to 2**32 - 1'},
    'm': {'low': 1, 'high': None, 'low_closed': True, 'high_closed': False, 'integer': True, 'text': 'an integer >= 1', 'hint': 'm counts the examples'},
    'n_in': {'low': 1, 'high': None, 'low_closed': True, 'high_closed': False, 'integer': True, 'text': 'an integer >= 1', 'hint': 'a layer has at least one input'},
    'n_out': {'low': 1, 'high': None, 'low_closed': True, 'high_closed': False, 'integer': True, 'text': 'an integer >= 1', 'hint': 'a layer has at least one unit'},
}


#: The kernel each dialect uses for each step it defines.
DIALECT_KERNELS = {
    'adam/eps-outside': {'update': 'adam_update'},
    'adam/eps-inside': {'update': 'adam_eps_inside_update'},
    'adam/eps-hat': {'update': 'adam_eps_hat_update'},
    'adam/no-bias-correction': {'update': 'adam_no_bias_correction_update'},
    'momentum/ema': {'velocity': 'ewa_step'},
    'momentum/heavy-ball': {'velocity': 'momentum_heavy_ball_velocity'},
    'momentum/first-gradient': {'first_velocity': 'momentum_first_gradient_velocity'},
    'momentum/lr-inside': {'velocity': 'momentum_lr_inside_velocity', 'update': 'momentum_lr_inside_update'},
    'rmsprop/eps-inside': {'update': 'rmsprop_update'},
    'rmsprop/eps-outside': {'update': 'rmsprop_eps_outside_update'},
    'weight-decay/l2': {'gradient': 'weight_decay_l2_gradient'},
    'weight-decay/lr-scaled': {'update': 'weight_decay_lr_scaled_update'},
    'weight-decay/paper': {'update': 'weight_decay_paper_update'},
    'amsgrad/max-raw': {'max': 'amsgrad_max'},
    'amsgrad/max-corrected': {'max': 'amsgrad_max_corrected'},
    'nesterov/lr-outside': {'velocity': 'momentum_heavy_ball_velocity', 'update': 'nesterov_update'},
    'nesterov/lr-inside': {'velocity': 'momentum_lr_inside_velocity', 'update': 'nesterov_lr_inside_update'},
    'rmsprop-centered/eps-inside': {'update': 'rmsprop_centered_update'},
    'rmsprop-centered/eps-outside': {'update': 'rmsprop_centered_eps_outside_update'},
    'rmsprop-centered/eps-subtracted': {'update': 'rmsprop_centered_eps_subtracted_update'},
    'rmsprop-momentum/eps-inside': {'velocity': 'rmsprop_momentum_velocity', 'update': 'rmsprop_momentum_update'},
    'rmsprop-momentum/eps-outside': {'velocity': 'rmsprop_momentum_eps_outside_velocity', 'update': 'rmsprop_momentum_update'},
    'rmsprop-momentum/eps-inside-lr-inside': {'velocity': 'rmsprop_momentum_lr_inside_velocity', 'update': 'rmsprop_momentum_lr_inside_update'},
    'rmsprop-momentum/eps-outside-lr-inside': {'velocity': 'rmsprop_momentum_eps_outside_lr_inside_velocity', 'update': 'rmsprop_momentum_lr_inside_update'},
    'adagrad/eps-outside': {'start': 'adagrad_start', 'update': 'adagrad_update'},
    'adagrad/eps-inside': {'start': 'adagrad_start', 'update': 'adagrad_eps_inside_update'},
    'adagrad/start-tenth-eps-outside': {'start': 'adagrad_start_tenth', 'update': 'adagrad_update'},
    'adagrad/start-tenth-eps-inside': {'start': 'adagrad_start_tenth', 'update': 'adagrad_eps_inside_update'},
    'inverse-time-decay/continuous': {'schedule': 'inverse_time_decay'},
    'inverse-time-decay/staircase': {'schedule': 'staircase_decay'},
    'exponential-decay/continuous': {'schedule': 'exponential_decay'},
    'exponential-decay/staircase': {'schedule': 'exponential_staircase_decay'},
    'ewa/uncorrected': {'average': 'ewa_step'},
    'ewa/bias-corrected': {'average': 'ewa_step', 'correction': 'bias_correction'},
    'relu-grad/zero-at-zero': {'grad': 'relu_grad'},
    'relu-grad/one-at-zero': {'grad': 'relu_grad_one_at_zero'},
    'cost/mean': {'reduction': 'cost_mean'},
    'cost/sum': {'reduction': None},
    'rng/seeded': {},
    'rng/unseeded': {},
}
