"""Claims of notebook 08, overfitting: each test recomputes what one sentence says, with the package."""
import numpy as np
import pytest

import weightlab as wl
from register import claim
from weightlab import experiments, network, regularization
from weightlab.explore import grid
from weightlab.explore.overfitting import EXTENT
from weightlab.problems import noisy_data

NOTEBOOK = "08_overfitting.ipynb"
WIDTHS = experiments.WIDTHS
FROM_4 = slice(WIDTHS.index(4), None)          # the widths 4, 8, ..., 64


@pytest.fixture(scope="module")
def data():
    return noisy_data(0.3, 32)


@pytest.fixture(scope="module")
def run(data):
    """The notebook's 2-32-1 run: every record and the trainer after 500 steps."""
    tr = wl.Trainer(wl.init_params((2, 32, 1), seed=0), data.X, data.y, lr=0.5, momentum=0.9,
                    X_val=data.X_val, y_val=data.y_val, record_every=10)
    tr.step(500)
    return tr


@pytest.fixture(scope="module")
def curves():
    """The explorer's runs: every width on every training-set size, at the ends and the default of noise."""
    return {noise: experiments.learning_curves(noise) for noise in (0.0, 0.3, 0.5)}


def final(lc, n):
    """(training, validation) loss of every width after 500 steps with n training points."""
    return lc.runs[n].loss[-1], lc.runs[n].val_loss[-1]


def val_accuracy(lc, n, t=-1):
    r, d = lc.runs[n], lc.data[n]
    return np.array([network.accuracy(r.params(t % len(r), k), d.X_val, d.y_val) for k in range(len(r.widths))])


# ---- the data -------------------------------------------------------------------------------------
@claim("b76594b3", "1,000 test points, 200 validation points and up to 512 training points")
@claim("b76594b3", "so a larger training set holds every smaller one")
@claim("b76594b3", "Every pile, and every even-sized training set, holds as many points of one class as of the other")
def test_three_piles_nested_and_balanced():
    full = noisy_data(0.3, 512)
    assert (len(full.X), len(full.X_val), len(full.X_test)) == (512, 200, 1000)
    for n in (8, 32, 100, 512):
        d = noisy_data(0.3, n)
        np.testing.assert_array_equal(d.X, full.X[:n])
        assert d.y.sum() == n / 2
    assert full.y_val.sum() == 100 and full.y_test.sum() == 500
    rows = [set(map(tuple, a)) for a in (full.X, full.X_val, full.X_test)]
    assert not (rows[0] & rows[1] or rows[0] & rows[2] or rows[1] & rows[2])


@claim("aff3c4d3", "From $h = 8$ on (33 parameters), there are more numbers to tune than points to fit")
@claim("aff3c4d3", "a 2-32-1 network (129 parameters, about 4 per training point)")
def test_more_parameters_than_points_from_width_8(data):
    counts = {h: network.n_parameters((2, h, 1)) for h in range(1, 65)}
    assert counts[8] == 33 and min(h for h, c in counts.items() if c > len(data.X)) == 8
    assert counts[32] == 129 and round(129 / len(data.X)) == 4


# ---- one wide network ---------------------------------------------------------------------------------
@claim("519e7436", "The validation loss fell for the first 50 steps, to 0.246")
@claim("519e7436", "to 0.792 after 500 steps, more than three times its lowest value")
@claim("519e7436", "The training loss fell at every recorded step, to 0.010")
def test_validation_turns_up_while_training_falls(run, data):
    h = run.history
    b = int(np.argmin(h.val_loss))
    assert h.steps[b] == 50 and round(h.val_loss[b], 3) == 0.246
    assert np.all(np.diff(h.val_loss[:b + 1]) < 0)
    end_val = run.evaluate(data.X_val, data.y_val)
    assert round(end_val, 3) == 0.792 and end_val > 3 * h.val_loss[b]
    assert np.all(np.diff(np.append(h.loss, run.evaluate())) < 0) and round(run.evaluate(), 3) == 0.010


@pytest.fixture(scope="module")
def snapshots(data):
    """The snapshot figure's run (the same network as ``run``, by width_runs) and a fine grid of the picture."""
    r = experiments.width_runs(data, (32,))
    return r, grid(EXTENT, 120)[0]


@claim("95dc62fa", "At step 10 the boundary is nearly a straight line")
def test_early_boundary_is_nearly_straight(snapshots):
    r, G = snapshots
    side = network.predict(r.params(1, 0), G) > 0.5
    A = np.column_stack([G, np.ones(len(G))])
    w = np.linalg.lstsq(A, np.where(side, 1.0, -1.0), rcond=None)[0]
    assert r.steps[1] == 10 and np.mean((A @ w > 0) == side) > 0.95    # a straight line agrees almost everywhere


