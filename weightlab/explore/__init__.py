"""Explorers: ipywidgets controls wired to one matplotlib figure.

An explorer is a small class: it builds a figure and a dict of named controls,
and its ``update`` method changes the figure's artists for the controls' current
values and returns a status line. Moving any control calls ``update`` and
redraws the figure. Every control can be set from Python::

    ex = neuron_explorer()
    ex.set(w1=-1.5)            # as if the learner moved the slider
    ex.controls["w1"].value    # -1.5

In a notebook, ``%matplotlib widget`` (ipympl) makes the figure a live canvas;
displaying an explorer shows its controls, a status line that says in words what
happened (for example that training diverged) and the canvas.

Explorers hold no maths of their own: the experiments they show live in
``weightlab.experiments`` and the modules below it; the drawings in ``weightlab.plots``.
"""
import contextlib
import html
import math
import time

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from ..textcache import cache_text

LABEL_STYLE = {"description_width": "initial"}
SLIDER_LAYOUT = {"width": "420px"}


class Explorer:
    """Controls + figure; every change of a control (outside ``holding``) calls ``update()`` and redraws.

    Extension points for an explorer (a subclass):

    * ``update()``: change the figure for the current control values and return the
      status line (HTML, see ``words``). Override it; or pass ``update``, a function of
      no arguments, to build an explorer without subclassing.
    * ``holding()``: a context manager; controls changed inside it do not redraw
      (``set`` moves several controls in it, then redraws once).
    * ``add_row(*widgets)``: buttons, text boxes and the like, in one row between the
      controls and the status line.
    * ``layout()``: the children of the displayed box (title, controls, rows, status);
      override it to arrange them differently.

    A subclass builds its figure, artists and controls, then calls
    ``super().__init__(fig, controls, ...)``, which draws the first picture.

    Two declarations the tests read (see tests/test_explorers.py):

    * ``TRIES``: every value the notebook's text asks the learner to try, by control name
      (e.g. ``{"lr": (0.75, 0.85)}``); each must be reachable on its control.
    * ``TRAINING_CONTROLS``: the controls whose change trains a network; they must not
      update continuously while dragged (``continuous_update=False``).
    """

    TRIES = {}
    TRAINING_CONTROLS = ()

    def __init__(self, fig, controls, update=None, title=None, columns=1):
        self.fig, self.controls = fig, dict(controls)
        self._update_function = update
        self.title, self.columns = title, columns
        self.heading = widgets.HTML(f"<b>{title}</b>") if title else None
        self.status = widgets.HTML(value="")
        self.rows = []
        self.redraws = 0
        self.timings_ms = []
        self._held = 0
        for w in self.controls.values():
            if hasattr(w, "value"):
                w.observe(self._changed, names="value")
        self.widget = widgets.VBox(self.layout())
        self.refresh()

    def update(self):
        """Change the figure for the current control values; return the status line (or None)."""
        if self._update_function is None:
            raise NotImplementedError("an Explorer needs an update function or a subclass with update()")
        return self._update_function()

    @contextlib.contextmanager
    def holding(self):
        """Within ``with ex.holding():`` a change of a control does not redraw."""
        self._held += 1
        try:
            yield self
        finally:
            self._held -= 1

    def _changed(self, change):
        if not self._held:
            self.refresh()

    def refresh(self):
        """Run ``update`` and redraw; the status line shows what it returns."""
        t0 = time.perf_counter()
        with plt.ioff():  # the artists changed here do not each ask for a redraw
            message = self.update()
            self.status.value = message or ""
            redraw(self.fig)
        self.redraws += 1
        self.timings_ms.append(1e3 * (time.perf_counter() - t0))

    def set(self, **values):
        """Set several controls at once, then redraw once."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"no control named {sorted(unknown)}; allowed: {sorted(self.controls)}")
        with self.holding():
            for name, value in values.items():
                self.controls[name].value = value
        self.refresh()
        return self

    def values(self):
        """The current value of every control, by name."""
        return {k: w.value for k, w in self.controls.items() if hasattr(w, "value")}

    def layout(self):
        """The displayed widgets, top to bottom: title, controls (in ``columns``), added rows, status line."""
        boxes = list(self.controls.values())
        if self.columns > 1:
            per = math.ceil(len(boxes) / self.columns)
            boxes = [widgets.HBox([widgets.VBox(boxes[i:i + per]) for i in range(0, len(boxes), per)])]
        head = [self.heading] if self.heading else []
        return head + boxes + self.rows + [self.status]

    def add_row(self, *items):
        """Show ``items`` (widgets) in one row above the status line; returns the explorer."""
        self.rows.append(items[0] if len(items) == 1 else widgets.HBox(list(items)))
        self.widget.children = tuple(self.layout())
        return self

    def _ipython_display_(self):
        display(self.widget)
        canvas = self.fig.canvas
        display(canvas if isinstance(canvas, widgets.DOMWidget) else self.fig)


def figure(width=9.0, height=4.0, **kwargs):
    """A new figure for an explorer, not shown until the explorer is displayed.

    With ipympl its canvas header and footer are hidden and it keeps its size.
    """
    with plt.ioff():
        fig = plt.figure(figsize=(width, height), **kwargs)
    cache_text(fig)
    canvas = fig.canvas
    for attr, value in (("header_visible", False), ("footer_visible", False),
                        ("resizable", False), ("toolbar_visible", False)):
        if hasattr(canvas, attr):
            setattr(canvas, attr, value)
    return fig


def clear(ax):
    """Empty an axes for new content, like ``ax.clear()`` but keeping its tick objects.

    ``ax.clear()`` throws the ticks away, and making them again (at the next
    draw) is most of the time of rebuilding a panel. This removes what was
    plotted, the titles and labels, and puts scales and autoscaling back to
    their defaults; tick positions follow the new content as usual.
    """
    for artist in [*ax.lines, *ax.collections, *ax.patches, *ax.texts, *ax.images, *ax.artists, *ax.tables]:
        artist.remove()
    if ax.legend_ is not None:
        ax.legend_.remove()
    for loc in ("left", "center", "right"):
        ax.set_title("", loc=loc)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_xscale("linear")
    ax.set_yscale("linear")
    ax.set_axis_on()
    ax.grid(False)
    ax.relim()
    ax.set_autoscale_on(True)
    ax.autoscale_view()


def redraw(fig):
    """Draw the figure and show it.

    With ipympl, ``draw_idle()`` only tells the page that the figure is stale;
    the page then asks the kernel to draw, and the kernel sends the picture
    back: a round trip before drawing even starts. Once the page's canvas is
    connected (ipympl stops syncing ``_data_url`` then), draw at once: ipympl's
    ``draw()`` renders with Agg and sends the changed pixels straight away.
    Without a connected page (Agg, or a notebook run headless), ``draw_idle()``.
    Call it under ``plt.ioff()``: in interactive mode the artists that become
    stale while drawing would each ask the page for one more redraw.
    """
    canvas = fig.canvas
    if getattr(canvas, "syncing_data_url", True) is False:
        canvas.draw()
    else:
        canvas.draw_idle()


def slider(description, lo, hi, value, step=None, log=False, readout_format=None, integer=False, **kwargs):
    """A labelled slider whose description is shown in full.

    ``log=True`` gives a FloatLogSlider from 10**lo to 10**hi (lo and hi are exponents).
    """
    common = dict(description=description, style=LABEL_STYLE, layout=SLIDER_LAYOUT,
                  continuous_update=kwargs.pop("continuous_update", True), **kwargs)
    if integer:
        return widgets.IntSlider(value=value, min=lo, max=hi, step=step or 1, **common)
    if log:
        return widgets.FloatLogSlider(value=value, base=10, min=lo, max=hi, step=step or 0.1,
                                      readout_format=readout_format or ".2g", **common)
    return widgets.FloatSlider(value=value, min=lo, max=hi, step=step or (hi - lo) / 100,
                               readout_format=readout_format or ".2f", **common)


def dropdown(description, options, value=None, **kwargs):
    """A labelled drop-down list."""
    return widgets.Dropdown(description=description, options=options,
                            value=value if value is not None else _first(options),
                            style=LABEL_STYLE, **kwargs)


def toggle(description, options, value=None, **kwargs):
    """A row of toggle buttons (one choice)."""
    return widgets.ToggleButtons(description=description, options=options,
                                 value=value if value is not None else _first(options),
                                 style=LABEL_STYLE, **kwargs)


def _first(options):
    first = options[0] if not isinstance(options, dict) else next(iter(options.values()))
    return first[1] if isinstance(first, tuple) else first


def positions(control):
    """The values a test or a benchmark should try for a control: ends and middle, or every option."""
    if isinstance(control, widgets.FloatLogSlider):
        lo, hi = control.min, control.max
        return [control.base ** lo, control.base ** ((lo + hi) / 2), control.base ** hi]
    if isinstance(control, (widgets.FloatSlider, widgets.IntSlider)):
        mid = control.min + (control.max - control.min) / 2
        if isinstance(control, widgets.IntSlider):
            mid = int(round(mid))
        return [control.min, mid, control.max]
    if isinstance(control, (widgets.Dropdown, widgets.ToggleButtons, widgets.RadioButtons)):
        return list(control._options_values)
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return [True, False]
    return []


def escape(text, limit=200):
    """Text from a learner, a settings string or a file, made safe to put into HTML: cut to ``limit``
    characters and escaped (``<img onerror=...>`` shows as text, never runs). Every piece of such
    text that reaches a status line goes through this one function."""
    text = str(text)
    if len(text) > limit:
        text = text[:limit - 1] + "…"
    return html.escape(text, quote=True)


def words(message, kind="info"):
    """A status line in HTML: kind is 'info', 'ok', 'warn' or 'error'. ``message`` is HTML written by the
    package: wrap any text that comes from outside (a settings string, a file, an error about them) in
    ``escape``."""
    colours = {"info": "#333", "ok": "#1a7f37", "warn": "#9a6700", "error": "#b3261e"}
    return f'<span style="color:{colours[kind]}">{message}</span>'


def grid(extent=(-1.6, 1.6, -1.6, 1.6), n=80):
    """Points on an n x n grid covering extent (x0, x1, y0, y1): returns (points (n*n, 2), xs, ys)."""
    xs = np.linspace(extent[0], extent[1], n)
    ys = np.linspace(extent[2], extent[3], n)
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()]), xs, ys


def show(fig):
    """Display a figure that has no controls (a live canvas with ipympl, with a static PNG fallback)."""
    canvas = fig.canvas
    display(canvas if isinstance(canvas, widgets.DOMWidget) else fig)


def all_explorers():
    """Every explorer factory of the package, by name: the functions called ``*_explorer``
    in the modules of ``weightlab.explore`` (used by the tests and the benchmark)."""
    import importlib
    import inspect
    import pkgutil

    found = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.endswith("_explorer") and fn.__module__ == module.__name__:
                found[f"{info.name}.{name}"] = fn
    return dict(sorted(found.items()))


def render(fig):
    """Draw the figure with Agg now and return its pixels (for tests and the benchmark)."""
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()
