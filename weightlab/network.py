"""The network: parameters, forward pass (keeping what backprop needs), backward pass.

Parameters are a dict of float64 arrays named as in the maths: ``W1`` (2, 3),
``b1`` (3,), ``W2`` (3, 1), ``b2`` (1,) for the default sizes (2, 3, 1). Every
array may carry a leading population axis P: ``W1`` (P, 2, 3) holds P networks
that the same code trains at once. Hidden layers use the activation; the last
layer is linear (its output is the prediction for MSE, the logit for
cross-entropy).
"""
import numpy as np

from . import activations, checks, initializers, losses

DEFAULT_SIZES = (2, 3, 1)
# Sizes beyond what a notebook could ever draw or a laptop hold: refused with a ValueError, never a MemoryError.
MAX_PARAMETERS = 10_000_000      # numbers in all the parameters (with a population: of all its networks), 80 MB
MAX_LAYER = 100_000              # units in one layer


def check_sizes(sizes):
    """Layer sizes as a tuple of ints from 1 to MAX_LAYER, at least input and output."""
    try:
        sizes = tuple(sizes)
    except TypeError:
        raise ValueError(f"sizes={checks.shown(sizes)} is not a sequence; allowed: a sequence like (2, 3, 1)") from None
    if not 2 <= len(sizes) <= 64:
        raise ValueError(f"sizes={checks.shown(sizes)} has {len(sizes)} layers; allowed: from 2 (inputs, outputs) to 64")
    for s in sizes:
        try:
            checks.integer("layer size", s, 1, MAX_LAYER)
        except ValueError:
            raise ValueError(f"sizes={checks.shown(sizes)} contains {checks.shown(s)}; allowed: layer sizes are "
                             f"ints from 1 to {MAX_LAYER:,}") from None
    return tuple(int(s) for s in sizes)


def param_names(sizes=DEFAULT_SIZES):
    """['W1', 'b1', 'W2', 'b2', ...] in layer order."""
    names = []
    for layer in range(1, len(check_sizes(sizes))):
        names += [f"W{layer}", f"b{layer}"]
    return names


def n_layers(params):
    """Number of weight layers (2 for a 2-3-1 net)."""
    return len(params) // 2


def sizes_of(params):
    """The layer sizes of ``params``, e.g. (2, 3, 1)."""
    L = n_layers(params)
    return tuple(params[f"W{l}"].shape[-2] for l in range(1, L + 1)) + (params[f"W{L}"].shape[-1],)


def population_size(params):
    """P if the parameters carry a population axis, else None."""
    return params["W1"].shape[0] if params["W1"].ndim == 3 else None


def _per_member(value, P, name):
    if isinstance(value, (list, tuple, np.ndarray)):
        if P is None or len(value) != P:
            raise ValueError(
                f"{name} has {len(value)} entries; allowed: one value, or one per network (population={P})"
            )
        return list(value)
    return [value] * (P or 1)


def init_params(sizes=DEFAULT_SIZES, init="xavier_uniform", scale=1.0, seed=0, population=None):
    """Weights from the initialiser ``init``, biases 0.

    With ``population=P`` the arrays get a leading axis P; ``init``, ``scale``
    and ``seed`` may then be sequences with one entry per network, and an int
    seed gives network k the seed ``seed + k``. Network k is exactly what
    ``init_params(sizes, init[k], scale[k], seed[k])`` returns.
    """
    sizes = check_sizes(sizes)
    if population is not None:
        population = checks.integer("population", population, 1, MAX_PARAMETERS, "the number of networks, or None")
    total = n_parameters(sizes) * (population or 1)
    if total > MAX_PARAMETERS:
        raise ValueError(f"sizes={sizes} with population={population} would hold {total:,} numbers; allowed: at most "
                         f"{MAX_PARAMETERS:,} (a smaller network or population)")
    if population is None:
        rng = initializers.make_rng(seed)
        params = {}
        for l in range(1, len(sizes)):
            params[f"W{l}"] = initializers.init_weight(init, sizes[l - 1], sizes[l], rng, scale)
            params[f"b{l}"] = np.zeros(sizes[l])
        return params
    inits = _per_member(init, population, "init")
    scales = _per_member(scale, population, "scale")
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, (bool, np.bool_)):
        initializers.make_rng(seed)  # validates
        seeds = [int(seed) + k for k in range(population)]
    else:
        seeds = _per_member(seed, population, "seed")
    members = [init_params(sizes, i, s, r) for i, s, r in zip(inits, scales, seeds)]
    return stack(members)


