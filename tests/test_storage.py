"""Settings strings and weight files: round trips, and a clear ValueError for every kind of bad input."""
import json
import os
import pickle
import zipfile

import numpy as np
import pytest

from weightlab import network, storage


# ---- settings strings -------------------------------------------------------------------
def test_defaults_round_trip():
    s = storage.defaults()
    assert storage.settings_from_json(storage.settings_to_json(s)) == s


def test_a_full_settings_string_round_trips_exactly():
    s = storage.defaults()
    s.update(dataset="spiral", noise=0.25, hidden=[8, 5], activation="relu", lr=0.031622776601683794,
             init="he_uniform", init_scale=2.5, penalty="l2", lam=1e-3, seed=7, data_seed=3, steps=500,
             changes=[[100, "lr", 0.1], [100, "penalty", "l1"], [250, "lam", 0.0], [400, "activation", "tanh"]])
    text = storage.settings_to_json(s)
    assert "\n" not in text
    back = storage.settings_from_json(text)
    assert back == s
    assert back["lr"] == 0.031622776601683794          # floats survive bit for bit
    assert storage.settings_to_json(back) == text


def test_missing_keys_take_their_defaults():
    s = storage.settings_from_json('{"dataset": "moons"}')
    assert s["dataset"] == "moons" and s["lr"] == storage.defaults()["lr"]
    assert s["momentum"] == 0.0 and s["batch_size"] is None      # a string from before momentum: plain full batch


def test_momentum_and_batch_size_round_trip_with_their_changes():
    s = dict(storage.defaults(), momentum=0.9, batch_size=16, steps=50,
             changes=[[10, "batch_size", None], [20, "momentum", 0.0], [30, "batch_size", 1]])
    text = storage.settings_to_json(s)
    assert '"momentum": 0.9, "batch_size": 16' in text and '[10, "batch_size", null]' in text
    assert storage.settings_from_json(text) == s


@pytest.mark.parametrize("n,fraction", [(10, 0.3), (11, 0.05), (200, 0.3), (333, 0.5), (2000, 0.9), (15, 0.9)])
def test_n_train_is_the_split_of_datasets(n, fraction):
    from weightlab import datasets
    assert storage.n_train(n, fraction) == len(datasets.load("moons", n, 0.1, 3, fraction).X)


@pytest.mark.parametrize("text,words", [
    ('{"dataset": "swiss roll"}', "'dataset' has the value \"swiss roll\"; allowed: one of xor"),
    ('{"lr": -1}', "'lr' has the value -1; allowed: a number >= 0"),
    ('{"lr": "fast"}', "'lr' has the value \"fast\""),
    ('{"lr": true}', "'lr' has the value true"),
    ('{"lr": NaN}', "contains NaN"),
    ('{"lr": Infinity}', "contains Infinity"),
    ('{"lam": 1e400}', "'lam' has the value"),
    ('{"hidden": [0]}', "'hidden' has the value [0]; allowed: a list of 1 to 2"),
    ('{"hidden": [3, 3, 3]}', "'hidden'"),
    ('{"hidden": 4}', "'hidden' has the value 4"),
    ('{"steps": 2.5}', "'steps' has the value 2.5; allowed: an integer"),
    ('{"seed": -1}', "'seed' has the value -1"),
    ('{"activation": "swish"}', "'activation' has the value \"swish\""),
    ('{"penalty": "L2"}', "'penalty' has the value \"L2\"; allowed: one of none, l2, l1"),
    ('{"init": "glorot"}', "'init'"),
    ('{"learning_rate": 0.1}', "unknown setting 'learning_rate'; allowed: dataset"),
    ('{"steps": 10, "changes": [[20, "lr", 0.1]]}', "changes[0] has the step 20; allowed: an integer from 0"),
    ('{"steps": 10, "changes": [[5, "lr", 0.1], [2, "lr", 0.2]]}', "changes[1] has the step 2; allowed: an integer from 5"),
    ('{"steps": 10, "changes": [[5, "hidden", [3]]]}',
     "changes[0] changes \"hidden\"; allowed: only lr, momentum, batch_size, penalty"),
    ('{"momentum": 1}', "'momentum' has the value 1; allowed: a number >= 0 and <= 0.99"),
    ('{"momentum": -0.1}', "'momentum' has the value -0.1"),
    ('{"batch_size": 0}', "'batch_size' has the value 0; allowed: null (the full batch) or an integer from 1"),
    ('{"batch_size": 2.5}', "'batch_size' has the value 2.5"),
    ('{"batch_size": "all"}', "'batch_size' has the value \"all\""),
    ('{"batch_size": 141}', "'batch_size' has the value 141; allowed: null (the full batch) or an integer from 1 to 140"),
    ('{"n": 20, "batch_size": 15}', "an integer from 1 to 14, the number of training points"),
    ('{"steps": 10, "changes": [[5, "batch_size", 500]]}', "changes[0]: setting 'batch_size' has the value 500"),
    ('{"steps": 10, "changes": [[5, "momentum", 0.999]]}', "changes[0]: setting 'momentum' has the value 0.999"),
    ('{"steps": 10, "changes": [[5, "lr", -3]]}', "changes[0]: setting 'lr' has the value -3"),
    ('{"steps": 10, "changes": [[5, "lr"]]}', "changes[0] is [5, \"lr\"]; allowed: [step, name, value]"),
    ('{"changes": {}}', "'changes' has the value {}"),
    ('[1, 2]', "settings must be a JSON object"),
    ('{"lr": 0.1', "not valid JSON"),
    ('', "not valid JSON"),
])
def test_bad_settings_raise_a_value_error_naming_key_and_value(text, words):
    with pytest.raises(ValueError) as err:
        storage.settings_from_json(text)
    assert words in str(err.value)


