"""One realistic bug per version of every notebook function, each as a student or porter
really writes it.

``MUTANTS[version_id]`` is the source of a broken function of that API version
(``assignment:name``, see gradspec.conformance.api); ``header(version_id)`` imports the rest
of that assignment's API from the reference, so a test module is the reference's API with
that one function replaced (see tests/test_verify.py). Imported functions are not the
target's own and are not checked: only the broken one is.
"""


def header(version_id: str) -> str:
    assignment = version_id.split(":", 1)[0]
    return ("import math\n\nimport numpy as np\n\nfrom gradspec.reference.notebook import *  # noqa: F403\n"
            f"from gradspec.reference.course.{assignment} import *  # noqa: F403\n\n\n")

MUTANTS = {
    # the loop stops one layer early
    "optimization:update_parameters_with_gd": '''
def update_parameters_with_gd(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters
''',
    # the last, smaller batch is dropped
    "optimization:random_mini_batches": '''
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    np.random.seed(seed)
    m = X.shape[1]
    permutation = list(np.random.permutation(m))
    X, Y = X[:, permutation], Y[:, permutation]
    return [(X[:, k * mini_batch_size:(k + 1) * mini_batch_size], Y[:, k * mini_batch_size:(k + 1) * mini_batch_size])
            for k in range(m // mini_batch_size)]
''',
    # the bias velocity takes the weight's shape
    "optimization:initialize_velocity": '''
def initialize_velocity(parameters):
    v = {}
    for l in range(1, len(parameters) // 2 + 1):
        v["dW" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
        v["db" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
    return v
''',
    # the step uses the gradient, not the velocity
    "optimization:update_parameters_with_momentum": '''
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    for l in range(1, len(parameters) // 2 + 1):
        for p in ("W", "b"):
            v["d" + p + str(l)] = beta * v["d" + p + str(l)] + (1 - beta) * grads["d" + p + str(l)]
            parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * grads["d" + p + str(l)]
    return parameters, v
''',
    # s for the biases takes the weight's shape
    "optimization:initialize_adam": '''
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
    "optimization:update_parameters_with_adam": '''
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
    "optimization:initialize_rmsprop": '''
def initialize_rmsprop(parameters):
    s = {}
    for l in range(1, len(parameters) // 2 + 1):
        s["dW" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
        s["db" + str(l)] = np.zeros((1, parameters["b" + str(l)].shape[0]))
    return s
''',
    # the gradient is not squared
    "optimization:update_parameters_with_rmsprop": '''
def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    for l in range(1, len(parameters) // 2 + 1):
        for p in ("W", "b"):
            k = "d" + p + str(l)
            s[k] = beta2 * s[k] + (1 - beta2) * grads[k]
            parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * grads[k] / np.sqrt(s[k] + epsilon)
    return parameters, s
''',
    # operator precedence: lr0 * 1 / 1 + rate * epoch
    "optimization:update_lr": '''
def update_lr(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 * 1 / 1 + decay_rate * epoch_num
''',
    # the floor is forgotten
    "optimization:schedule_lr_decay": '''
def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * (epoch_num / time_interval))
''',
    # a sign: exp(x) instead of exp(-x)
    "logistic:sigmoid": '''
def sigmoid(x):
    return 1 / (1 + np.exp(x))
''',
    # np.max, not np.maximum
    "regularization:relu": '''
def relu(x):
    return np.max(0, x)
''',
    # the (1 - s) factor is forgotten
    "deep:sigmoid_backward": '''
def sigmoid_backward(dA, cache):
    s = 1 / (1 + np.exp(-cache))
    return dA * s
''',
    # the gradient passes at exactly 0 (dialect relu-grad/one-at-zero, not canonical)
    "deep:relu_backward": '''
def relu_backward(dA, cache):
    dZ = np.array(dA, copy=True)
    dZ[cache < 0] = 0
    return dZ
''',
    # tanh' taken as 1 - tanh
    "shallow:tanh_backward": '''
def tanh_backward(dA, cache):
    return dA * (1 - np.tanh(cache))
''',
    # the minus sign is lost
    "deep:compute_cost": '''
def compute_cost(a3, Y):
    m = Y.shape[1]
    return 1.0 / m * np.sum(Y * np.log(a3) + (1 - Y) * np.log(1 - a3))
''',
    # lambda/m instead of lambda/(2m)
    "regularization:compute_cost_with_regularization": '''
def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    l2 = lambd / m * sum(np.sum(np.square(parameters["W" + str(l)])) for l in (1, 2, 3))
    return compute_cost(A3, Y) + l2
''',
    # sigmoid in the hidden layers
    "regularization:forward_propagation": '''
def forward_propagation(X, parameters):
    a1 = sigmoid(parameters["W1"] @ X + parameters["b1"])
    a2 = sigmoid(parameters["W2"] @ a1 + parameters["b2"])
    return sigmoid(parameters["W3"] @ a2 + parameters["b3"]), None
''',
    # the 1/m is forgotten
    "regularization:backward_propagation": '''
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
    "regularization:backward_propagation_with_regularization": '''
def backward_propagation_with_regularization(X, Y, cache, lambd):
    grads = backward_propagation(X, Y, cache)
    m = X.shape[1]
    (z1, a1, W1, b1, z2, a2, W2, b2, z3, a3, W3, b3) = cache
    grads["dW3"] = grads["dW3"] + lambd / m * W3
    grads["dW2"] = grads["dW2"] + lambd / m * W2
    return grads
''',
    # the surviving activations are not scaled by 1/keep_prob
    "regularization:forward_propagation_with_dropout": '''
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
    "regularization:backward_propagation_with_dropout": '''
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
    "optimization:initialize_parameters/he": '''
def initialize_parameters(layer_dims):
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * np.sqrt(2 / layer_dims[l])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
''',
    # biases as rows
    "initialization:initialize_parameters_zeros": '''
def initialize_parameters_zeros(layers_dims):
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.zeros((layers_dims[l], layers_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((1, layers_dims[l]))
    return parameters
''',
    # the seed is not set
    "initialization:initialize_parameters_random": '''
def initialize_parameters_random(layers_dims):
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * 10
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
''',
    # Xavier's 1/n where He's 2/n belongs
    "initialization:initialize_parameters_he": '''
def initialize_parameters_he(layers_dims):
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(1 / layers_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
''',
    # probabilities returned instead of 0/1 predictions
    "regularization:predict": '''
def predict(X, y, parameters):
    a3, _ = forward_propagation(X, parameters)
    return a3
''',
    # the denominator with a minus (seed 002's display erratum)
    "gradient_checking:gradient_check": '''
def gradient_check(x, theta, epsilon=1e-7):
    gradapprox = (x * (theta + epsilon) - x * (theta - epsilon)) / (2 * epsilon)
    grad = x
    return abs(grad - gradapprox) / (abs(grad) - abs(gradapprox))
''',
    # the corrected value fed back into the average (seed 003's erratum)
    "optimization:exponentially_weighted_averages": '''
def exponentially_weighted_averages(theta, beta, bias_correction=False):
    v, out = 0.0, []
    for t, value in enumerate(theta, start=1):
        v = beta * v + (1 - beta) * value
        if bias_correction:
            v = v / (1 - beta ** t)
        out.append(v)
    return np.array(out)
''',
    # the weights as a 1-D array, not a (dim, 1) column
    "logistic:initialize_with_zeros": '''
def initialize_with_zeros(dim):
    w = np.zeros((dim,))
    b = 0.0
    return w, b
''',
    # dw without the 1/m
    "logistic:propagate": '''
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -1 / m * np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    dw = np.dot(X, (A - Y).T)
    db = 1 / m * np.sum(A - Y)
    cost = np.squeeze(np.array(cost))
    return {"dw": dw, "db": db}, cost
''',
    # the loop restructured so that the cost (and the gradients returned) come after the update
    "logistic:optimize": '''
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    grads, cost = propagate(w, b, X, Y)
    for i in range(num_iterations):
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        grads, cost = propagate(w, b, X, Y)
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs
''',
    # the threshold applied to z = w^T X + b: the sigmoid is forgotten
    "logistic:predict": '''
def predict(w, b, X):
    m = X.shape[1]
    Y_prediction = np.zeros((1, m))
    w = w.reshape(X.shape[0], 1)
    A = np.dot(w.T, X) + b
    for i in range(A.shape[1]):
        Y_prediction[0, i] = 1.0 if A[0, i] > 0.5 else 0.0
    return Y_prediction
''',
    # the output size read from the number of examples, Y.shape[1]
    "shallow:layer_sizes": '''
def layer_sizes(X, Y):
    n_x = X.shape[0]
    n_h = 4
    n_y = Y.shape[1]
    return (n_x, n_h, n_y)
''',
    # np.random.rand (uniform on [0, 1)) where np.random.randn belongs
    "shallow:initialize_parameters/seed-2": '''
def initialize_parameters(n_x, n_h, n_y):
    np.random.seed(2)
    W1 = np.random.rand(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.rand(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
''',
    # relu in the hidden layer where tanh belongs
    "shallow:forward_propagation": '''
def forward_propagation(X, parameters):
    W1, b1, W2, b2 = parameters["W1"], parameters["b1"], parameters["W2"], parameters["b2"]
    Z1 = np.dot(W1, X) + b1
    A1 = np.maximum(0, Z1)
    Z2 = np.dot(W2, A1) + b2
    A2 = 1 / (1 + np.exp(-Z2))
    cache = {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
    return A2, cache
''',
    # the second layer's bias is never updated
    "shallow:update_parameters": '''
def update_parameters(parameters, grads, learning_rate=1.2):
    W1 = parameters["W1"] - learning_rate * grads["dW1"]
    b1 = parameters["b1"] - learning_rate * grads["db1"]
    W2 = parameters["W2"] - learning_rate * grads["dW2"]
    return {"W1": W1, "b1": b1, "W2": W2, "b2": parameters["b2"]}
''',
    # only the y log(a) half of the cross-entropy (the notebook's hint, taken for the whole cost)
    "shallow:compute_cost/with-parameters": '''
def compute_cost(A2, Y, parameters):
    m = Y.shape[1]
    logprobs = np.multiply(np.log(A2), Y)
    cost = -np.sum(logprobs) / m
    return float(np.squeeze(cost))
''',
    # tanh' taken as (1 - A1), not (1 - A1^2)
    "shallow:backward_propagation": '''
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    W2 = parameters["W2"]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = 1 / m * np.dot(dZ2, A1.T)
    db2 = 1 / m * np.sum(dZ2, axis=1, keepdims=True)
    dZ1 = np.dot(W2.T, dZ2) * (1 - A1)
    dW1 = 1 / m * np.dot(dZ1, X.T)
    db1 = 1 / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
''',
    # the probabilities A2 returned, not the predictions
    "shallow:predict": '''
def predict(parameters, X):
    A2, cache = forward_propagation(X, parameters)
    predictions = A2
    return predictions
''',
    # the cache is A, not Z (sigmoid_backward then recomputes sigmoid of sigmoid)
    "deep:sigmoid/with-cache": '''
def sigmoid(Z):
    A = 1 / (1 + np.exp(-Z))
    cache = A
    return A, cache
''',
    # A aliases Z: clipping A in place clips the cached Z too (and the caller's array)
    "deep:relu/with-cache": '''
def relu(Z):
    A = Z
    A[A < 0] = 0
    cache = Z
    return A, cache
''',
    # the * 0.01 is forgotten
    "deep:initialize_parameters/two-layer": '''
def initialize_parameters(n_x, n_h, n_y):
    np.random.seed(1)
    W1 = np.random.randn(n_h, n_x)
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h)
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
''',
    # W shaped (n[l-1], n[l]): the dimensions swapped
    "deep:initialize_parameters_deep": '''
def initialize_parameters_deep(layer_dims):
    np.random.seed(3)
    parameters = {}
    L = len(layer_dims)
    for l in range(1, L):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l - 1], layer_dims[l]) * 0.01
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
''',
    # the bias is forgotten
    "deep:linear_forward": '''
def linear_forward(A, W, b):
    Z = np.dot(W, A)
    cache = (A, W, b)
    return Z, cache
''',
    # the two branches swapped: "sigmoid" runs relu and "relu" runs sigmoid
    "deep:linear_activation_forward": '''
def linear_activation_forward(A_prev, W, b, activation):
    if activation == "sigmoid":
        Z, linear_cache = linear_forward(A_prev, W, b)
        A, activation_cache = relu(Z)
    elif activation == "relu":
        Z, linear_cache = linear_forward(A_prev, W, b)
        A, activation_cache = sigmoid(Z)
    cache = (linear_cache, activation_cache)
    return A, cache
''',
    # the output layer's cache is never appended
    "deep:L_model_forward": '''
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A_prev = A
        A, cache = linear_activation_forward(A_prev, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    return AL, caches
''',
    # db without the 1/m
    "deep:linear_backward": '''
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = 1 / m * np.dot(dZ, A_prev.T)
    db = np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db
''',
    # the two branches swapped: "relu" goes through sigmoid_backward and "sigmoid" through relu_backward
    "deep:linear_activation_backward": '''
def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    if activation == "relu":
        dZ = sigmoid_backward(dA, activation_cache)
        dA_prev, dW, db = linear_backward(dZ, linear_cache)
    elif activation == "sigmoid":
        dZ = relu_backward(dA, activation_cache)
        dA_prev, dW, db = linear_backward(dZ, linear_cache)
    return dA_prev, dW, db
''',
    # dAL without its leading minus sign
    "deep:L_model_backward": '''
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)
    current_cache = caches[L - 1]
    dA_prev_temp, dW_temp, db_temp = linear_activation_backward(dAL, current_cache, "sigmoid")
    grads["dA" + str(L - 1)] = dA_prev_temp
    grads["dW" + str(L)] = dW_temp
    grads["db" + str(L)] = db_temp
    for l in reversed(range(L - 1)):
        current_cache = caches[l]
        dA_prev_temp, dW_temp, db_temp = linear_activation_backward(grads["dA" + str(l + 1)], current_cache, "relu")
        grads["dA" + str(l)] = dA_prev_temp
        grads["dW" + str(l + 1)] = dW_temp
        grads["db" + str(l + 1)] = db_temp
    return grads
''',
    # + where - belongs: gradient ascent
    "deep:update_parameters": '''
def update_parameters(parameters, grads, learning_rate):
    parameters = {k: np.copy(v) for k, v in parameters.items()}
    L = len(parameters) // 2
    for l in range(L):
        parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] + learning_rate * grads["dW" + str(l + 1)]
        parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] + learning_rate * grads["db" + str(l + 1)]
    return parameters
''',
    # multiplied by sqrt(n[l-1]) instead of divided by it
    "regularization:initialize_parameters/scaled": '''
def initialize_parameters(layer_dims):
    np.random.seed(3)
    parameters = {}
    L = len(layer_dims)
    for l in range(1, L):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * np.sqrt(layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
''',
    # J is the derivative x, not theta x (forward and backward confused)
    "gradient_checking:forward_propagation/1-D": '''
def forward_propagation(x, theta):
    J = x
    return J
''',
    # dJ/dtheta taken as theta, not x
    "gradient_checking:backward_propagation/1-D": '''
def backward_propagation(x, theta):
    dtheta = theta
    return dtheta
''',
    # m read from X.shape[0] (the features), not X.shape[1] (the examples)
    "gradient_checking:forward_propagation_n": '''
def forward_propagation_n(X, Y, parameters):
    m = X.shape[0]
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]
    Z1 = np.dot(W1, X) + b1
    A1 = relu(Z1)
    Z2 = np.dot(W2, A1) + b2
    A2 = relu(Z2)
    Z3 = np.dot(W3, A2) + b3
    A3 = sigmoid(Z3)
    logprobs = np.multiply(-np.log(A3), Y) + np.multiply(-np.log(1 - A3), 1 - Y)
    cost = 1.0 / m * np.sum(logprobs)
    cache = (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)
    return cost, cache
''',
    # the assignment's two planted bugs left in (dW2 doubled, db1 with 4/m)
    "gradient_checking:backward_propagation_n": '''
def backward_propagation_n(X, Y, cache):
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = 1.0 / m * np.dot(dZ3, A2.T)
    db3 = 1.0 / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3)
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = 1.0 / m * np.dot(dZ2, A1.T) * 2
    db2 = 1.0 / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = 1.0 / m * np.dot(dZ1, X.T)
    db1 = 4.0 / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}
