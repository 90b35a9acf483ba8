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
import base64
import collections
import contextlib
import functools
import html
import inspect
import io
import math
import numbers
import time

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import PIL.Image
from IPython.display import display

from .. import checks
# Private names: weightlab.explore has submodules called network and regularization of its own.
from .. import activations as _activations, datasets as _datasets, initializers as _initializers
from .. import losses as _losses, network as _network, regularization as _regularization
from ..textcache import cache_text

LABEL_STYLE = {"description_width": "initial"}
SLIDER_LAYOUT = {"width": "420px"}


LIVE_HINT = "run this notebook in JupyterLab or on Binder to move its controls"


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

    What every explorer gets from this base, without a line of its own:

    * Its keyword arguments are checked before its ``__init__`` runs: an unknown name, or a
      value outside ``SETTINGS`` (the same table for every explorer: steps, n, lr, ...), raises
      ValueError naming the argument, the value and what is allowed.
    * A value a control cannot take (NaN, inf, text for a slider, an option a drop-down does
      not have), set from Python with ``set`` or on the control itself, is refused: the
      control keeps its value, the picture stays, and the status line says why in words.
    * Displayed, it stores a static view beside the live widgets for pages that run no
      kernel (GitHub, nbviewer, an HTML export): its title and settings as HTML, its figure
      as a PNG, and one line of text saying how to make it live (``static_html``, ``static_text``).
    * Made again in the same notebook cell, the explorer it replaces is closed with its figure
      (``close``): re-running a cell does not pile up open figures. (In a kernel that does not
      say which cell runs, the explorer of the same kind made before is closed.)

    Two declarations the tests read (see tests/test_explorers.py):

    * ``TRIES``: every value the notebook's text asks the learner to try, by control name
      (e.g. ``{"lr": (0.75, 0.85)}``); each must be reachable on its control.
    * ``TRAINING_CONTROLS``: the controls whose change trains a network; they must not
      update continuously while dragged (``continuous_update=False``).
    """

    TRIES = {}
    TRAINING_CONTROLS = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "__init__" in cls.__dict__:
            cls.__init__ = _checked_init(cls.__dict__["__init__"])

    def __init__(self, fig, controls, update=None, title=None, columns=1):
        self.fig, self.controls = fig, dict(controls)
        self._update_function = update
        self.title, self.columns = title, columns
        self.heading = widgets.HTML(f"<b>{title}</b>") if title else None
        self.status = widgets.HTML(value="")
        self.rows = []
        self.redraws = 0
        self.timings_ms = collections.deque(maxlen=200)    # the last 200 redraws: enough for a median
        self._held, self._message = 0, ""
        for w in self.controls.values():
            if hasattr(w, "value"):
                w.observe(self._changed, names="value")
        self.widget = widgets.VBox(self.layout())
        _replace_previous(self)
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
        control, new = change["owner"], change["new"]
        if refusal(control, new):         # NaN or the like set on the control itself: put the old value back
            with self.holding():
                control.value = change["old"]
            self._refuse([refusal(control, new)])     # said once the control holds its old value again
        elif not self._held:
            self.refresh()

    def _refuse(self, problems):
        """Say in the status line which values were refused, above what the picture shows (which stays)."""
        note = words("<br>".join(problems), "warn")
        self.status.value = note + ("<br>" + self._message if self._message else "")

    def refresh(self):
        """Run ``update`` and redraw; the status line shows what it returns."""
        t0 = time.perf_counter()
        with plt.ioff():  # the artists changed here do not each ask for a redraw
            self._message = self.update() or ""
            self.status.value = self._message
            redraw(self.fig)
        self.redraws += 1
        self.timings_ms.append(1e3 * (time.perf_counter() - t0))

    def set(self, **values):
        """Set several controls at once, then redraw once.

        A value the control cannot take (NaN, inf, text for a slider, a number outside its
        range, an option it does not have) is refused: that control keeps its value and the
        status line says why; the others are set. A name that is not a control raises ValueError.
        """
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"no control named {sorted(unknown)}; allowed: {sorted(self.controls)}")
        problems = {k: refusal(self.controls[k], v, k, strict=True) for k, v in values.items()}
        accepted = {k: v for k, v in values.items() if not problems[k]}
        if accepted:
            with self.holding():
                for name, value in accepted.items():
                    self.controls[name].value = value
            self.refresh()
        refused = [p for p in problems.values() if p]
        if refused:
            self._refuse(refused)
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

    # ---- the stored output: live widgets, and a static view for pages without a kernel ----------
    def static_text(self):
        """One line of text: what this explorer is and how to make it live."""
        return f"{self.title or 'An explorer'} (interactive: {LIVE_HINT})"

    def static_html(self):
        """The title, every control's current value ("learning rate: 0.3") and the status line, as
        HTML that shows what the picture below was drawn with and is plainly not a control."""
        rows = "".join(f"<li>{escape(label)}: <b>{escape(value)}</b></li>"
                       for label, value in settings_shown(self.controls))
        title = f'<div style="font-weight:bold">{escape(self.title)}</div>' if self.title else ""
        columns = "columns:2;column-gap:32px" if rows.count("<li>") > 6 else ""
        return (f'<div class="weightlab-static" style="border-left:4px solid #0072B2;background:#f6f8fa;'
                f'padding:6px 10px;margin:2px 0;max-width:860px">{title}'
                f'<div style="color:#555;font-size:90%">The settings of the picture below (a static copy: '
                f'{LIVE_HINT}).</div>'
                f'<ul style="margin:4px 0;padding-left:18px;{columns}">{rows}</ul>'
                f'<div>{self.status.value}</div></div>')

    def _ipython_display_(self):
        live = getattr(self.widget, "_repr_mimebundle_", None)      # None once the explorer is closed
        data = (live() if callable(live) else None) or {}
        data.update({"text/plain": self.static_text(), "text/html": self.static_html()})
        display(data, raw=True)
        show(self.fig, f"[picture: {self.title or 'the explorer above'}]")

    def close(self):
        """Close the figure and every widget (a closed explorer's output stays on the page, no longer live).

        Closing takes each widget out of ipywidgets' registry of live widgets, which would otherwise keep
        the explorer (its figure, runs and caches) in memory through the widgets' callbacks."""
        plt.close(self.fig)
        for w in {id(w): w for w in [*_tree(self.widget), *self.controls.values(), *self.rows]}.values():
            for part in (getattr(w, "layout", None), getattr(w, "style", None), w):
                if isinstance(part, widgets.Widget):
                    part.close()


# ---- values a control can take ------------------------------------------------------------------
NUMERIC = (widgets.FloatSlider, widgets.FloatLogSlider, widgets.IntSlider, widgets.BoundedFloatText,
           widgets.BoundedIntText, widgets.FloatText, widgets.IntText, widgets.Play)
CHOICES = (widgets.Dropdown, widgets.ToggleButtons, widgets.RadioButtons, widgets.Select)
SWITCHES = (widgets.Checkbox, widgets.ToggleButton)


def _tree(widget):
    """A widget and every widget inside it (the children of boxes, at any depth)."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _tree(child)


def control_range(control):
    """(lo, hi) of a numeric control's values, or None where it has no bounds."""
    if isinstance(control, widgets.FloatLogSlider):
        return control.base ** control.min, control.base ** control.max
    lo, hi = getattr(control, "min", None), getattr(control, "max", None)
    return (lo, hi) if lo is not None and hi is not None else None


def allowed_values(control):
    """What a control can take, in words (for messages)."""
    if isinstance(control, CHOICES):
        return "one of " + ", ".join(map(repr, control._options_values))
    if isinstance(control, SWITCHES):
        return "True or False"
    kind = "a whole number" if isinstance(control, (widgets.IntSlider, widgets.IntText, widgets.BoundedIntText,
                                                     widgets.Play)) else "a finite number"
    bounds = control_range(control)
    return f"{kind} from {bounds[0]:g} to {bounds[1]:g}" if bounds else kind


def refusal(control, value, name=None, strict=False):
    """Why ``control`` cannot take ``value`` (a sentence), or None if it can.

    Always refused: a value that is not a finite real number for a numeric control (NaN, inf,
    text). With ``strict`` (values set from Python with ``Explorer.set``) also a number outside
    the control's range, a fraction for a whole-number control, an option it does not have.
    """
    if isinstance(control, NUMERIC):
        integral = isinstance(control, (widgets.IntSlider, widgets.IntText, widgets.BoundedIntText, widgets.Play))
        ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)
        if ok and strict:
            bounds = control_range(control)
            slack = 1e-9 * (bounds[1] - bounds[0]) if bounds else 0
            ok = (not bounds or bounds[0] - slack <= value <= bounds[1] + slack) and (
                not integral or float(value).is_integer())
    elif isinstance(control, CHOICES):
        ok = not strict or any(type(value) is type(o) and value == o for o in control._options_values)
    elif isinstance(control, SWITCHES):
        ok = not strict or isinstance(value, (bool, np.bool_))
    else:
        return None
    if ok:
        return None
    label = escape(control.description or name or "this control")
    finite = not isinstance(value, numbers.Real) or isinstance(value, bool) or math.isfinite(value)
    given = f"cannot be {escape(checks.shown(value))}" if finite else "was given a value that is not a finite number"
    return (f"{label} {given}: allowed: {escape(allowed_values(control))}; "
            f"it stays at {escape(checks.shown(control.value))} and the picture is unchanged.")