def stack(members):
    """One population dict from a list of single-network dicts."""
    return {k: np.stack([m[k] for m in members]) for k in members[0]}


def member(params, k):
    """Network k of a population, as a single-network dict (a copy)."""
    return {name: v[k].copy() for name, v in params.items()}


def copy(params):
    """A deep copy of the parameters."""
    return {k: v.copy() for k, v in params.items()}


def check_params(params):
    """Check names, shapes and finiteness; return the parameters as float64."""
    if not isinstance(params, dict) or "W1" not in params:
        raise ValueError("params must be a dict with keys W1, b1, W2, b2, ...; got "
                         f"{type(params).__name__} {sorted(params) if isinstance(params, dict) else ''}")
    layers = [int(k[1:]) for k in params if isinstance(k, str) and k[:1] in "Wb" and k[1:].isdigit()]
    L = max(layers, default=1)
    expected = [f"{p}{l}" for l in range(1, L + 1) for p in "Wb"]
    if sorted(params) != sorted(expected):
        raise ValueError(f"params has keys {sorted(params)}; allowed: {expected}")
    out = {k: np.asarray(_real_array(k, v), dtype=np.float64) for k, v in params.items()}
    lead = out["W1"].shape[:-2]
    if out["W1"].ndim not in (2, 3):
        raise ValueError(f"W1 has shape {out['W1'].shape}; allowed: (inputs, hidden) or (P, inputs, hidden)")
    for l in range(1, L + 1):
        W, b = out[f"W{l}"], out[f"b{l}"]
        if W.ndim != len(lead) + 2 or W.shape[:-2] != lead:
            raise ValueError(f"W{l} has shape {W.shape}; allowed: {lead} + (fan_in, fan_out)")
        if b.shape != lead + (W.shape[-1],):
            raise ValueError(f"b{l} has shape {b.shape}; allowed: {lead + (W.shape[-1],)} to match W{l}")
        if l > 1 and W.shape[-2] != out[f"W{l-1}"].shape[-1]:
            raise ValueError(
                f"W{l} has shape {W.shape}; allowed: fan_in {out[f'W{l-1}'].shape[-1]} to match W{l-1}"
            )
    for k, v in out.items():
        if not np.all(np.isfinite(v)):
            raise ValueError(f"{k} contains NaN or inf; allowed: finite numbers")
    return out


def check_structure(params, X=None):
    """The number of layers L, after a quick check that ``params`` has exactly W1, b1, ..., WL, bL
    with shapes that chain (and that X is (N, inputs) real numbers): no full scan of the values."""
    if not isinstance(params, dict):
        raise ValueError(f"params must be a dict with keys W1, b1, W2, b2, ...; got {type(params).__name__}")
    L = sum(1 for k in params if isinstance(k, str) and k.startswith("W"))
    expected = {f"{p}{l}" for l in range(1, L + 1) for p in "Wb"}
    if L == 0 or set(params) != expected:
        raise ValueError(f"params has keys {sorted(map(str, params))}; allowed: "
                         f"{', '.join(sorted(expected)) or 'W1, b1, W2, b2, ...'} (a weight and a bias per layer)")
    fan_in = None if X is None else _real_array("X", X, 2).shape[-1]
    for l in range(1, L + 1):
        W, b = _real_array(f"W{l}", params[f"W{l}"]), _real_array(f"b{l}", params[f"b{l}"])
        if W.ndim < 2 or (fan_in is not None and W.shape[-2] != fan_in) or b.shape[-1:] != W.shape[-1:]:
            raise ValueError(f"W{l} has shape {W.shape} and b{l} {b.shape}; allowed: W{l} (..., {fan_in or 'n_in'}, "
                             f"n_out) and b{l} (..., n_out), each layer's n_in the n_out of the one before")
        fan_in = W.shape[-1]
    return L


def _real_array(name, value, ndim=None):
    """``value`` as an array of real numbers (complex ones would lose their imaginary part silently)."""
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} holds {arr.dtype} values; allowed: real numbers")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} has shape {arr.shape}; allowed: {ndim} axes, e.g. (N, 2) for X")
    return arr