@claim("95dc62fa", "one training point of the 32 is still on the wrong side")
@claim("95dc62fa", "every training point is on its side")
@claim("95dc62fa", "has shrunk from 30% of the picture to 8%")
def test_boundary_bends_around_the_last_point_and_becomes_sure(snapshots, data):
    r, G = snapshots
    b = int(np.argmin(r.val_loss[:, 0]))
    wrong = [int(np.sum((network.predict(r.params(t, 0), data.X) > 0.5) != (data.y == 1))) for t in (b, -1)]
    assert r.steps[b] == 50 and wrong == [1, 0]
    band = [np.mean(np.abs(network.predict(r.params(t, 0), G) - 0.5) < 0.4) for t in (b, len(r) - 1)]
    assert round(100 * band[0]) == 30 and round(100 * band[1]) == 8


# ---- validation chooses, test reports ---------------------------------------------------------------
@claim("7d1c2a40", "by looking at 51 validation losses and keeping the smallest")
@claim("c84f0e12", "The test loss (0.266) is a little higher than the validation loss that chose the step (0.246)")
def test_test_loss_of_the_chosen_step(run, data):
    h = run.history
    assert len(h.val_loss) == 50          # records at steps 0, 10, ..., 490; the 51st is step 500
    r = experiments.width_runs(data, (32,))
    assert len(r) == 51
    step, val, test = experiments.stopped_on_validation(r, 0, data)
    assert step == 50 and (round(val, 3), round(test, 3)) == (0.246, 0.266) and 0 < test - val < 0.05


# ---- over-confidence ------------------------------------------------------------------------------------
def _right_class(params, data):
    p = wl.predict(params, data.X_val)
    return np.where(data.y_val == 1, p, 1 - p)


@claim("e2b7f9c1", "18 validation points are wrong at step 50, 22 at step 500")
@claim("e2b7f9c1", "the right class of the wrong points gets a median probability of 0.010, and these 22 points carry 98% of the validation loss")
def test_few_more_mistakes_but_sure_of_them(run, data):
    h = run.history
    b = int(np.argmin(h.val_loss))
    stopped = wl.unflatten(h.params[b], (2, 32, 1))
    p_stop, p_end = _right_class(stopped, data), _right_class(run.current, data)
    assert [(p_stop < 0.5).sum(), (p_end < 0.5).sum()] == [18, 22]
    wrong = p_end < 0.5
    loss = -np.log(p_end)
    assert round(np.median(p_end[wrong]), 3) == 0.010 and round(100 * loss[wrong].sum() / loss.sum()) == 98


@claim("e2b7f9c1", "as much as 44 such right answers")
def test_one_confident_mistake_costs_44_right_answers():
    assert round(-np.log(0.9), 3) == 0.105 and round(-np.log(0.01), 1) == 4.6
    assert round(np.log(0.01) / np.log(0.9)) == 44


@claim("e2b7f9c1", "the length of the weight vector went from 6.8 at step 50 to 18.9")
def test_the_weights_grew(run):
    h = run.history
    b = int(np.argmin(h.val_loss))
    lengths = [np.linalg.norm(regularization.weight_vector(p)) for p in
               (wl.unflatten(h.params[b], (2, 32, 1)), run.current)]
    assert [round(v, 1) for v in lengths] == [6.8, 18.9]


# ---- the explorer: width, noise and points ------------------------------------------------------------
@claim("b0c8e4d2", "width 1 (5 parameters) ends with the lowest validation loss, 0.429 against 0.54 to 0.79")
@claim("b0c8e4d2", "its training loss stays at 0.420")
@claim("b0c8e4d2", "Every width from 4 on fits its 32 points (training loss at most 0.010)")
@claim("f5ae966b", "drops from 0.420 for width 1 (0.16 parameters per point) to at most 0.010 for every width from 4 on")
def test_at_32_points_width_1_underfits_and_wide_ones_fit(curves):
    lc = curves[0.3]
    train, val = final(lc, 32)
    assert round(val[0], 3) == 0.429 and val[0] == val.min()
    assert round(val[1:].min(), 2) == 0.54 and round(val[1:].max(), 2) == 0.79
    assert round(train[0], 3) == 0.420 and round(train[FROM_4].max(), 3) <= 0.010
    assert round(lc.ratio[lc.sizes.index(32), 0], 2) == 0.16 and lc.ratio[lc.sizes.index(32), WIDTHS.index(4)] > 0.5


@claim("b0c8e4d2", "every probability it gives a validation point lies between 0.13 and 0.87")
@claim("b0c8e4d2", "gets more validation points right than width 1 (at least 88% against 83%)")
@claim("b0c8e4d2", "lowest validation losses 0.24 to 0.27, against 0.41")
def test_wide_ones_classify_better_and_win_when_stopped_early(curves):
    lc = curves[0.3]
    acc = val_accuracy(lc, 32)
    assert round(100 * acc[0]) == 83 and acc[FROM_4].min() >= 0.88
    r, d = lc.runs[32], lc.data[32]
    p = network.predict(r.params(len(r) - 1, 0), d.X_val)
    assert round(p.min(), 2) == 0.13 and round(p.max(), 2) == 0.87
    best = lc.runs[32].val_loss.min(axis=0)
    assert round(best[0], 2) == 0.41
    assert round(best[FROM_4].min(), 2) == 0.24 and round(best[FROM_4].max(), 2) == 0.27