def settings_shown(controls):
    """(label, value as text) for every control that holds a setting, as its readout shows it."""
    out = []
    for name, control in controls.items():
        if not hasattr(control, "value") or isinstance(control, (widgets.Play, widgets.Button)):
            continue
        value = control.value
        if isinstance(control, CHOICES):
            text = str(control.label)
        elif isinstance(control, SWITCHES):
            text = "on" if value else "off"
        elif isinstance(value, float):
            try:
                text = format(value, (getattr(control, "readout_format", "") or ".4g").lstrip("~"))
            except ValueError:          # a readout format Python does not know
                text = f"{value:.4g}"
        else:
            text = str(value)
        out.append(((control.description or name).rstrip(": "), text))
    return out


# ---- keyword arguments of every explorer ----------------------------------------------------------
MAX_STEPS = 20_000            # training steps an explorer runs before it shows (replayed in seconds)
MAX_EXPLORER_PARAMETERS = 100_000     # weights and biases of a network an explorer trains and draws


def _momentum(name, value):
    value = checks.number(name, value, 0, what="the momentum beta")
    if value >= 1:
        raise ValueError(f"{name}={checks.shown(value)} is not allowed; allowed: a number from 0 to below 1")
    return value


def _batch_size(name, value):
    return None if value is None else checks.integer(name, value, 1, _datasets.MAX_SAMPLES,
                                                     "samples per step, or None for all of them")


