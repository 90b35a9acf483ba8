"""Notebook 07 explorers: what each says in words, that the words agree with the figure, the
declarations the notebook relies on (values to try, controls that train), colours, tick labels,
reset, odd values set from Python, and caches that stay small (the experiments behind them are
tests/test_experiments.py)."""
import math
import re

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex

from weightlab import experiments, explore, health
from weightlab.explore import initialization as ini
from weightlab.plots import OKABE_ITO, decade_axis

OK_GREEN = "#1a7f37"                                   # the colour explore.words gives an "ok" status
POWER_LABEL = re.compile(r"^[≤≥−]?(10[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?$")
FACTORIES = (ini.symmetry_explorer, ini.initialisation_explorer, ini.deep_stack_explorer)


@pytest.fixture
def made():
    """Explorers made in a test, closed after it."""
    explorers = []

    def make(factory, **settings):
        explorers.append(factory(**settings))
        return explorers[-1]
    yield make
    for ex in explorers:
        plt.close(ex.fig)


def _text(ex):
    return re.sub(r"<[^>]+>", "", ex.status.value)


def _labels(axis):
    return [t.get_text() for t in axis.get_ticklabels() if t.get_text()]


# ---- what each says ----------------------------------------------------------------------------
def test_symmetry_explorer_says_what_happens(made):
    ex = made(ini.symmetry_explorer)
    ex.set(no_nudge=True, start="zeros")
    assert "identical at every step" in ex.status.value and "only the output bias" in ex.status.value
    ex.set(start="constant 0.5")
    assert "lockstep" in ex.status.value
    ex.set(no_nudge=False, pattern="one", start="zeros", eps=1e-3)
    assert "twins" in ex.status.value
    ex.set(pattern="every")
    assert "different feature detectors" in ex.status.value


def test_initialisation_explorer_words_and_seed(made):
    ex = made(ini.initialisation_explorer, seeds=6, steps=40)
    ex.set(init="zeros")
    assert "same network" in ex.status.value
    ex.set(init="xavier_normal", scale=0.01)
    assert "still at log 2" in ex.status.value and "plateau" in ex.status.value
    ex.set(scale=1.0)
    assert "still above 0.5" in ex.status.value
    hist_before = explore.render(ex.fig)
    ex.set(seed=3)                               # only the histograms and the highlighted curve change
    assert not np.array_equal(hist_before, explore.render(ex.fig))


def test_deep_stack_explorer_words(made):
    ex = made(ini.deep_stack_explorer)
    ex.set(init="he_normal", activation="relu", scale=1.0)
    assert "about constant" in ex.status.value and OK_GREEN in ex.status.value
    ex.set(init="xavier_normal")
    assert "vanish" in ex.status.value
    ex.set(init="normal")
    assert "explode" in ex.status.value
    ex.set(activation="tanh", init="xavier_normal", scale=10.0)
    assert "saturated" in ex.status.value and "explode" in ex.status.value


# ---- the deep stack's words agree with what it measures and draws ----------------------------------
def test_a_flat_stack_of_saturated_units_is_not_called_good(made):
    """Xavier + sigmoid at scale 10: flat spreads, but half the units saturated (it was a green status)."""
    ex = made(ini.deep_stack_explorer)
    ex.set(init="xavier_normal", activation="sigmoid", scale=10.0)
    text = _text(ex)
    assert OK_GREEN not in ex.status.value and "designed for" in text and "not what" in text
    assert "57% of layer 8's slopes" in text and "×1.06" in text and "= 10 (weights)" in text
    assert ex.sat_texts[7].get_text() == "57% saturated"        # the figure shows the same share


def test_saturated_tanh_that_explodes_says_both_and_why(made):
    """Xavier + tanh at scale 10: saturated units and exploding gradients, explained by weights x slopes."""
    ex = made(ini.deep_stack_explorer)
    ex.set(init="xavier_normal", activation="tanh", scale=10.0)
    text = _text(ex)
    assert "explode" in text and "Saturation does not stop them" in text
    assert "×2.60 going back" in text and "√(n_out·Var W) = 10 (weights) × rms f′ ≈ 0.27" in text
    d = experiments.DeepStack("xavier_normal", "tanh", 10.0)
    k = int(np.argmax(d.saturated))
    assert f"{d.saturated[k]:.0%} of layer {k + 1}'s slopes" in text
    assert [t.get_text() for t in ex.sat_texts] == [f"{s:.0%} saturated" for s in d.saturated]


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "identity"])
def test_every_deep_status_agrees_with_the_measurements(activation, made):
    """Across initialisers and the slider's ends and middle: a green status only when both spreads stay
    within 10% per layer and no layer has a fifth of its slopes saturated; a saturated layer is always named;
    the saturation column is drawn only for bounded activations."""
    ex = made(ini.deep_stack_explorer, n=200)
    for init in ini.DEEP_INITS:
        for scale in (0.1, 1.0, 10.0):
            ex.set(init=init, activation=activation, scale=scale)
            d = experiments.DeepStack(init, activation, scale, n=200)
            if OK_GREEN in ex.status.value:
                assert max(abs(math.log(d.forward)), abs(math.log(d.backward))) <= math.log(1.1), (init, scale)
                assert d.saturated.max() < ini.SATURATED_MENTION, (init, scale)
            if d.saturated.max() >= ini.SATURATED_MENTION:
                assert "saturated" in _text(ex) and OK_GREEN not in ex.status.value, (init, scale)
            drawn = [t.get_text() for t in ex.sat_texts]
            assert all(drawn) if activation in ("tanh", "sigmoid") else not any(drawn)
            assert "nan" not in _text(ex).lower()