''',
    # the two-sided difference divided by epsilon, not 2 epsilon
    "gradient_checking:gradient_check_n": '''
def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    parameters_values, _ = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)
    num_parameters = parameters_values.shape[0]
    J_plus = np.zeros((num_parameters, 1))
    J_minus = np.zeros((num_parameters, 1))
    gradapprox = np.zeros((num_parameters, 1))
    for i in range(num_parameters):
        theta_plus = np.copy(parameters_values)
        theta_plus[i] = theta_plus[i] + epsilon
        J_plus[i], _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus))
        theta_minus = np.copy(parameters_values)
        theta_minus[i] = theta_minus[i] - epsilon
        J_minus[i], _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus))
        gradapprox[i] = (J_plus[i] - J_minus[i]) / epsilon
    numerator = np.linalg.norm(grad - gradapprox)
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    difference = numerator / denominator
    return difference
''',
    # the matrices raveled in Fortran (column) order
    "gradient_checking:dictionary_to_vector": '''
def dictionary_to_vector(parameters):
    keys = []
    count = 0
    for key in ["W1", "b1", "W2", "b2", "W3", "b3"]:
        new_vector = np.reshape(parameters[key], (-1, 1), order="F")
        keys = keys + [key] * new_vector.shape[0]
        if count == 0:
            theta = new_vector
        else:
            theta = np.concatenate((theta, new_vector), axis=0)
        count = count + 1
    return theta, keys