def _sizes(name, value):
    sizes = _network.check_sizes(value)
    if _network.n_parameters(sizes) > MAX_EXPLORER_PARAMETERS:
        raise ValueError(f"{name}={checks.shown(value)} has {_network.n_parameters(sizes):,} parameters; allowed: "
                         f"at most {MAX_EXPLORER_PARAMETERS:,} (what an explorer trains and draws in seconds)")
    return sizes


# name: check(name, value). Every explorer takes a keyword argument of one of these names to mean
# the same thing, and each is checked before the explorer builds anything.
SETTINGS = {
    "steps": lambda k, v: checks.integer(k, v, 0, MAX_STEPS, "training steps"),
    "warmup": lambda k, v: checks.integer(k, v, 0, MAX_STEPS, "training steps"),
    "steps_per_change": lambda k, v: checks.integer(k, v, 1, MAX_STEPS, "training steps"),
    "record_every": lambda k, v: checks.integer(k, v, 1, 1000, "record one step in this many"),
    "n": lambda k, v: checks.integer(k, v, 2, 10_000, "samples an explorer draws"),
    "noise": lambda k, v: checks.number(k, v, 0, 5, what="standard deviation of the noise"),
    "seed": lambda k, v: checks.integer(k, v, 0, 2**32 - 1),
    "seeds": lambda k, v: checks.integer(k, v, 1, 200, "networks trained side by side"),
    "lr": lambda k, v: checks.number(k, v, 0, what="the learning rate"),
    "lam": lambda k, v: checks.number(k, v, 0, what="the penalty strength"),
    "momentum": _momentum,
    "batch_size": _batch_size,
    "scale": lambda k, v: checks.number(k, v, 0, what="the initial scale"),
    "init_scale": lambda k, v: checks.number(k, v, 0, what="the initial scale"),
    "grid": lambda k, v: checks.integer(k, v, 2, 200, "points along each axis of a loss grid"),
    "grid_n": lambda k, v: checks.integer(k, v, 2, 200, "points along each axis of a grid"),
    "arrows": lambda k, v: checks.integer(k, v, 1, 40, "arrows along each axis"),
    "n_lams": lambda k, v: checks.integer(k, v, 2, 100, "penalty strengths compared"),
    "chunk": lambda k, v: checks.integer(k, v, 1, 500, "steps per click"),
    "cache_size": lambda k, v: checks.integer(k, v, 1, 1000, "runs kept"),
    "width": lambda k, v: checks.integer(k, v, 1, 256, "units per hidden layer"),
    "point": lambda k, v: checks.integer(k, v, 0, 10_000, "the index of a data point"),
    "w1": lambda k, v: checks.number(k, v), "w2": lambda k, v: checks.number(k, v),
    "b": lambda k, v: checks.number(k, v),
    "sizes": _sizes,
    "activation": lambda k, v: _activations.check_name(v),
    "dataset": lambda k, v: checks.choice(k, v, tuple(_datasets.MAKERS)),
    "init": lambda k, v: _initializers.check_name(v),
    "penalty": lambda k, v: _regularization.check_kind(v),
    "loss": lambda k, v: _losses.check_name(v, tuple(_losses.LOSSES)),
}