def test_deep_heatmaps_have_labelled_colour_bars(made):
    ex = made(ini.deep_stack_explorer)
    for image in ex.images:
        bar = image.colorbar
        assert bar is not None, "a heatmap without a colour bar"
        assert "fullest bin" in bar.ax.get_ylabel()
        assert bar.vmin == 0 and bar.vmax == 1


@pytest.mark.parametrize("setting", [dict(), dict(init="normal", activation="relu", scale=10.0),
                                     dict(init="he_normal", activation="relu", scale=0.1),
                                     dict(init="xavier_normal", activation="sigmoid", scale=1.0)])
def test_deep_tick_labels_are_all_powers_of_ten(setting, made):
    """One format on every log axis of the deep stack (it mixed 1e+07 and 100000)."""
    ex = made(ini.deep_stack_explorer)
    ex.set(**setting)
    explore.render(ex.fig)
    axes = [ex.ax_s.yaxis] + [image.axes.xaxis for image in ex.images]
    for axis in axes:
        labels = _labels(axis)
        assert labels and all(POWER_LABEL.match(t) for t in labels), labels
    assert len(_labels(ex.ax_s.yaxis)) >= 2


def test_symmetry_gap_ticks_are_powers_of_ten(made):
    ex = made(ini.symmetry_explorer)
    explore.render(ex.fig)
    labels = _labels(ex.gap_line.axes.yaxis)
    assert labels == ["10⁻¹⁰", "10⁻⁷", "10⁻⁴", "10⁻¹"]


@pytest.mark.parametrize("init,scale", [("xavier_normal", 10.0), ("constant", 10.0), ("xavier_normal", 0.01)])
def test_every_seed_curve_stays_inside_the_loss_axes(init, scale, made):
    """Xavier x10 ends at 0.0009 and constant x10 starts at 40: both were cut off by a fixed 0.01-10 range."""
    ex = made(ini.initialisation_explorer)
    ex.set(init=init, scale=scale)
    lo, hi = ex.ax_loss.get_ylim()
    drawn = np.concatenate([np.asarray(seg)[:, 1] for seg in ex.curves.get_segments()])
    assert lo <= drawn.min() and drawn.max() <= hi and lo < math.log(2) < hi
    explore.render(ex.fig)
    labels = _labels(ex.ax_loss.yaxis)
    assert labels and all(re.fullmatch(r"\d+(\.\d+)?", t) for t in labels), labels      # plain numbers only


def test_seed_histograms_show_the_same_saturated_share_as_the_text(made):
    ex = made(ini.initialisation_explorer)
    ex.set(scale=10.0)
    assert [h.ax.get_title() for h in ex.act_hists] == ["std 0.86, saturated (f′ < 0.05): 53%",
                                                         "std 0.96, saturated (f′ < 0.05): 80%"]
    assert "10⁻⁶" in ex.grad_hists[0].ax.get_title() and "e-" not in ex.grad_hists[0].ax.get_title()
    ex.set(scale=0.01)
    assert all("e-" not in h.ax.get_title() for h in ex.act_hists + ex.grad_hists)


# ---- declarations: values to try, controls that train ---------------------------------------------
def _reachable(control, value):
    """Whether the learner can set ``value`` on ``control`` (a slider position whose readout shows it)."""
    if isinstance(control, (widgets.Dropdown, widgets.ToggleButtons)):
        return value in control._options_values
    if isinstance(control, widgets.Checkbox):
        return isinstance(value, bool)
    if isinstance(control, widgets.FloatLogSlider):
        k = round((math.log(value, control.base) - control.min) / control.step)
        nearest = control.base ** (control.min + k * control.step)
        return control.min <= control.min + k * control.step <= control.max + 1e-9 and abs(nearest / value - 1) < 5e-3
    k = round((value - control.min) / control.step)
    return control.min <= value <= control.max and abs(control.min + k * control.step - value) < 1e-9


