"""Correct implementations in other styles: in-place updates, other but equivalent algebra,
``(A, cache)`` returns, and Adam returning seed 000's 5-tuple. They must all conform."""

import numpy as np


def _layers(parameters):
    return range(1, len(parameters) // 2 + 1)


def update_parameters_with_gd(parameters, grads, learning_rate):
    for l in _layers(parameters):
        parameters[f"W{l}"] -= learning_rate * grads[f"dW{l}"]  # in place
        parameters[f"b{l}"] -= learning_rate * grads[f"db{l}"]
    return parameters


def initialize_velocity(parameters):
    return {"d" + k: np.zeros_like(w) for k, w in parameters.items()}


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    for key in parameters:
        v["d" + key] *= beta
        v["d" + key] += (1 - beta) * grads["d" + key]
        parameters[key] -= learning_rate * v["d" + key]
    return parameters, v


def initialize_adam(parameters):
    return initialize_velocity(parameters), initialize_velocity(parameters)


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                                epsilon=1e-8):
    v_corrected, s_corrected = {}, {}
    for key in parameters:  # in place, terms in another order, the step size folded first
        g = grads["d" + key]
        v["d" + key] = (1 - beta1) * g + beta1 * v["d" + key]
        s["d" + key] = (1 - beta2) * np.square(g) + beta2 * s["d" + key]
        v_corrected["d" + key] = v["d" + key] * (1 / (1 - beta1**t))
        s_corrected["d" + key] = s["d" + key] * (1 / (1 - beta2**t))
        parameters[key] -= learning_rate / (np.sqrt(s_corrected["d" + key]) + epsilon) * v_corrected["d" + key]
    return parameters, v, s, v_corrected, s_corrected


def initialize_rmsprop(parameters):
    return initialize_velocity(parameters)


def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    for key in parameters:
        g = grads["d" + key]
        s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * g * g
        parameters[key] = parameters[key] - learning_rate * g * (s["d" + key] + epsilon) ** -0.5
    return parameters, s


def update_lr(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / (1 + decay_rate * epoch_num)


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * (epoch_num // time_interval))


def sigmoid(x):
    return np.exp(-np.logaddexp(0, -x))


def relu(x):
    return x * (x > 0)


def sigmoid_backward(dA, cache):
    s = sigmoid(cache)
    return dA * s - dA * s * s


def relu_backward(dA, cache):
    return np.where(cache > 0, dA, 0.0)


def tanh_backward(dA, cache):
    return dA / np.cosh(cache) ** 2


def compute_cost(a3, Y):
    return float(-np.mean(Y * np.log(a3) + (1 - Y) * np.log1p(-a3)))


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    weights = [w for k, w in parameters.items() if k.startswith("W")]
    return compute_cost(A3, Y) + lambd * sum(np.vdot(w, w) for w in weights) / (2 * m)


def forward_propagation(X, parameters):
    z1 = parameters["W1"] @ X + parameters["b1"]
    a1 = relu(z1)
    z2 = parameters["W2"] @ a1 + parameters["b2"]
    a2 = relu(z2)
    z3 = parameters["W3"] @ a2 + parameters["b3"]
    a3 = sigmoid(z3)
    return a3, (z1, a1, parameters["W1"], parameters["b1"], z2, a2, parameters["W2"], parameters["b2"],
                z3, a3, parameters["W3"], parameters["b3"])


def backward_propagation(X, Y, cache):
    (z1, a1, W1, b1, z2, a2, W2, b2, z3, a3, W3, b3) = cache
    m = X.shape[1]
    dz3 = (a3 - Y) / m
    dz2 = (W3.T @ dz3) * (z2 > 0)
    dz1 = (W2.T @ dz2) * (z1 > 0)
    return {"dz3": dz3, "dW3": dz3 @ a2.T, "db3": dz3.sum(axis=1, keepdims=True),
            "dz2": dz2, "dW2": dz2 @ a1.T, "db2": dz2.sum(axis=1, keepdims=True),
            "dz1": dz1, "dW1": dz1 @ X.T, "db1": dz1.sum(axis=1, keepdims=True)}


def predict(X, y, parameters):
    a3, _ = forward_propagation(X, parameters)
    return (a3 > 0.5).astype(np.int64)


def initialize_parameters_zeros(layers_dims):
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters[f"W{l}"] = np.zeros((layers_dims[l], layers_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters


def initialize_parameters_he(layers_dims):
    rng = np.random.RandomState(3)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters[f"W{l}"] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * (2 / layers_dims[l - 1]) ** 0.5
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    np.random.seed(seed)
    order = np.random.permutation(X.shape[1])
    X, Y = X[:, order], Y[:, order]
    return [(X[:, i:i + mini_batch_size], Y[:, i:i + mini_batch_size]) for i in range(0, X.shape[1], mini_batch_size)]


def exponentially_weighted_averages(theta, beta, bias_correction=False):
    v, out = 0.0, []
    for t, value in enumerate(theta, start=1):
        v = beta * v + (1 - beta) * value
        out.append(v / (1 - beta**t) if bias_correction else v)
    return out