def check_inputs(X, params=None, name="X"):
    """X as a float64 (N, inputs) array of finite numbers, checked against the network's input size
    (``name`` is what the caller calls it, e.g. 'X_val')."""
    X = np.asarray(_real_array(name, X), dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"{name} has shape {X.shape}; allowed: (N, inputs), e.g. (200, 2)")
    if X.shape[0] == 0:
        raise ValueError(f"{name} has 0 rows; allowed: at least one sample")
    if params is not None and X.shape[1] != params["W1"].shape[-2]:
        raise ValueError(f"{name} has shape {X.shape}; allowed: (N, {params['W1'].shape[-2]}) to match W1")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{name} contains NaN or inf; allowed: finite numbers")
    return X


def weighted_sum(X, w, b):
    """z = X w + b: one neuron's weighted sum of its inputs plus bias, for every row of X (N, inputs)."""
    return X @ np.asarray(w, dtype=np.float64) + b


def forward(params, X, activation="tanh", check=True):
    """z_l = a_{l-1} W_l + b_l,  a_l = f(z_l) (hidden),  output z_L (linear).

    Returns the output (..., N, 1) and a cache with every a_l and z_l. The structure of params
    and X is checked, and X must be finite (the values of params are not scanned: NaN in gives
    NaN out); ``check=False`` skips that for a caller that checked them once (the Trainer).
    """
    f, _ = activations.get(activation)
    if check:
        L = check_structure(params, X)
        X = check_inputs(X)
    else:
        L = n_layers(params)
    a, acts, zs = X, [X], []
    for l in range(1, L + 1):
        z = a @ params[f"W{l}"] + params[f"b{l}"][..., None, :]
        zs.append(z)
        if l < L:
            a = f(z)
            acts.append(a)
    return z, {"a": acts, "z": zs, "activation": activation}


def backward(params, cache, dz, deltas=False):
    """Backpropagation: from dL/dz_L to dL/dW_l = a_{l-1}^T dz_l and dL/db_l = sum_n dz_l.

    Going down a layer: dz_{l-1} = (dz_l W_l^T) * f'(z_{l-1}), with f'(z_{l-1}) taken from
    a_{l-1} = f(z_{l-1}). Returns the gradients (a dict like ``params``); with ``deltas=True``
    also the list [dz_1, ..., dz_L]. ``engine.Engine`` is this function's fast twin.
    """
    L, dz = _check_cache(params, cache, dz)
    slope = activations.info(cache["activation"]).slope
    grads, dzs = {}, [dz]
    for l in range(L, 0, -1):
        a_prev = cache["a"][l - 1]
        grads[f"W{l}"] = np.swapaxes(a_prev, -1, -2) @ dz
        grads[f"b{l}"] = dz.sum(axis=-2)
        if l > 1:
            dz = (dz @ np.swapaxes(params[f"W{l}"], -1, -2)) * slope(cache["a"][l - 1])
            dzs.insert(0, dz)
    return (grads, dzs) if deltas else grads


def _check_cache(params, cache, dz):
    """(L, dz) after checking that ``cache`` is what ``forward(params, X)`` returned and that ``dz`` has
    the shape of its output: a mismatch is a ValueError here, not a numpy error inside the products."""
    L = check_structure(params)
    made_by_forward = (isinstance(cache, dict) and {"a", "z", "activation"} <= set(cache)
                       and len(cache["a"]) == L and len(cache["z"]) == L)
    if not made_by_forward:
        raise ValueError(f"cache={checks.shown(cache)} is not what network.forward returned for these params; "
                         "allowed: the cache of network.forward(params, X)")
    for l in range(1, L):
        shape, width = np.shape(cache["a"][l]), params[f"W{l}"].shape[-1]
        if shape[-1:] != (width,):
            raise ValueError(f"cache holds a{l} of shape {shape}; allowed: {shape[:-1] + (width,)} for these params "
                             "(the cache of network.forward with the same params)")
    dz = _real_array("dz", dz)
    if dz.shape != np.shape(cache["z"][-1]):
        raise ValueError(f"dz has shape {dz.shape}; allowed: {np.shape(cache['z'][-1])}, the shape of the "
                         "output z in the cache")
    return L, dz