@pytest.mark.parametrize("factory", FACTORIES)
def test_every_value_the_text_asks_to_try_is_reachable(factory, made):
    ex = made(factory)
    assert ex.TRIES, f"{type(ex).__name__} declares no TRIES"
    for name, values in ex.TRIES.items():
        for value in values:
            assert _reachable(ex.controls[name], value), (name, value)


def test_reachability_check_refuses_values_off_the_slider(made):
    ex = made(ini.deep_stack_explorer)
    assert _reachable(ex.controls["scale"], 0.5) and _reachable(ex.controls["scale"], 2.0)   # readout 0.5 and 2
    assert not _reachable(ex.controls["scale"], 0.45) and not _reachable(ex.controls["scale"], 20.0)


@pytest.mark.parametrize("factory", FACTORIES)
def test_controls_that_train_wait_for_the_release(factory, made):
    ex = made(factory)
    for name in ex.TRAINING_CONTROLS:
        assert getattr(ex.controls[name], "continuous_update", False) is False, name


def test_the_seed_scale_trains_and_waits_for_the_release(made):
    ex = made(ini.initialisation_explorer, seeds=2, steps=5)
    assert "scale" in ex.TRAINING_CONTROLS and ex.controls["scale"].continuous_update is False
    before = len(ex.cache)
    ex.set(scale=3.0)                                       # a new scale trains: one more cached run
    assert len(ex.cache) == before + 1


# ---- colours and legends ---------------------------------------------------------------------------
ALLOWED = {c.lower() for c in OKABE_ITO.values()} | {ini.SEED_GREY, ini.REFERENCE_GREY, "#777777"}


@pytest.mark.parametrize("factory", FACTORIES)
def test_categorical_colours_come_from_the_palette_and_legends_are_short(factory, made):
    ex = made(factory)
    explore.render(ex.fig)
    for ax in ex.fig.axes:
        colours = [to_hex(line.get_color()) for line in ax.lines]
        colours += [to_hex(p.get_facecolor(), keep_alpha=False) for p in ax.patches if p.get_height() > 0]
        colours += [to_hex(c, keep_alpha=False) for col in ax.collections if hasattr(col, "get_segments")
                    for c in col.get_colors()]
        assert set(colours) <= ALLOWED, set(colours) - ALLOWED
        legend = ax.get_legend()
        if legend is not None:
            assert len(legend.get_texts()) <= 6


def test_the_three_units_differ_in_colour_and_width():
    assert len(set(ini.UNIT_COLOURS)) == 3 and len(set(ini.UNIT_WIDTHS)) == 3
    assert all(c in OKABE_ITO.values() for c in ini.UNIT_COLOURS)


# ---- reset, odd values, caches ------------------------------------------------------------------------
@pytest.mark.parametrize("factory", FACTORIES)
def test_reset_restores_every_control(factory, made):
    ex = made(factory)
    first, status = ex.values(), ex.status.value
    with ex.holding():
        for name, control in ex.controls.items():
            others = [v for v in explore.positions(control) if v != control.value]
            control.value = others[-1]
    ex.refresh()
    assert ex.values() != first
    ex.reset()
    assert ex.values() == first and ex.status.value == status


@pytest.mark.parametrize("factory,name", [(ini.symmetry_explorer, "eps"), (ini.initialisation_explorer, "scale"),
                                          (ini.deep_stack_explorer, "scale")])
def test_a_nan_set_from_python_goes_back_in_words(factory, name, made):
    ex = made(factory)
    first = ex.controls[name].value
    ex.controls[name].value = float("nan")                  # a slider lets NaN through
    assert ex.controls[name].value == first
    assert "not a finite number" in ex.status.value and "nan" not in _text(ex).lower()


def test_settings_cache_keeps_the_most_recently_used():
    computed = []
    cache = ini.SettingsCache(3)
    get = lambda key: cache.get(key, lambda: computed.append(key) or key * 10)     # noqa: E731
    assert [get(k) for k in (1, 2, 3)] == [10, 20, 30] and computed == [1, 2, 3]
    assert get(1) == 10 and computed == [1, 2, 3]          # a hit computes nothing and makes 1 recent
    get(4)                                                 # pushes out 2, the least recently used
    assert len(cache) == 3 and 2 not in cache and 1 in cache and 3 in cache
    get(2)
    assert computed == [1, 2, 3, 4, 2] and 3 not in cache
    with pytest.raises(ValueError, match="size"):
        ini.SettingsCache(0)