@claim("b0c8e4d2", "every width from 4 on ends with a validation loss between 0.21 and 0.23, and width 1 with 0.325")
@claim("f5ae966b", "the two losses of each width come together (at most 0.03 apart after 500 steps)")
@claim("f5ae966b", "every width slides left, below one parameter per point")
def test_with_512_points_wide_networks_win(curves):
    lc = curves[0.3]
    train, val = final(lc, 512)
    assert 0.21 <= val[FROM_4].min() and val[FROM_4].max() <= 0.23 and round(val[0], 3) == 0.325
    assert np.abs(val - train).max() <= 0.03
    assert lc.ratio[lc.sizes.index(512)].max() < 1


@claim("b0c8e4d2", "from width 4 on, the validation loss ends below 0.14, within 0.01 of its lowest value")
def test_clean_data_does_not_overfit(curves):
    r = curves[0.0].runs[32]
    end, lowest = r.val_loss[-1, FROM_4], r.val_loss[:, FROM_4].min(axis=0)
    assert end.max() < 0.14 and (end - lowest).max() <= 0.01


@claim("f5ae966b", "for each of the three widths the validation loss after 500 steps falls as the training set grows")
@claim("f5ae966b", "the training loss of widths 8 and 64 rises")
@claim("f5ae966b", "the gap between the two losses closes")
def test_learning_curves_of_the_sample_shown(curves):
    lc = curves[0.3]
    for h in (1, 8, 64):
        k = WIDTHS.index(h)
        assert np.all(np.diff(lc.final_val[:, k]) < 0), h
    for h in (8, 64):
        k = WIDTHS.index(h)
        assert np.all(np.diff(lc.final_loss[:, k]) > 0), h
        assert np.all(np.diff(lc.final_val[:, k] - lc.final_loss[:, k]) < 0), h


@claim("f5ae966b", "every network fits its 8 points (training loss below 0.002) and the 2-64-1 network ends with a validation loss above 10")
def test_eight_points(curves):
    train, val = final(curves[0.3], 8)
    assert train.max() < 0.002 and val[WIDTHS.index(64)] > 10


@claim("f5ae966b", "with 32 points every width from 4 on ends with a validation loss above 1.3")
@claim("f5ae966b", "with 512 points every width ends between 0.39 and 0.43, its two losses less than 0.05 apart")
def test_very_noisy_data(curves):
    lc = curves[0.5]
    assert final(lc, 32)[1][FROM_4].min() > 1.3
    train, val = final(lc, 512)
    assert 0.39 <= val.min() and val.max() <= 0.43 and np.abs(val - train).max() < 0.05


# ---- many samples ------------------------------------------------------------------------------------------
@claim("9f4d6a38", "over six samples, the validation loss of the 2-64-1 network after 500 steps ranges from 0.475 to 1.947")
def test_one_sample_of_32_points_is_noisy():
    vals = [experiments.width_runs(noisy_data(0.3, 32, seed=s), (64,)).val_loss[-1, 0] for s in range(6)]
    assert (round(min(vals), 3), round(max(vals), 3)) == (0.475, 1.947)


@pytest.fixture(scope="module")
def average():
    return experiments.sample_average(noise=0.3, seeds=range(6), widths=(1, 8, 64))


@claim("0d5a8b93", "with 64 training points or fewer, the wider the network, the higher its validation loss after 500 steps")
@claim("0d5a8b93", "(at 32 points: 0.663 for width 1, 0.884 for width 8, 0.971 for width 64), although its training loss is far lower")
def test_on_average_few_points_favour_narrow_networks(average):
    train, val = average
    sizes = experiments.TRAIN_SIZES
    for i, n in enumerate(sizes):
        if n <= 64:
            assert np.all(np.diff(val[i]) > 0) and train[i, 0] > 5 * train[i, 1:].max(), n
    i32 = sizes.index(32)
    assert [round(v, 3) for v in val[i32]] == [0.663, 0.884, 0.971]


@claim("0d5a8b93", "at 128 points the three are level (0.35 to 0.37)")
@claim("0d5a8b93", "from 256 points on the wide networks win (at 512: 0.221 for widths 8 and 64, against 0.333 for width 1)")
@claim("0d5a8b93", "for every width the validation loss falls as the training set grows")
@claim("0d5a8b93", "at 128 points the 2-64-1 network has two parameters per point and its validation loss is level with width 1's")
def test_on_average_many_points_favour_wide_networks(average):
    train, val = average
    sizes = experiments.TRAIN_SIZES
    v128 = val[sizes.index(128)]
    assert 0.35 <= v128.min() and v128.max() <= 0.37 and abs(v128[2] - v128[0]) < 0.01
    assert round(network.n_parameters((2, 64, 1)) / 128, 1) == 2.0
    for n in (256, 512):
        v = val[sizes.index(n)]
        assert v[1:].max() < v[0], n
    v512 = val[sizes.index(512)]
    assert [round(v, 3) for v in v512] == [0.333, 0.221, 0.221]
    assert np.all(np.diff(val, axis=0) < 0)
