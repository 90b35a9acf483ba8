"""Settings strings and weight files: share a run as text, keep weights on disk safely.

A *settings string* is JSON describing a training run completely: the data
(name, size, noise, seed), the network (hidden layers, activation, initialiser,
scale, seed), the training settings (learning rate, momentum, batch size -- null
for the full batch --, penalty, strength), the number of steps taken and every
change of setting made during the run, as ``[step, name, value]``. The same string gives bit-identical weights with the
same versions of weightlab and NumPy (another BLAS library may round the last
bits of a matrix product differently: the run then agrees to about 1e-15).

A *weight file* is a NumPy ``.npz`` archive of plain float arrays (``W1``,
``b1``, ...) plus the settings string. It is read with ``allow_pickle=False``,
so loading a file can never run code; a damaged or foreign file raises
ValueError naming the file and what is wrong.
"""
import json
import os
import zipfile

import numpy as np

from . import activations, checks, datasets, initializers, network, regularization

FORMAT = "weightlab-weights-1"
MAX_HIDDEN_LAYERS, MAX_WIDTH = 2, 8
# What a string or a file may ask for, bounded by what the playground can draw and replay in seconds:
MAX_STEPS = 20_000           # a replay of the largest run (2000 points, 2 x 8 units) takes a few seconds
MAX_POINTS = 2_000           # data points
MAX_CHANGES = 1_000          # changes of setting recorded in one run
MAX_TEXT = 100_000           # characters in a settings string
MAX_FILE_BYTES = 10_000_000  # a weight file (the largest playground network needs about 2 kB)
MAX_MOMENTUM = 0.99         # the playground's slider goes this far; at 1 the velocity would never decay
MIDRUN = ("lr", "momentum", "batch_size", "penalty", "lam", "activation")   # may change while training runs


def _number(lo, hi, lo_open=False):
    def check(v):
        return checks.number("value", v, lo, hi, lo_open=lo_open)
    check.allowed = f"a number {'>' if lo_open else '>='} {lo:g} and <= {hi:g}"
    return check


def _integer(lo, hi):
    def check(v):
        return checks.integer("value", v, lo, hi)
    check.allowed = f"an integer from {lo} to {hi}"
    return check


def _choice(options):
    def check(v):
        return checks.choice("value", v, options)
    check.allowed = "one of " + ", ".join(options)
    return check


def _hidden(v):
    if not isinstance(v, list) or not 1 <= len(v) <= MAX_HIDDEN_LAYERS:
        raise ValueError(_hidden.allowed)
    return [checks.integer("width", w, 1, MAX_WIDTH) for w in v]


_hidden.allowed = f"a list of 1 to {MAX_HIDDEN_LAYERS} layer widths, each an integer from 1 to {MAX_WIDTH}"


def _batch(v):
    return None if v is None else checks.integer("value", v, 1, MAX_POINTS)


_batch.allowed = ("null (the full batch) or an integer from 1 to the number of training points (at most "
                  f"{MAX_POINTS:,})")


def n_train(n, val_fraction):
    """How many of the ``n`` points are kept for training (``datasets.split``'s rule): n - round(fraction * n),
    with at least one point on each side."""
    return n - min(max(1, int(round(val_fraction * n))), n - 1)

ACTIVATIONS = tuple(sorted(activations.ACTIVATIONS))
# name: (check, default)
SCHEMA = {
    "dataset": (_choice(datasets.CLASSIFICATION), "xor"),
    "n": (_integer(10, MAX_POINTS), 200),
    "noise": (_number(0, 0.5), 0.1),
    "data_seed": (_integer(0, 2**32 - 1), 0),
    "val_fraction": (_number(0, 0.9, lo_open=True), 0.3),
    "hidden": (_hidden, [4]),
    "activation": (_choice(ACTIVATIONS), "tanh"),
    "init": (_choice(tuple(initializers.INITIALIZERS)), "xavier_normal"),
    "init_scale": (_number(0, 10), 1.0),
    "seed": (_integer(0, 2**32 - 1), 0),
    "lr": (_number(0, 10), 0.03),
    "momentum": (_number(0, MAX_MOMENTUM), 0.0),
    "batch_size": (_batch, None),
    "penalty": (_choice(regularization.PENALTIES), "none"),
    "lam": (_number(0, 1), 0.0),
    "steps": (_integer(0, MAX_STEPS), 0),
    "changes": (None, []),
}