@pytest.mark.parametrize("factory,settings,name", [
    (ini.initialisation_explorer, dict(seeds=2, steps=5, n=10), "scale"),
    (ini.deep_stack_explorer, dict(n=10), "scale"),
])
def test_explorer_caches_stay_capped(factory, settings, name, made):
    """Every new scale used to add a run for ever (+67 MB over 500 values)."""
    ex = made(factory, **settings)
    lo, hi = ex.controls[name].min, ex.controls[name].max
    for exponent in np.linspace(lo, hi, ex.CACHE_SIZE + 7):  # more distinct values than the cache holds
        ex.controls[name].value = 10.0 ** exponent
    assert len(ex.cache) == ex.CACHE_SIZE


def test_the_symmetry_cache_holds_every_start_and_nudge(made):
    ex = made(ini.symmetry_explorer, steps=20)
    for start in ("zeros", "constant 0.5"):
        for pattern in ("one", "every"):
            ex.set(start=start, pattern=pattern)
    assert len(ex.cache) == ex.CACHE_SIZE == 4


# ---- the number formats and tick helper ---------------------------------------------------------------
def test_times_and_plain_numbers():
    assert [ini.times(x) for x in (0.947, 0.99999, 2.5994, 30.6, 5994, 1.4e15, 4.2e-8, 0.0684)] == \
        ["×0.95", "×1.00", "×2.60", "×31", "×6000", "×1.4·10¹⁵", "×4.2·10⁻⁸", "×0.068"]
    assert [ini.plain(x) for x in (4.5e-5, 0.92, 1790, 1e-10)] == ["4.5·10⁻⁵", "0.92", "1800", "10⁻¹⁰"]
    assert ini.times(float("inf")) == "beyond any number"


def test_decade_axis_labels_the_ends_as_beyond():
    fig, ax = plt.subplots()
    try:
        ax.set_xlim(-15, 15)
        decade_axis(ax.xaxis, [-15, 0, 15], lo=-15, hi=15)
        fig.canvas.draw()
        assert _labels(ax.xaxis) == ["≤10⁻¹⁵", "10⁰", "≥10¹⁵"]
    finally:
        plt.close(fig)


def test_saturation_threshold_is_the_health_panels():
    assert health.SATURATED_SLOPE == 0.05          # the 5% of the notebook's text and of the status lines


def test_one_blas_thread_gives_the_same_stack():
    """The deep stack is computed with one BLAS thread when threadpoolctl is there: same numbers."""
    with ini._one_blas_thread():
        one = experiments.DeepStack("he_normal", "relu", 2.0, n=300)
    two = experiments.DeepStack("he_normal", "relu", 2.0, n=300)
    assert np.allclose(one.act_stds, two.act_stds, rtol=1e-12) and np.allclose(one.grad_stds, two.grad_stds, rtol=1e-12)


def test_log_axes_draw_no_minor_ticks(made):
    """Minor ticks on the log axes were dozens of unlabelled lines to draw at every redraw."""
    deep, seeds = made(ini.deep_stack_explorer), made(ini.initialisation_explorer)
    explore.render(deep.fig)
    explore.render(seeds.fig)
    assert not deep.ax_s.yaxis.get_minor_ticks() and not seeds.ax_loss.yaxis.get_minor_ticks()


def test_controls_that_do_not_count_are_disabled(made):
    """The figure ignores ε and the nudge pattern when ε = 0, and the scale for zeros: the controls say so."""
    sym = made(ini.symmetry_explorer, steps=20)
    sym.set(no_nudge=True)
    assert sym.controls["eps"].disabled and sym.controls["pattern"].disabled
    sym.set(no_nudge=False)
    assert not sym.controls["eps"].disabled and not sym.controls["pattern"].disabled
    seeds = made(ini.initialisation_explorer, seeds=2, steps=5)
    seeds.set(init="zeros")
    assert seeds.controls["scale"].disabled and "scale" not in seeds.head.get_text()
    seeds.reset()
    assert not seeds.controls["scale"].disabled


def test_memory_stops_growing_once_the_cache_is_full(made):
    """Traced memory after 3 x CACHE_SIZE more settings stays where it was with a full cache."""
    import tracemalloc
    ex = made(ini.initialisation_explorer, seeds=20, steps=10)
    scales = np.logspace(-2, 1, 4 * ex.CACHE_SIZE)
    tracemalloc.start()
    try:
        for s in scales[:ex.CACHE_SIZE]:
            ex.runs("xavier_normal", float(s))
        full = tracemalloc.get_traced_memory()[0]
        for s in scales[ex.CACHE_SIZE:]:
            ex.runs("xavier_normal", float(s))
        grown = tracemalloc.get_traced_memory()[0] - full
    finally:
        tracemalloc.stop()
    assert len(ex.cache) == ex.CACHE_SIZE and grown < 0.2e6, grown
