"""One realistic bug per notebook function, each as a student or porter really writes it.

``MUTANTS[name]`` is the source of a broken ``name``; a test module is the reference's
notebook API with that one function replaced (see tests/test_verify.py).
"""

HEADER = "import math\n\nimport numpy as np\n\nfrom gradspec.reference.notebook import *  # noqa: F403\n\n\n"

MUTANTS = {
    # the loop stops one layer early
    "update_parameters_with_gd": '''
def update_parameters_with_gd(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters
''',
    # the last, smaller batch is dropped
    "random_mini_batches": '''
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    np.random.seed(seed)
    m = X.shape[1]
    permutation = list(np.random.permutation(m))
    X, Y = X[:, permutation], Y[:, permutation]
    return [(X[:, k * mini_batch_size:(k + 1) * mini_batch_size], Y[:, k * mini_batch_size:(k + 1) * mini_batch_size])
            for k in range(m // mini_batch_size)]
''',
    # the bias velocity takes the weight's shape
    "initialize_velocity": '''
def initialize_velocity(parameters):
    v = {}
    for l in range(1, len(parameters) // 2 + 1):
        v["dW" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
        v["db" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
    return v
''',
    # the step uses the gradient, not the velocity
    "update_parameters_with_momentum": '''
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    for l in range(1, len(parameters) // 2 + 1):
        for p in ("W", "b"):
            v["d" + p + str(l)] = beta * v["d" + p + str(l)] + (1 - beta) * grads["d" + p + str(l)]
            parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * grads["d" + p + str(l)]
    return parameters, v
''',
    # s for the biases takes the weight's shape
    "initialize_adam": '''
def initialize_adam(parameters):
    v, s = {}, {}
    for l in range(1, len(parameters) // 2 + 1):
        v["dW" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
        v["db" + str(l)] = np.zeros(parameters["b" + str(l)].shape)
        s["dW" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
        s["db" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
    return v, s
''',
    # the second moment corrected with beta1 (seed 001's display erratum)
    "update_parameters_with_adam": '''
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                                epsilon=1e-8):
    for l in range(1, len(parameters) // 2 + 1):
        for p in ("W", "b"):
            k = "d" + p + str(l)
            v[k] = beta1 * v[k] + (1 - beta1) * grads[k]
            s[k] = beta2 * s[k] + (1 - beta2) * grads[k] ** 2
            v_hat = v[k] / (1 - beta1 ** t)
            s_hat = s[k] / (1 - beta1 ** t)
            parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * v_hat / (np.sqrt(s_hat) + epsilon)
    return parameters, v, s
''',
    # the bias state is a row, not a column
    "initialize_rmsprop": '''
def initialize_rmsprop(parameters):
    s = {}
    for l in range(1, len(parameters) // 2 + 1):
        s["dW" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
        s["db" + str(l)] = np.zeros((1, parameters["b" + str(l)].shape[0]))
    return s
''',
    # the gradient is not squared
    "update_parameters_with_rmsprop": '''
def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    for l in range(1, len(parameters) // 2 + 1):
        for p in ("W", "b"):
            k = "d" + p + str(l)
            s[k] = beta2 * s[k] + (1 - beta2) * grads[k]
            parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * grads[k] / np.sqrt(s[k] + epsilon)
    return parameters, s
''',
    # operator precedence: lr0 * 1 / 1 + rate * epoch
    "update_lr": '''
def update_lr(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 * 1 / 1 + decay_rate * epoch_num
''',
    # the floor is forgotten
    "schedule_lr_decay": '''
def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * (epoch_num / time_interval))
''',
    # a sign: exp(x) instead of exp(-x)
    "sigmoid": '''
def sigmoid(x):
    return 1 / (1 + np.exp(x))
''',
    # np.max, not np.maximum
    "relu": '''
def relu(x):
    return np.max(0, x)
''',
    # the (1 - s) factor is forgotten
    "sigmoid_backward": '''
def sigmoid_backward(dA, cache):
    s = 1 / (1 + np.exp(-cache))
    return dA * s
''',
    # the gradient passes at exactly 0 (dialect relu-grad/one-at-zero, not canonical)
    "relu_backward": '''
def relu_backward(dA, cache):
    dZ = np.array(dA, copy=True)
    dZ[cache < 0] = 0
    return dZ
''',
    # tanh' taken as 1 - tanh
    "tanh_backward": '''
def tanh_backward(dA, cache):
    return dA * (1 - np.tanh(cache))
''',
    # the minus sign is lost
    "compute_cost": '''
def compute_cost(a3, Y):
    m = Y.shape[1]
    return 1.0 / m * np.sum(Y * np.log(a3) + (1 - Y) * np.log(1 - a3))
''',
    # lambda/m instead of lambda/(2m)
    "compute_cost_with_regularization": '''
def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    l2 = lambd / m * sum(np.sum(np.square(parameters["W" + str(l)])) for l in (1, 2, 3))
    return compute_cost(A3, Y) + l2
''',
    # sigmoid in the hidden layers
    "forward_propagation": '''
def forward_propagation(X, parameters):
    a1 = sigmoid(parameters["W1"] @ X + parameters["b1"])
    a2 = sigmoid(parameters["W2"] @ a1 + parameters["b2"])
    return sigmoid(parameters["W3"] @ a2 + parameters["b3"]), None
''',
    # the 1/m is forgotten
    "backward_propagation": '''
def backward_propagation(X, Y, cache):
    (z1, a1, W1, b1, z2, a2, W2, b2, z3, a3, W3, b3) = cache
    dz3 = a3 - Y
    dz2 = (W3.T @ dz3) * (a2 > 0)
    dz1 = (W2.T @ dz2) * (a1 > 0)
    return {"dW3": dz3 @ a2.T, "db3": dz3.sum(axis=1, keepdims=True),
            "dW2": dz2 @ a1.T, "db2": dz2.sum(axis=1, keepdims=True),
            "dW1": dz1 @ X.T, "db1": dz1.sum(axis=1, keepdims=True)}
''',
    # the first layer's weights get no regularization term
    "backward_propagation_with_regularization": '''
def backward_propagation_with_regularization(X, Y, cache, lambd):
    grads = backward_propagation(X, Y, cache)
    m = X.shape[1]
    (z1, a1, W1, b1, z2, a2, W2, b2, z3, a3, W3, b3) = cache
    grads["dW3"] = grads["dW3"] + lambd / m * W3
    grads["dW2"] = grads["dW2"] + lambd / m * W2
    return grads
''',
    # the surviving activations are not scaled by 1/keep_prob
    "forward_propagation_with_dropout": '''
def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    np.random.seed(1)
    A1 = relu(parameters["W1"] @ X + parameters["b1"])
    D1 = np.random.rand(*A1.shape) < keep_prob
    A1 = A1 * D1
    A2 = relu(parameters["W2"] @ A1 + parameters["b2"])
    D2 = np.random.rand(*A2.shape) < keep_prob
    A2 = A2 * D2
    return sigmoid(parameters["W3"] @ A2 + parameters["b3"]), None
''',
    # the backward pass forgets the 1/keep_prob scaling
    "backward_propagation_with_dropout": '''
def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
    m = X.shape[1]
    dZ3 = A3 - Y
    dA2 = (W3.T @ dZ3) * D2
    dZ2 = dA2 * (A2 > 0)
    dA1 = (W2.T @ dZ2) * D1
    dZ1 = dA1 * (A1 > 0)
    return {"dW3": dZ3 @ A2.T / m, "db3": dZ3.sum(axis=1, keepdims=True) / m,
            "dW2": dZ2 @ A1.T / m, "db2": dZ2.sum(axis=1, keepdims=True) / m,
            "dW1": dZ1 @ X.T / m, "db1": dZ1.sum(axis=1, keepdims=True) / m}
''',
    # scaled by the layer's own size instead of its input's
    "initialize_parameters": '''
def initialize_parameters(layer_dims):
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * np.sqrt(2 / layer_dims[l])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
''',
    # biases as rows
    "initialize_parameters_zeros": '''
def initialize_parameters_zeros(layers_dims):
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.zeros((layers_dims[l], layers_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((1, layers_dims[l]))
    return parameters
''',
    # the seed is not set
    "initialize_parameters_random": '''
def initialize_parameters_random(layers_dims):
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * 10
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
''',
    # Xavier's 1/n where He's 2/n belongs
    "initialize_parameters_he": '''
def initialize_parameters_he(layers_dims):
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(1 / layers_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
''',
    # probabilities returned instead of 0/1 predictions
    "predict": '''
def predict(X, y, parameters):
    a3, _ = forward_propagation(X, parameters)
    return a3
''',
    # the denominator with a minus (seed 002's display erratum)
    "gradient_check": '''
def gradient_check(x, theta, epsilon=1e-7):
    gradapprox = (x * (theta + epsilon) - x * (theta - epsilon)) / (2 * epsilon)
    grad = x
    return abs(grad - gradapprox) / (abs(grad) - abs(gradapprox))
''',
    # the corrected value fed back into the average (seed 003's erratum)
    "exponentially_weighted_averages": '''
def exponentially_weighted_averages(theta, beta, bias_correction=False):
    v, out = 0.0, []
    for t, value in enumerate(theta, start=1):
        v = beta * v + (1 - beta) * value
        if bias_correction:
            v = v / (1 - beta ** t)
        out.append(v)
    return np.array(out)
''',
}