def defaults():
    """A fresh settings dict with every default."""
    return {k: (list(d) if isinstance(d, list) else d) for k, (_, d) in SCHEMA.items()}


def check_value(key, value):
    """``value`` for the setting ``key`` in its plain form, or ValueError naming the setting, the value
    (as JSON) and what is allowed."""
    check = SCHEMA[key][0]
    try:
        return check(value)
    except ValueError:
        raise ValueError(f"setting {key!r} has the value {_shown_json(value)}; allowed: {check.allowed}") from None


def check_settings(settings):
    """Validate a settings dict; missing keys take their defaults. Returns a new dict.

    Raises ValueError naming the first unknown key or bad value.
    """
    if not isinstance(settings, dict):
        raise ValueError(f"settings must be a JSON object {{...}}, got {type(settings).__name__}")
    unknown = sorted((k for k in settings if k not in SCHEMA), key=str)
    if unknown:
        raise ValueError(f"unknown setting {checks.shown(unknown[0])}; allowed: {', '.join(SCHEMA)}")
    out = defaults()
    for key in SCHEMA:
        if key in settings and key != "changes":
            out[key] = check_value(key, settings[key])
    n = n_train(out["n"], out["val_fraction"])
    out["changes"] = _check_changes(settings.get("changes", []), out["steps"], n)
    _check_batch(out["batch_size"], n, "setting 'batch_size'")
    return out


def _check_batch(batch, n, where):
    """A batch size must not exceed the ``n`` training points."""
    if batch is not None and batch > n:
        raise ValueError(f"{where} has the value {batch}; allowed: null (the full batch) or an integer from 1 to "
                         f"{n}, the number of training points (n less the share kept for validation)")


def _shown_json(value, limit=checks.SHOWN):
    """A value as JSON text, cut to ``limit`` characters (a huge value never makes a huge message)."""
    try:
        text = json.dumps(value)
    except (TypeError, ValueError, RecursionError):
        text = checks.shown(value, limit)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _check_changes(changes, steps, n):
    if not isinstance(changes, list):
        raise ValueError(f"setting 'changes' has the value {_shown_json(changes)}; allowed: a list of "
                         "[step, name, value] entries")
    if len(changes) > MAX_CHANGES:
        raise ValueError(f"setting 'changes' holds {len(changes):,} entries; allowed: at most {MAX_CHANGES:,}")
    out, last = [], 0
    for i, entry in enumerate(changes):
        where = f"changes[{i}]"
        if not isinstance(entry, list) or len(entry) != 3:
            raise ValueError(f"{where} is {_shown_json(entry)}; allowed: [step, name, value], e.g. [120, \"lr\", 0.1]")
        step, key, value = entry
        try:
            checks.integer("step", step, last, steps)
        except ValueError:
            raise ValueError(f"{where} has the step {_shown_json(step)}; allowed: an integer from {last} "
                             f"(the step of the change before it) to {steps} (the number of steps taken)") from None
        if key not in MIDRUN:
            raise ValueError(f"{where} changes {_shown_json(key)}; allowed: only {', '.join(MIDRUN)} can change "
                             "during a run (the others rebuild the network)")
        try:
            value = check_value(key, value)
        except ValueError as e:
            raise ValueError(f"{where}: {e}") from None
        if key == "batch_size":
            _check_batch(value, n, f"{where}: setting 'batch_size'")
        out.append([step, key, value])
        last = step
    return out


def settings_to_json(settings):
    """The settings as a one-line JSON string (validated first), keys in a fixed order."""
    s = check_settings(settings)
    return json.dumps({k: s[k] for k in SCHEMA}, separators=(", ", ": "), allow_nan=False)