''',
    # W3 reshaped to (n[l-1], n[l]) = (3, 1), not (1, 3)
    "gradient_checking:vector_to_dictionary": '''
def vector_to_dictionary(theta):
    parameters = {}
    parameters["W1"] = theta[:20].reshape((5, 4))
    parameters["b1"] = theta[20:25].reshape((5, 1))
    parameters["W2"] = theta[25:40].reshape((3, 5))
    parameters["b2"] = theta[40:43].reshape((3, 1))
    parameters["W3"] = theta[43:46].reshape((3, 1))
    parameters["b3"] = theta[46:47].reshape((1, 1))
    return parameters
''',
    # the keys taken in sorted order: dW1, dW2, dW3, db1, ... (upper case sorts first)
    "gradient_checking:gradients_to_vector": '''
def gradients_to_vector(gradients):
    count = 0
    for key in sorted(gradients):
        new_vector = np.reshape(gradients[key], (-1, 1))
        if count == 0:
            theta = new_vector
        else:
            theta = np.concatenate((theta, new_vector), axis=0)
        count = count + 1
    return theta
''',
    # Y is not shuffled with X's permutation: the labels no longer follow their examples
    "optimization:random_mini_batches/no-seed": '''
def random_mini_batches(X, Y, mini_batch_size=64):
    np.random.seed(0)
    m = X.shape[1]
    mini_batches = []
    permutation = list(np.random.permutation(m))
    shuffled_X = X[:, permutation]
    shuffled_Y = Y.reshape((1, m))
    num_complete_minibatches = math.floor(m / mini_batch_size)
    for k in range(num_complete_minibatches):
        mini_batch_X = shuffled_X[:, k * mini_batch_size:(k + 1) * mini_batch_size]
        mini_batch_Y = shuffled_Y[:, k * mini_batch_size:(k + 1) * mini_batch_size]
        mini_batches.append((mini_batch_X, mini_batch_Y))
    if m % mini_batch_size != 0:
        mini_batch_X = shuffled_X[:, num_complete_minibatches * mini_batch_size:]
        mini_batch_Y = shuffled_Y[:, num_complete_minibatches * mini_batch_size:]
        mini_batches.append((mini_batch_X, mini_batch_Y))
    return mini_batches
''',
}
