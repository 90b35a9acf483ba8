"""Colours that readers with a colour-vision deficiency can tell apart.

Every explorer is drawn at its defaults (``explore.all_explorers()``) and its categorical marks
are collected (``figure_reading.categorical_marks``): lines, markers, segment collections, areas
and patches such as bars, one mark per colour; images, meshes and colormapped collections are
colour scales and left out, and so is a collection of more than 20 colours.

Which pairs encode different things. Two marks are compared when they are in the same panel,
drawn in the same style (a line with the same dash pattern and marker, markers, segments, areas,
patches) and
- have different labels (the legend or a direct label tells them apart), or
- are unlabelled and were given different colours (a colour was chosen to tell them apart; the
  colours of one collection, such as the classes of a scatter, count as marks of their own).
A pair that also differs by line style or marker (its shape, or filled against hollow) is not
compared: the style tells it apart. Two unlabelled marks given the same colour are one family
(and not compared), even when one is drawn more transparent.

Simulation. Deuteranopia, protanopia and tritanopia are simulated at full severity with the
model of Machado, Oliveira and Fernandes (2009), as implemented by ``colorspacious``.

Threshold. A pair must be at least ``MIN_DELTA_E`` = 10 apart in CIELAB (ΔE*ab, CIE 1976), in
normal vision and under each simulation. A ΔE*ab of about 2.3 is just noticeable for large
patches side by side; thin lines and small markers seen apart need several times that (the
difference needed grows as marks get smaller: Stone, Szafir and Setlur, 2014), so 10 is about
four just-noticeable differences. It is met with room by the palette this package uses,
Okabe-Ito, designed for these deficiencies: its closest pair under any of the three simulations
is about 16 apart (checked below). It fails what readers reported: matplotlib's red #d62728 and
green #2ca02c, once the health panel's W2 and W3, are 7.3 apart under deuteranopia.
"""
import itertools

import matplotlib.pyplot as plt
import numpy as np
import pytest
from colorspacious import cspace_convert, deltaE
from colorspacious.cvd import machado_et_al_2009_matrix
from matplotlib.colors import to_rgb

from figure_reading import Mark, categorical_marks
from weightlab import explore, plots

MIN_DELTA_E = 10.0
VISIONS = {"normal vision": None, "deuteranopia": "deuteranomaly", "protanopia": "protanomaly",
           "tritanopia": "tritanomaly"}
FACTORIES = explore.all_explorers()


def seen(rgb, deficiency):
    """The sRGB colour (0-1) as seen with ``deficiency`` (a colorspacious cvd_type at severity 100, or None)."""
    rgb = np.asarray(rgb, dtype=float)
    if deficiency is None:
        return rgb
    cvd = {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}
    return np.clip(cspace_convert(rgb, cvd, "sRGB1"), 0, 1)


def distance(a, b, deficiency):
    """ΔE*ab (CIE 1976) between two sRGB colours as seen with ``deficiency``."""
    return float(deltaE(seen(a, deficiency), seen(b, deficiency), input_space="sRGB1", uniform_space="CIELab"))


def encode_different_things(m, n):
    """Whether marks m and n must be told apart by colour alone (the rule in the module docstring)."""
    if m.ax is not n.ax or m.style != n.style:
        return False
    if m.label and n.label:
        return m.label != n.label
    return (m.raw or m.colour) != (n.raw or n.colour)


def too_close(marks):
    """'label a vs label b: ΔE 7.3 under deuteranopia' for every pair that encodes different things but is
    closer than MIN_DELTA_E in some vision."""
    found = []
    for m, n in itertools.combinations(marks, 2):
        if not encode_different_things(m, n):
            continue
        for vision, deficiency in VISIONS.items():
            d = distance(m.colour, n.colour, deficiency)
            if d < MIN_DELTA_E:
                where = m.ax.get_title() or m.ax.get_ylabel() or "a panel"
                found.append(f"{m.label or _hex(m.colour)} vs {n.label or _hex(n.colour)} in {where!r} "
                             f"({_hex(m.colour)}, {_hex(n.colour)}): ΔE {d:.1f} in {vision}")
                break
    return found


def _hex(rgb):
    return "#" + "".join(f"{round(255 * c):02x}" for c in rgb)