def check_setting(name, value):
    """Check one keyword argument of an explorer against ``SETTINGS`` (names not in it are the explorer's own)."""
    if name in SETTINGS:
        SETTINGS[name](name, value)


class ControlValueError(ValueError):
    """A control was asked to start at a value it cannot show (out of its range, not one of its options)."""

    def __init__(self, message, value, allowed, label):
        super().__init__(message)
        self.value, self.allowed, self.label = value, allowed, label


def _checked_init(init):
    """``init`` (an explorer's ``__init__``) with its keyword arguments checked first; a figure it made
    before failing is closed; a control refusing a starting value names the argument it came from."""
    signature = inspect.signature(init)

    @functools.wraps(init)
    def checked(self, *args, **kwargs):
        try:
            given = signature.bind(self, *args, **kwargs).arguments
        except TypeError:
            names = [p for p in signature.parameters if p != "self"]
            odd = sorted(set(kwargs) - set(names))
            given = f"{odd[0]}={checks.shown(kwargs[odd[0]])} is not a setting" if odd else "too many arguments are given"
            raise ValueError(f"{given} of {type(self).__name__}; allowed: {', '.join(names)}") from None
        given.pop("self", None)
        for name, value in given.items():
            check_setting(name, value)
        before = set(plt.get_fignums())
        try:
            init(self, *args, **kwargs)
        except Exception as e:
            for num in set(plt.get_fignums()) - before:
                plt.close(num)
            if isinstance(e, ControlValueError):
                raise _named(e, given) from None
            raise

    return checked


def _named(error, given):
    """The error of a control that refused its starting value, naming the argument that value came from."""
    names = [k for k, v in given.items() if _same(v, error.value)]
    if len(names) != 1:
        return error
    return ValueError(f"{names[0]}={checks.shown(error.value)} is not allowed; allowed: {error.allowed} "
                      f"(what the control '{error.label}' can show)")


def _same(a, b):
    try:
        return bool(a == b) or a is b
    except Exception:           # arrays and the like
        return a is b


# ---- one live explorer per kind and cell ---------------------------------------------------------
_LIVE = {}