def settings_from_json(text):
    """Parse and validate a settings string; ValueError says which key or value is wrong."""
    if not isinstance(text, str):
        raise ValueError(f"a settings string must be text, got {type(text).__name__}")
    if len(text) > MAX_TEXT:
        raise ValueError(f"the settings string has {len(text):,} characters; allowed: at most {MAX_TEXT:,} "
                         "(a real one has a few hundred)")
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as e:
        raise ValueError(f"the settings string is not valid JSON: {e.msg} at line {e.lineno} column {e.colno}"
                         ) from None
    except RecursionError:
        raise ValueError("the settings string is nested too deeply; allowed: one JSON object of settings, "
                         "with lists only for 'hidden' and 'changes'") from None
    try:
        return check_settings(data)
    except RecursionError:
        raise ValueError("the settings string is nested too deeply; allowed: one JSON object of settings") from None


def _no_constant(name):
    raise ValueError(f"the settings string contains {name}; allowed: finite numbers only")


# ---------------------------------------------------------------------------------------
# Weight files
# ---------------------------------------------------------------------------------------
def save_weights(path, params, settings=None):
    """Write ``params`` (one network) and optionally its settings to ``path`` (.npz added if missing).

    The file is written next to the target first and then moved into place, so
    a failed save never leaves half a file. Returns the path written.
    """
    params = network.check_params(params)
    if params["W1"].ndim != 2:
        raise ValueError("save_weights stores one network; got a population (W1 has 3 axes)")
    path = os.fspath(path)
    if not path.endswith(".npz"):
        path += ".npz"
    arrays = {k: np.ascontiguousarray(v, dtype=np.float64) for k, v in params.items()}
    arrays["format"] = np.array(FORMAT)
    if settings is not None:
        arrays["settings"] = np.array(settings_to_json(settings))
    tmp = path + ".part"
    with open(tmp, "wb") as f:
        np.savez(f, **arrays)
    os.replace(tmp, path)
    return path


def load_weights(path, sizes=None):
    """(params, settings or None) from a weight file written by ``save_weights``.

    Never unpickles. Raises ValueError naming the file for a missing, damaged or
    foreign file, wrong keys or shapes, non-finite numbers, settings of another
    network than its arrays, or (with ``sizes``) a network of other layer sizes.
    """
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise ValueError(f"path={checks.shown(path)} is not allowed; allowed: a file name (text or a pathlib.Path)")
    path = os.fspath(path)
    name = _label(path)             # the file named in messages (a huge name is cut)
    contents = _read_archive(path, name)
    fmt = contents.pop("format", None)
    if fmt is None or fmt.shape != () or str(fmt) != FORMAT:
        raise ValueError(f"{name}: not a weightlab weight file: no format marker {FORMAT!r}")
    text = contents.pop("settings", None)
    settings = None
    if text is not None:
        if text.dtype.kind != "U" or text.shape != ():
            raise ValueError(f"{name}: the stored settings are not a text string")
        try:
            settings = settings_from_json(str(text))
        except ValueError as e:
            raise ValueError(f"{name}: the stored settings are invalid: {e}") from None
    params = _params_from(name, contents)
    found = network.sizes_of(params)
    if settings is not None and found != (2, *settings["hidden"], 1):
        raise ValueError(f"{name}: its settings describe a {'-'.join(map(str, (2, *settings['hidden'], 1)))} network "
                         f"but its arrays are {'-'.join(map(str, found))}; allowed: settings and "
                         "arrays of the same network")
    if sizes is not None and found != tuple(sizes):
        raise ValueError(f"{name}: the file holds a {'-'.join(map(str, found))} network; "
                         f"allowed: {'-'.join(map(str, sizes))} (the current network)")
    return params, settings


def _label(path, limit=120):
    """A file name for a message: cut to ``limit`` characters (a 10 MB name never makes a 10 MB message)."""
    return path if len(path) <= limit else path[:limit - 1] + "…"