def test_settings_from_json_needs_text():
    with pytest.raises(ValueError, match="must be text"):
        storage.settings_from_json({"lr": 0.1})


def test_settings_to_json_validates_too():
    with pytest.raises(ValueError, match="'noise'"):
        storage.settings_to_json({"noise": -0.1})


# ---- weight files -----------------------------------------------------------------------
@pytest.fixture
def params():
    return network.init_params((2, 4, 3, 1), seed=3)


def test_weights_round_trip_bit_for_bit_with_settings(tmp_path, params):
    s = storage.defaults()
    s["hidden"] = [4, 3]
    path = storage.save_weights(tmp_path / "run", params, s)
    assert path.endswith("run.npz") and os.path.isfile(path)
    back, settings = storage.load_weights(path)
    assert settings == s
    for k in params:
        assert back[k].dtype == np.float64
        np.testing.assert_array_equal(back[k], params[k])
    assert not os.path.exists(path + ".part")


def test_weights_without_settings(tmp_path, params):
    path = storage.save_weights(str(tmp_path / "w.npz"), params)
    back, settings = storage.load_weights(path, sizes=(2, 4, 3, 1))
    assert settings is None and set(back) == set(params)


def test_the_file_holds_plain_arrays_only(tmp_path, params):
    path = storage.save_weights(tmp_path / "w.npz", params, storage.defaults())
    with np.load(path, allow_pickle=False) as data:       # would raise on any object array
        assert sorted(data.files) == sorted(list(params) + ["format", "settings"])
        assert all(data[k].dtype != object for k in data.files)


def _expect(path, *words):
    with pytest.raises(ValueError) as err:
        storage.load_weights(path)
    assert str(err.value).startswith(str(path))
    for w in words:
        assert w in str(err.value), str(err.value)