def predict(params, X, activation="tanh", loss="bce"):
    """The model's answer: sigmoid(z) (probability of class 1) for 'bce', z for 'mse'."""
    z, _ = forward(params, X, activation)
    kind = losses.check_name(loss, tuple(losses.LOSSES))
    return activations.sigmoid(z[..., 0]) if kind in ("bce", "mse_prob") else z[..., 0]


def accuracy(params, X, y, activation="tanh"):
    """The share of points whose side of p = 0.5 (z = 0) matches their 0/1 label; (P,) for a population."""
    p = predict(params, X, activation)
    y = checks.real_array("y", y)
    if y.shape != p.shape[-1:]:
        raise ValueError(f"y has shape {y.shape}; allowed: ({p.shape[-1]},), one label per row of X")
    odd = y[(y != 0) & (y != 1)]
    if odd.size:
        raise ValueError(f"y contains {float(odd.flat[0])!r}; allowed: labels 0 or 1")
    return np.mean((p > 0.5) == (y == 1), axis=-1)


def n_parameters(sizes=DEFAULT_SIZES):
    """Weights and biases of a network with these layer sizes: sum of a*b + b over layers a -> b."""
    sizes = check_sizes(sizes)
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))


def flat_names(sizes=DEFAULT_SIZES):
    """Readable names of every single parameter: 'W1[0,2]', 'b1[1]', ..."""
    sizes = check_sizes(sizes)
    names = []
    for l in range(1, len(sizes)):
        names += [f"W{l}[{i},{j}]" for i in range(sizes[l - 1]) for j in range(sizes[l])]
        names += [f"b{l}[{j}]" for j in range(sizes[l])]
    return names


def flatten(params):
    """All parameters as one vector (..., n_params), in the order of ``flat_names``."""
    check_structure(params)
    lead = params["W1"].shape[:-2]
    return np.concatenate([params[k].reshape(lead + (-1,)) for k in param_names(sizes_of(params))], axis=-1)


def unflatten(vector, sizes=DEFAULT_SIZES):
    """The inverse of ``flatten``."""
    vector = checks.real_array("vector", vector)
    sizes = check_sizes(sizes)
    needed = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    if vector.ndim == 0 or vector.shape[-1] != needed:
        raise ValueError(f"vector has shape {vector.shape}; allowed: {needed} entries in the last axis "
                         f"for sizes {sizes}")
    lead, out, i = vector.shape[:-1], {}, 0
    for l in range(1, len(sizes)):
        n = sizes[l - 1] * sizes[l]
        out[f"W{l}"] = vector[..., i:i + n].reshape(lead + (sizes[l - 1], sizes[l]))
        i += n
        out[f"b{l}"] = vector[..., i:i + sizes[l]].copy()
        i += sizes[l]
    return out


def weight_mask(sizes=DEFAULT_SIZES):
    """True for the weights, False for the biases, in the order of ``flat_names``."""
    return np.array([n.startswith("W") for n in flat_names(sizes)])


def parse_name(name, sizes=DEFAULT_SIZES):
    """'W1[0,2]' -> ('W1', (0, 2)); 'b1[1]' -> ('b1', (1,)); ValueError for a name the network does not have.

    W1[i, j] is the weight from input i+1 to hidden unit j+1 (code counts from 0,
    the diagrams from 1); b1[j] is the bias of hidden unit j+1.
    """
    names = flat_names(sizes)
    if not isinstance(name, str) or name not in names:
        raise ValueError(f"parameter={checks.shown(name)} is not known; allowed: {', '.join(names)}")
    key, rest = name.split("[")
    return key, tuple(int(i) for i in rest.rstrip("]").split(","))


def _one_network(params):
    if check_structure(params) and np.ndim(params["W1"]) != 2:
        raise ValueError("params has a population axis; allowed: one network (use network.member(params, k))")


def get_value(params, name):
    """The value of one parameter named like 'W1[0,2]' or 'b1[1]' (one network)."""
    _one_network(params)
    key, index = parse_name(name, sizes_of(params))
    return float(params[key][index])


def set_value(params, name, value):
    """Set one parameter named like 'W1[0,2]' in place (one network) to a finite number."""
    _one_network(params)
    key, index = parse_name(name, sizes_of(params))
    params[key][index] = checks.number("value", value)