def test_the_simulation_is_machado_2009():
    """Full-severity deuteranopia is the matrix published by Machado et al. (2009), row by row."""
    published = [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    np.testing.assert_allclose(machado_et_al_2009_matrix("deuteranomaly", 100), published, atol=1e-6)
    grey = np.array([0.5, 0.5, 0.5])
    for deficiency in VISIONS.values():       # the simulations keep greys grey
        np.testing.assert_allclose(seen(grey, deficiency), grey, atol=0.01)


def test_the_threshold_accepts_okabe_ito_and_rejects_the_reported_pair():
    colours = [to_rgb(c) for c in plots.OKABE_ITO.values()]
    for vision, deficiency in VISIONS.items():
        closest = min(distance(a, b, deficiency) for a, b in itertools.combinations(colours, 2))
        assert closest > 1.5 * MIN_DELTA_E, f"Okabe-Ito's closest pair is {closest:.1f} apart in {vision}"
    assert distance(to_rgb("#d62728"), to_rgb("#2ca02c"), "deuteranomaly") < MIN_DELTA_E


def test_the_pair_rule():
    fig, (ax, other) = plt.subplots(1, 2)
    try:
        blue, sky, orange = (to_rgb(plots.OKABE_ITO[k]) for k in ("blue", "sky", "orange"))
        line = ("line", "-", None)
        assert encode_different_things(Mark(ax, blue, line, "training"), Mark(ax, orange, line, "validation"))
        assert encode_different_things(Mark(ax, blue, line, None), Mark(ax, sky, line, None))
        assert encode_different_things(Mark(ax, blue, line, "W1"), Mark(ax, blue, line, "W2"))
        assert not encode_different_things(Mark(ax, blue, line, None), Mark(ax, blue, line, None))
        assert not encode_different_things(Mark(ax, blue, line, "a"), Mark(ax, sky, ("line", "--", None), "b"))
        assert not encode_different_things(Mark(ax, blue, line, "a"), Mark(other, sky, line, "b"))
        assert not encode_different_things(Mark(ax, blue, line, "a"), Mark(ax, sky, line, "a"))
    finally:
        plt.close(fig)


def test_marks_are_read_from_a_figure():
    """Lines by colour and style, a scatter's classes, bars by their container's label; not images."""
    fig, ax = plt.subplots()
    try:
        ax.plot([0, 1], [0, 1], color="#0072B2", label="training")
        ax.plot([0, 1], [1, 0], "--", color="#E69F00", label="validation")
        ax.plot([5, 6], [5, 6], color="#009E73", label="off the picture")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.scatter([0.2, 0.4], [0.5, 0.5], c=["#0072B2", "#D55E00"])
        ax.bar([0.5], [0.3], width=0.1, color="#CC79A7", label="counts")
        ax.imshow(np.zeros((2, 2)), extent=(0, 1, 0, 1))
        marks = categorical_marks(fig)
        labels = sorted(str(m.label) for m in marks)
        assert labels == ["None", "None", "counts", "training", "validation"], labels
        styles = {m.label: m.style for m in marks}
        assert styles["validation"] == ("line", "--", None) and styles["counts"] == ("patch",)
        classes = [m for m in marks if m.label is None]
        assert {_hex(m.raw) for m in classes} == {"#0072b2", "#d55e00"}
        assert encode_different_things(*classes)
    finally:
        plt.close(fig)


def test_a_pair_that_collapses_is_found():
    fig, ax = plt.subplots()
    try:
        ax.plot([0, 1], [0, 1], color="#d62728", label="W2")
        ax.plot([0, 1], [1, 0], color="#2ca02c", label="W3")
        ax.plot([0, 1], [0.5, 0.5], ":", color="#d62728", label="told apart by style")
        found = too_close(categorical_marks(fig))
        assert len(found) == 1 and "W2 vs W3" in found[0] and "deuteranopia" in found[0]
    finally:
        plt.close(fig)


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_every_explorer_keeps_its_categories_apart_in_every_colour_vision(name):
    ex = FACTORIES[name]()
    try:
        marks = categorical_marks(ex.fig)
        assert marks, f"{name}: no categorical marks found"
        found = too_close(marks)
        assert not found, f"{name}: colours closer than ΔE {MIN_DELTA_E:g}:\n" + "\n".join(found)
    finally:
        plt.close(ex.fig)