def test_a_truncated_file(tmp_path, params):
    good = storage.save_weights(tmp_path / "w.npz", params, storage.defaults())
    data = open(good, "rb").read()
    for cut in (len(data) // 2, 30, len(data) - 5):
        bad = tmp_path / f"cut{cut}.npz"
        bad.write_bytes(data[:cut])
        _expect(bad, "not a weightlab weight file")


def test_a_random_binary(tmp_path):
    bad = tmp_path / "noise.npz"
    bad.write_bytes(np.random.default_rng(0).integers(0, 256, 1000, dtype=np.uint8).tobytes())
    _expect(bad, "not a .npz archive")


def test_a_pickle_is_never_loaded(tmp_path):
    ran = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (open, (str(ran), "w"))

    bad = tmp_path / "evil.npz"
    bad.write_bytes(pickle.dumps(Evil()))
    _expect(bad, "pickle", "could run code")
    assert not ran.exists()


def test_an_object_array_inside_an_npz(tmp_path):
    bad = tmp_path / "obj.npz"
    np.savez(bad, W1=np.array([{"a": 1}], dtype=object), format=np.array(storage.FORMAT))
    _expect(bad, "Python objects are never loaded")


def test_wrong_keys_and_wrong_shapes(tmp_path, params):
    marker = np.array(storage.FORMAT)
    p = tmp_path / "keys.npz"
    np.savez(p, weights=np.zeros(3), format=marker)
    _expect(p, "it holds an array named 'weights.npy'; allowed: format, settings, W1, b1, W2, b2")
    p = tmp_path / "missing.npz"
    np.savez(p, W1=params["W1"], b1=params["b1"], W2=params["W2"], format=marker)
    _expect(p, "allowed: W1, b1")
    p = tmp_path / "shape.npz"
    np.savez(p, W1=np.zeros((2, 3)), b1=np.zeros(4), W2=np.zeros((3, 1)), b2=np.zeros(1), format=marker)
    _expect(p, "b1 has shape (4,)")
    p = tmp_path / "nan.npz"
    np.savez(p, W1=np.full((2, 3), np.nan), b1=np.zeros(3), W2=np.zeros((3, 1)), b2=np.zeros(1), format=marker)
    _expect(p, "NaN")
    p = tmp_path / "text.npz"
    np.savez(p, W1=np.array([["a", "b", "c"]] * 2), b1=np.zeros(3), W2=np.zeros((3, 1)), b2=np.zeros(1),
             format=marker)
    _expect(p, "W1 holds <U1 values")


def test_foreign_npz_and_npy_and_missing_file(tmp_path, params):
    p = tmp_path / "foreign.npz"
    np.savez(p, **params)                                  # right arrays, but not written by weightlab
    _expect(p, "no format marker")
    p = tmp_path / "one.npy"
    np.save(p, np.zeros(3))
    _expect(p, "single array (.npy)")
    _expect(tmp_path / "nothing.npz", "no such file")
    p = tmp_path / "empty.npz"
    with zipfile.ZipFile(p, "w"):
        pass
    _expect(p, "no format marker")


def test_bad_stored_settings(tmp_path, params):
    p = tmp_path / "s.npz"
    np.savez(p, settings=np.array(json.dumps({"lr": -1})), format=np.array(storage.FORMAT), **params)
    _expect(p, "stored settings are invalid", "'lr'")


def test_sizes_must_match_when_asked(tmp_path, params):
    path = storage.save_weights(tmp_path / "w.npz", params)
    with pytest.raises(ValueError, match="holds a 2-4-3-1 network; allowed: 2-3-1"):
        storage.load_weights(path, sizes=(2, 3, 1))


def test_save_refuses_populations_and_bad_params(tmp_path):
    with pytest.raises(ValueError, match="population"):
        storage.save_weights(tmp_path / "p", network.init_params(population=2))
    with pytest.raises(ValueError):
        storage.save_weights(tmp_path / "p", {"W1": np.zeros((2, 3))})


def test_a_failed_save_keeps_the_old_file(tmp_path, params):
    path = storage.save_weights(tmp_path / "w.npz", params)
    before = open(path, "rb").read()
    with pytest.raises(ValueError):
        storage.save_weights(path, params, {"lr": -1})       # bad settings: nothing written
    assert open(path, "rb").read() == before


def test_a_compressed_bomb_is_refused_from_its_headers_before_inflating(tmp_path, params):
    """An extra member of zeros compresses a thousandfold; its name is refused before anything is read."""
    import tracemalloc
    p = tmp_path / "bomb.npz"
    np.savez_compressed(p, **params, format=np.array(storage.FORMAT), padding=np.zeros(20_000_000))
    assert p.stat().st_size < 1_000_000
    tracemalloc.start()
    _expect(p, "array named 'padding.npy'")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20_000_000                     # nowhere near the 160 MB the member would inflate to


def test_a_huge_declared_weight_is_refused_from_its_header(tmp_path, params):
    p = tmp_path / "huge.npz"
    np.savez_compressed(p, W1=np.zeros((2, 6_000_000)), b1=np.zeros(6_000_000), W2=np.zeros((6_000_000, 1)),
                        b2=np.zeros(1), format=np.array(storage.FORMAT))
    _expect(p, "more than 10,000,000 numbers")


def test_settings_that_describe_another_network_are_refused(tmp_path, params):
    s = storage.defaults()
    s["hidden"] = [4]                       # a 2-4-1 network, but the arrays (the fixture) are 2-4-3-1
    p = storage.save_weights(tmp_path / "mismatch", params)
    with np.load(p) as data:
        arrays = {k: data[k] for k in data.files}
    arrays["settings"] = np.array(storage.settings_to_json(s))
    np.savez(p, **arrays)
    _expect(p, "its settings describe a 2-4-1 network but its arrays are 2-4-3-1")


@pytest.mark.parametrize("text,words", [
    ("[" * 100_000 + "]" * 100_000, "has 200,000 characters"),
    ("[" * 40_000 + "]" * 40_000, "nested too deeply"),
    ('{"hidden": ' + "[" * 5000 + "]" * 5000 + "}", "nested too deeply"),
    ('{"' + "k" * 90_000 + '": 1}', "unknown setting 'kkkk"),
    ('{"steps": 10000000}', "an integer from 0 to 20000"),
    ('{"steps": 5, "changes": [' + ", ".join(["[1, \"lr\", 0.1]"] * 1001) + "]}", "at most 1,000"),
])
def test_hostile_settings_strings_are_refused_briefly(text, words):
    with pytest.raises(ValueError) as e:
        storage.settings_from_json(text)
    assert words in str(e.value) and len(str(e.value)) < 700


def test_a_huge_file_name_gives_a_short_message(tmp_path):
    with pytest.raises(ValueError) as e:
        storage.load_weights(str(tmp_path / ("n" * 10_000_000)))
    assert "no such file" in str(e.value) and len(str(e.value)) < 300
