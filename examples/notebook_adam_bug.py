"""The same notebook with one typical bug: Adam's second moment is bias-corrected with
beta1 instead of beta2 (a misprint in one of the course notes' displays).

Try it: ``gradspec verify examples/notebook_adam_bug.py`` (update_parameters_with_adam
fails, with a minimal counterexample you can paste into Python; the rest passes).
"""

import math

import numpy as np


def update_parameters_with_gd(parameters, grads, learning_rate):
    for layer in range(1, len(parameters) // 2 + 1):
        for p in ("W", "b"):
            parameters[p + str(layer)] = parameters[p + str(layer)] - learning_rate * grads["d" + p + str(layer)]
    return parameters


def initialize_velocity(parameters):
    return {"d" + key: np.zeros(value.shape) for key, value in parameters.items()}


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    for key in parameters:
        v["d" + key] = beta * v["d" + key] + (1 - beta) * grads["d" + key]
        parameters[key] = parameters[key] - learning_rate * v["d" + key]
    return parameters, v


def initialize_adam(parameters):
    return initialize_velocity(parameters), initialize_velocity(parameters)


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                                epsilon=1e-8):
    for key in parameters:
        g = grads["d" + key]
        v["d" + key] = beta1 * v["d" + key] + (1 - beta1) * g
        s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * g**2
        v_corrected = v["d" + key] / (1 - beta1**t)
        s_corrected = s["d" + key] / (1 - beta1**t)  # the bug: beta1 where beta2 belongs
        parameters[key] = parameters[key] - learning_rate * v_corrected / (np.sqrt(s_corrected) + epsilon)
    return parameters, v, s


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    np.random.seed(seed)
    m = X.shape[1]
    permutation = list(np.random.permutation(m))
    shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation]
    batches = []
    for k in range(math.ceil(m / mini_batch_size)):
        columns = slice(k * mini_batch_size, (k + 1) * mini_batch_size)
        batches.append((shuffled_X[:, columns], shuffled_Y[:, columns]))
    return batches


def update_lr(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / (1 + decay_rate * epoch_num)


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * np.floor(epoch_num / time_interval))