def _cell():
    """Where the explorer is being made: the id of the notebook cell being run (JupyterLab sends it
    with each run), '' in a kernel that sends none, None outside a kernel (a script, a test)."""
    try:
        from IPython import get_ipython
        kernel = getattr(get_ipython(), "kernel", None)
        return None if kernel is None else str(kernel.get_parent().get("metadata", {}).get("cellId") or "")
    except Exception:           # a kernel without parent messages
        return None


def _replace_previous(explorer):
    """In a notebook, close the explorer of the same kind made before in the same cell: re-running a
    cell then leaves no figure open behind it. Outside a kernel every explorer stays as it is."""
    cell = _cell()
    if cell is None:
        return
    key = (type(explorer).__module__, type(explorer).__qualname__, cell)
    old = _LIVE.get(key)
    if old is not None and old is not explorer:
        old.close()
    _LIVE[key] = explorer


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
    connected (``show`` notes the page's "initialized" message), draw at once:
    ``draw()`` renders with Agg and sends the picture straight away.
    Without a connected page (Agg, or a notebook run headless), ``draw_idle()``.
    Call it under ``plt.ioff()``: in interactive mode the artists that become
    stale while drawing would each ask the page for one more redraw.
    """
    canvas = fig.canvas
    if getattr(canvas, "page_connected", False):
        canvas.draw()
    else:
        canvas.draw_idle()


def slider(description, lo, hi, value, step=None, log=False, readout_format=None, integer=False, **kwargs):
    """A labelled slider whose description is shown in full.

    ``log=True`` gives a FloatLogSlider from 10**lo to 10**hi (lo and hi are exponents). A starting
    ``value`` the slider cannot show (outside its range, NaN, not a number) raises ValueError:
    ipywidgets would silently move it to the nearest end.
    """
    common = dict(description=description, style=LABEL_STYLE, layout=SLIDER_LAYOUT,
                  continuous_update=kwargs.pop("continuous_update", True), **kwargs)
    if integer:
        made = widgets.IntSlider(value=lo, min=lo, max=hi, step=step or 1, **common)
    elif log:
        made = widgets.FloatLogSlider(value=10.0 ** lo, base=10, min=lo, max=hi, step=step or 0.1,
                                      readout_format=readout_format or ".2g", **common)
    else:
        made = widgets.FloatSlider(value=lo, min=lo, max=hi, step=step or (hi - lo) / 100,
                                   readout_format=readout_format or ".2f", **common)
    return _start_at(made, value)


def dropdown(description, options, value=None, **kwargs):
    """A labelled drop-down list (a ``value`` that is not one of its options raises ValueError)."""
    made = widgets.Dropdown(description=description, options=options, style=LABEL_STYLE, **kwargs)
    return _start_at(made, value if value is not None else _first(options))


def toggle(description, options, value=None, **kwargs):
    """A row of toggle buttons (one choice; a ``value`` that is not one of them raises ValueError)."""
    made = widgets.ToggleButtons(description=description, options=options, style=LABEL_STYLE, **kwargs)
    return _start_at(made, value if value is not None else _first(options))


def _start_at(control, value):
    """``control`` set to ``value``, or ControlValueError if it cannot show that value."""
    why = refusal(control, value, strict=True)
    if why:
        allowed = allowed_values(control)
        raise ControlValueError(f"{control.description}={checks.shown(value)} is not allowed; allowed: {allowed}",
                                value, allowed, control.description)
    control.value = value
    return control


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
    """A status line in HTML: kind is 'info', 'ok', 'warn' or 'error'.

    ``message`` is put into the page as HTML, as it is: only the package's own text may go in
    unescaped. Any piece of text that comes from outside (a settings string, a file name, a
    learner's input, the message of an error about one of them) must go through ``escape``
    first, or a name like ``<img src=x onerror=...>`` would run as script in the learner's page::

        words(f"Could not load {escape(path)}: {escape(error)}", "error")
    """
    colours = {"info": "#333", "ok": "#1a7f37", "warn": "#9a6700", "error": "#b3261e"}
    return f'<span style="color:{colours[kind]}">{message}</span>'


def grid(extent=(-1.6, 1.6, -1.6, 1.6), n=80):
    """Points on an n x n grid covering extent (x0, x1, y0, y1): returns (points (n*n, 2), xs, ys)."""
    xs = np.linspace(extent[0], extent[1], n)
    ys = np.linspace(extent[2], extent[3], n)
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()]), xs, ys


def show(fig, text=None):
    """Display a figure: a live canvas with ipympl, and for pages that run no kernel a PNG of it (with
    no 'Figure' caption) and ``text`` (default: its titles) as its plain-text form."""
    canvas = fig.canvas
    bundle = getattr(canvas, "_repr_mimebundle_", None) if isinstance(canvas, widgets.DOMWidget) else None
    if callable(bundle):
        data = bundle()                  # the widget view and a PNG (this also gives the page its first picture)
        data.pop("text/html", None)      # the same PNG again, under a "Figure" caption
        _keep_page_true(canvas)
    else:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi="figure")
        data = {"image/png": base64.b64encode(buffer.getvalue()).decode("ascii")}
    data["text/plain"] = text or picture_text(fig)
    # No width in the output's metadata: JupyterLab then leaves some live canvases blank (measured in
    # the browser test); the PNG is stored at the figure's own size, so static pages need none.
    display(data, raw=True)


def _keep_page_true(canvas):
    """Make sure the page's canvas always shows the figure as it is; note when the page connects.

    Races of ipympl (0.10), each seen in the browser test after Run All or after moving controls:

    - Until the page says it is ready, ipympl copies each drawing into the ``_data_url`` state as
      bare base64, without the ``data:image/png;base64,`` its display gave it; a page that builds
      the canvas from that state (a reload) holds a broken image. So the display's picture stays
      the state, and later drawings reach the page only as the binary messages it draws.
    - When it connects, the page sends "refresh" and then "initialized"; ipympl answers the first
      with a request to draw (a round trip) and the second with a "resize" that redraws the page's
      picture at once. If no picture has come yet, that redraw fails ("drawImage ... 'broken'
      state") and the page never asks again: a blank canvas. So "refresh" is answered with the
      picture itself, sent before the resize.
    - ipympl sends a picture of the changed pixels only when it can, and tells the page in a
      separate message whether to clear its canvas first. The two can arrive out of order, and a
      picture that comes before the page has shown the previous one replaces it unseen; either
      way the page's canvas no longer matches the figure (only the changed pixels on a cleared
      canvas, or faded leftovers of earlier pictures), until the next whole picture. So every
      picture is sent whole, and compressed quickly so that this costs little: for the
      explorers of 08, 09 and 11, 15 to 21 ms for a whole picture, against 14 to 17 ms for the
      changed pixels at ipympl's default compression.
    """
    canvas.syncing_data_url = False
    canvas.page_connected = False
    canvas.set_image_mode("full")              # the page clears its canvas before each picture
    canvas.get_diff_image = functools.partial(_whole_picture, canvas)

    def answer(_widget, content, _buffers):
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "refresh":
            canvas.draw()
        elif kind == "initialized":
            canvas.page_connected = True

    canvas.on_msg(answer)


def _whole_picture(canvas):
    """Stands in for a web canvas's ``get_diff_image``: the whole picture as PNG bytes, or None
    if nothing was drawn since the last one."""
    if not canvas._png_is_old:
        return None
    canvas._png_is_old = False
    pixels = np.asarray(canvas.get_renderer().buffer_rgba())
    with io.BytesIO() as png:
        PIL.Image.fromarray(pixels).save(png, format="png", compress_level=1)
        return png.getvalue()


def picture_text(fig):
    """A figure in one line of text, for pages that show no images: '[picture: its titles]'."""
    titles = [t.get_text() for t in ([fig._suptitle] if fig._suptitle else [])]
    titles += [ax.get_title(loc) for ax in fig.axes for loc in ("center", "left", "right")]
    titles = list(dict.fromkeys(t.strip() for t in titles if t and t.strip()))
    return f"[picture: {'; '.join(titles)}]" if titles else "[picture]"


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