def _read_archive(path, name):
    """Every array of the .npz file ``path`` (called ``name`` in messages), after checking what it is from its
    first bytes and headers."""
    if not os.path.isfile(path):
        raise ValueError(f"{name}: no such file")
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as e:
        raise ValueError(f"{name}: the file cannot be read ({e.strerror or type(e).__name__})") from None
    if head.startswith(b"\x93NUMPY"):
        raise ValueError(f"{name}: not a weightlab weight file: it holds a single array (.npy), not an archive of "
                         "weights (.npz)")
    if not head.startswith(b"PK"):
        what = ("it holds Python objects (a pickle), which are never loaded because loading them could run code"
                if head[:1] == b"\x80" else "it is not a .npz archive (it does not start like a zip file)")
        raise ValueError(f"{name}: not a weightlab weight file: {what}")
    if os.path.getsize(path) > MAX_FILE_BYTES:
        raise ValueError(f"{name}: the file has {os.path.getsize(path):,} bytes; allowed: at most {MAX_FILE_BYTES:,}")
    try:
        _inspect(path, name)        # names, shapes and types from the headers, before reading any array
        with np.load(path, allow_pickle=False) as data:
            return {k: data[k] for k in data.files}
    except ValueError as e:
        if str(e).startswith(name):
            raise
        raise ValueError(f"{name}: not a weightlab weight file: {_why(e)}") from None
    except Exception as e:          # any read error: say what, name the file
        raise ValueError(f"{name}: not a weightlab weight file: {_why(e)}") from None


def _params_from(name, contents):
    """The arrays W1, b1, ... of one network, checked (names, types, shapes, finite values)."""
    layers = len(contents) // 2
    expected = [f"{p}{l}" for l in range(1, layers + 1) for p in "Wb"]
    if not contents or sorted(contents) != sorted(expected):
        raise ValueError(f"{name}: it holds the arrays {', '.join(sorted(contents)) or '(none)'}; allowed: "
                         "W1, b1, W2, b2, ... (one weight matrix and one bias vector per layer)")
    for k, v in contents.items():
        if v.dtype.kind not in "fiu":
            raise ValueError(f"{name}: {k} holds {v.dtype} values; allowed: numbers")
    try:
        params = network.check_params(contents)
    except ValueError as e:
        raise ValueError(f"{name}: {e}") from None
    if params["W1"].ndim != 2:
        raise ValueError(f"{name}: W1 has shape {params['W1'].shape}; allowed: one network (2 axes)")
    return params


def _inspect(path, name):
    """Check every member of the archive from its header alone: a known name, a plain numeric (or text)
    type and a size within bounds. Nothing is decompressed beyond the headers."""
    total = 0
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        if len(members) > 2 + 2 * 64:
            raise ValueError(f"{name}: it holds {len(members)} arrays; allowed: W1, b1, ... for at most 64 layers")
        for info in members:
            key = info.filename[:-4] if info.filename.endswith(".npy") else None
            if key is None or not (key in ("format", "settings") or (key[:1] in "Wb" and key[1:].isdigit())):
                raise ValueError(f"{name}: it holds an array named {checks.shown(info.filename)}; allowed: format, "
                                 "settings, W1, b1, W2, b2, ...")
            with archive.open(info) as f:
                version = np.lib.format.read_magic(f)
                read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
                shape, _, dtype = read(f)
            count = int(np.prod(shape, dtype=np.int64)) if shape else 1
            if dtype.hasobject or dtype.kind not in ("fiuU" if key in ("format", "settings") else "fiu"):
                raise ValueError(f"{name}: {key} holds {dtype} values; allowed: numbers"
                                 + (" (Python objects are never loaded: that could run code)" if dtype.hasobject else ""))
            if dtype.kind == "U" and count * dtype.itemsize > 4 * MAX_TEXT:
                raise ValueError(f"{name}: {key} holds {count * dtype.itemsize // 4:,} characters; allowed: at most "
                                 f"{MAX_TEXT:,}")
            total += count
            if total > network.MAX_PARAMETERS:
                raise ValueError(f"{name}: its arrays hold more than {network.MAX_PARAMETERS:,} numbers; allowed: at "
                                 f"most {network.MAX_PARAMETERS:,}")


def _why(e):
    if isinstance(e, zipfile.BadZipFile):
        return "the archive is damaged or truncated"
    if isinstance(e, EOFError):
        return "the file ends too early"
    text = str(e)
    if "pickle" in text:
        return "it holds Python objects (pickled data), which are never loaded because that could run code"
    return f"{type(e).__name__}: {text}" if text else type(e).__name__
