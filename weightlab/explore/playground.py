"""Notebook 10, the playground: everything together, in the spirit of TensorFlow Playground.

* ``Run``: a reproducible training run built from a settings dict (see
  ``weightlab.storage``). Learning rate, penalty, strength and activation may
  change while it trains; each change is recorded as ``[step, name, value]``.
* ``replay(settings)``: rebuild a run from its settings (string or dict); the
  same settings give bit-identical weights.
* ``playground_explorer``: data, network and training settings; play / pause,
  step and reset; the network diagram, the decision boundary, the loss curves
  and the health panel updating as it trains; a settings string to copy and
  paste; weights to save to a file and load back.

What changes when: learning rate, penalty, strength and activation apply to
the running network at the next step, without resetting its weights. Data,
noise, hidden layers, width, initialiser, initial scale and seed define a
different network: changing one rebuilds the run at step 0, and the status
line says so.
"""
import time

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from .. import datasets, initializers, network, plots, storage
from ..training import Trainer
from . import Explorer, clear, dropdown, figure, slider, toggle, words
from .monitoring import HealthPanel, diagnose, log_loss_axis, thin_log_ticks

REBUILD = ("dataset", "noise", "hidden", "init", "init_scale", "seed")
PENALTY_OPTIONS = [("none", "none"), ("L2", "l2"), ("L1", "l1")]
ACTIVATIONS = ("tanh", "relu", "leaky_relu", "sigmoid", "identity")
DEFAULT_FILE = "playground_weights.npz"


def accuracy(params, X, y, activation):
    """Share of points on the right side of 0.5."""
    return float(np.mean((network.predict(params, X, activation) > 0.5) == (y == 1)))


class Run:
    """Data, network and Trainer built from settings; records every change of setting made while it runs."""

    def __init__(self, settings=None):
        s = storage.check_settings(settings or {})
        self.base = dict(s, steps=0, changes=[])
        self.data = datasets.load(s["dataset"], s["n"], s["noise"], s["data_seed"], s["val_fraction"])
        self.sizes = (2, *s["hidden"], 1)
        params = network.init_params(self.sizes, s["init"], s["init_scale"], s["seed"])
        d = self.data
        self.trainer = Trainer(params, d.X, d.y, activation=s["activation"], lr=s["lr"], penalty=s["penalty"],
                               lam=s["lam"], X_val=d.X_val, y_val=d.y_val)
        self.changes = []

    @property
    def t(self):
        """Steps taken so far."""
        return self.trainer.t

    def value(self, key):
        """The current value of a setting that may change while running (lr, penalty, lam, activation)."""
        return getattr(self.trainer, key)

    def change(self, key, value):
        """Apply a new lr / penalty / lam / activation from the next step on; returns True if it changed."""
        if key not in storage.MIDRUN:
            raise ValueError(f"{key!r} cannot change during a run; allowed: {', '.join(storage.MIDRUN)}")
        value = storage.check_value(key, value)
        if value == self.value(key):
            return False
        setattr(self.trainer, key, value)
        if self.t == 0:                          # nothing trained yet: it is simply the starting setting
            self.base[key] = value
            return True
        same_step = [c for c in self.changes if c[0] == self.t and c[1] == key]
        if same_step:                            # two changes of one setting at one step: the last counts
            self.changes.remove(same_step[0])
        before = next((c[2] for c in reversed(self.changes) if c[1] == key), self.base[key])
        if value != before:                      # back to what it was: no change at all
            self.changes.append([self.t, key, value])
        return True

    def step(self, n):
        """Train ``n`` more steps (fewer if the network diverges)."""
        self.trainer.step(int(n))

    @property
    def settings(self):
        """The settings that reproduce this run exactly: start values, steps taken, every change."""
        return dict(self.base, steps=self.t, changes=[list(c) for c in self.changes])

    @property
    def params(self):
        return self.trainer.current

    def accuracy(self, split="val"):
        d = self.data
        X, y = (d.X_val, d.y_val) if split == "val" else (d.X, d.y)
        return accuracy(self.params, X, y, self.trainer.activation)


def replay(settings):
    """The run described by ``settings`` (a dict or a settings string), trained to its recorded step."""
    s = storage.settings_from_json(settings) if isinstance(settings, str) else storage.check_settings(settings)
    run = Run(s)
    for step, key, value in s["changes"]:
        run.step(step - run.t)
        run.change(key, value)
    run.step(s["steps"] - run.t)
    return run


def describe(run):
    """One line naming the run's settings (drawn on the figure, so a screenshot says what it shows)."""
    s, tr = run.base, run.trainer
    pen = {"none": "penalty none,", "l2": "L2", "l1": "L1"}[tr.penalty]
    return (f"step {run.t}  ·  {s['dataset']} (noise {s['noise']:g})  ·  {'-'.join(map(str, run.sizes))} "
            f"{tr.activation}  ·  {s['init']} ×{s['init_scale']:.2g}  ·  lr {tr.lr:.2g}  ·  {pen} λ {tr.lam:.2g}"
            f"  ·  seed {s['seed']}")


# ---------------------------------------------------------------------------------------
# The explorer
# ---------------------------------------------------------------------------------------
class Playground(Explorer):
    """The playground explorer: an Explorer plus a running model, play/step/reset, settings string, files.

    Every action is also a method, so it can be driven (and tested) from Python
    without an event loop: ``step(n)``, ``reset()``, ``apply_settings(text)``,
    ``save(path)``, ``load(path)``; ``settings_string`` reproduces the run.
    """

    def step(self, n=None):
        """Train ``n`` steps (default: the 'steps per click' box), then redraw."""
        self.state["pending"] = int(self.chunk.value if n is None else n)
        self.refresh()
        return self

    def reset(self):
        """Start again from fresh weights (step 0) with the current controls."""
        self.state["action"] = "reset"
        self.refresh()
        return self

    @property
    def run(self):
        return self.state["run"]

    @property
    def settings_string(self):
        """The JSON string that reproduces the current run bit for bit."""
        return storage.settings_to_json(self.run.settings)

    def apply_settings(self, text):
        """Replay the run a settings string describes; a bad string changes nothing and says why."""
        try:
            run = replay(text)
        except ValueError as e:
            self.state["message"] = ("error", f"These settings were not applied: {e}. The current network is "
                                              "unchanged.")
            self.refresh()
            return False
        self._adopt(run)
        self.state["message"] = ("ok", f"Applied the settings string: rebuilt the run and replayed its {run.t} "
                                       f"steps and {len(run.changes)} change(s) of setting.")
        self.refresh()
        return True

    def save(self, path=None):
        """Write the current weights and the settings string to ``path`` (the file name box by default)."""
        path = path or self.filename.value.strip() or DEFAULT_FILE
        try:
            written = storage.save_weights(path, self.run.params, self.run.settings)
        except (OSError, ValueError) as e:
            self.state["message"] = ("error", f"Could not save to {path}: {e}")
        else:
            self.state["message"] = ("ok", f"Saved the weights at step {self.run.t} and their settings to "
                                           f"{written}.")
        self.refresh()
        return self

    def load(self, path=None):
        """Load weights saved by ``save``. A bad file leaves the current network untouched."""
        path = path or self.filename.value.strip() or DEFAULT_FILE
        try:
            params, settings = storage.load_weights(path)
        except ValueError as e:
            self.state["message"] = ("error", f"Nothing loaded: {e}. The current network is unchanged.")
            self.refresh()
            return False
        if settings is not None:
            run = replay(settings)
            same = all(np.array_equal(run.params[k], params[k]) for k in params)
            if not same:
                run.trainer.set_params(params)
            note = ("replayed its settings string, which gives exactly these weights" if same else
                    "its settings do not reproduce these weights, so they were set on the replayed run; the "
                    "settings string no longer reproduces them")
        else:
            if network.sizes_of(params) != self.run.sizes:
                self.state["message"] = (
                    "error", f"Nothing loaded: {path} holds a {'-'.join(map(str, network.sizes_of(params)))} "
                    f"network without settings, and the current one is {'-'.join(map(str, self.run.sizes))}. "
                    "Set the hidden layers and width to match, then load again.")
                self.refresh()
                return False
            run = Run(self.run.base)
            run.trainer.set_params(params)
            note = "it has no settings, so the weights were set on a fresh run with the current settings"
        self._adopt(run)
        self.state["message"] = ("ok", f"Loaded {path} (step {run.t}): {note}.")
        self.refresh()
        return True

    def _adopt(self, run):
        self.state["run"] = run
        self.state["rebuild_views"] = True
        s = run.settings
        values = {"dataset": s["dataset"], "noise": s["noise"], "layers": len(s["hidden"]),
                  "width": s["hidden"][0], "init": s["init"], "init_scale": s["init_scale"], "seed": s["seed"],
                  "activation": run.trainer.activation, "lr": run.trainer.lr, "penalty": run.trainer.penalty,
                  "lam": run.trainer.lam if run.trainer.lam > 0 else self.controls["lam"].value}
        with self.holding():
            for k, v in values.items():
                self.controls[k].value = v
        self.state["applied_controls"] = self._control_settings()

    def _control_settings(self):
        c = self.controls
        width = int(c["width"].value)
        return {"dataset": c["dataset"].value, "noise": float(c["noise"].value),
                "hidden": [width] * int(c["layers"].value), "init": c["init"].value,
                "init_scale": float(c["init_scale"].value), "seed": int(c["seed"].value),
                "activation": c["activation"].value, "lr": float(c["lr"].value), "penalty": c["penalty"].value,
                "lam": float(c["lam"].value)}


def playground_explorer(dataset="xor", noise=0.1, layers=1, width=4, activation="tanh", lr=10 ** -0.5,
                        init="xavier_normal", init_scale=1.0, penalty="none", lam=1e-3, seed=0, steps=0,
                        chunk=25):
    """The whole playground. ``steps`` trains that many steps before showing (for a figure that is not blank)."""
    fig = figure(9.6, 6.2)
    ax_net = fig.add_axes([0.0, 0.5, 0.27, 0.41])
    ax_bound = fig.add_axes([0.34, 0.55, 0.26, 0.36])
    ax_loss = fig.add_axes([0.68, 0.55, 0.305, 0.36])
    gs = fig.add_gridspec(1, 4, left=0.07, right=0.985, bottom=0.075, top=0.4, wspace=0.42)
    health_axes = [fig.add_subplot(gs[0, i]) for i in range(4)]
    header = fig.text(0.01, 0.992, "", fontsize=8.5, va="top", color="#222")

    lam_value = lam if lam > 0 else 1e-3
    controls = {
        "dataset": dropdown("data", datasets.CLASSIFICATION, dataset),
        "noise": slider("noise (std of the inputs)", 0.0, 0.5, noise, step=0.05, continuous_update=False),
        "layers": toggle("hidden layers", [1, 2], layers),
        "width": slider("units per hidden layer", 1, storage.MAX_WIDTH, width, integer=True,
                        continuous_update=False),
        "init": dropdown("initialiser", tuple(initializers.INITIALIZERS), init),
        "init_scale": slider("initial scale (log scale)", -2, 1, init_scale, step=0.25, log=True,
                             continuous_update=False),
        "seed": widgets.BoundedIntText(value=seed, min=0, max=2**31 - 1, description="seed (weights)",
                                       style={"description_width": "initial"}, layout={"width": "200px"}),
        "activation": dropdown("activation", ACTIVATIONS, activation),
        "lr": slider("learning rate (log scale)", -4, 1, lr, step=0.25, log=True, continuous_update=False),
        "penalty": toggle("penalty", PENALTY_OPTIONS, penalty),
        "lam": slider("penalty strength λ (log scale)", -5, 0, lam_value, step=0.25, log=True,
                      continuous_update=False),
        "play": widgets.Play(value=0, min=0, max=10**9, step=1, interval=200, description="play / pause",
                             show_repeat=False, style={"description_width": "initial"}),
    }
    for b in ("dataset", "init", "activation"):
        controls[b].layout = {"width": "300px"}
    state = {"run": None, "frame": 0, "message": None, "pending": 0, "action": None, "rebuild_views": True,
             "views": {}}
    chunk_box = widgets.BoundedIntText(value=chunk, min=1, max=500, description="steps per click / frame",
                                       style={"description_width": "initial"}, layout={"width": "230px"})
    step_button = widgets.Button(description="step", tooltip="train the steps per click, once")
    reset_button = widgets.Button(description="reset", tooltip="fresh weights, step 0")
    settings_box = widgets.Textarea(description="settings string (copy)", style={"description_width": "initial"},
                                    layout={"width": "760px", "height": "64px"})
    paste_box = widgets.Textarea(description="paste a settings string", style={"description_width": "initial"},
                                 placeholder="paste a settings string here, then press 'apply settings'",
                                 layout={"width": "760px", "height": "46px"})
    apply_button = widgets.Button(description="apply settings", tooltip="rebuild and replay the pasted run",
                                  layout={"width": "130px"})
    filename = widgets.Text(value=DEFAULT_FILE, description="weights file", style={"description_width": "initial"},
                            layout={"width": "360px"})
    save_button = widgets.Button(description="save weights", layout={"width": "130px"})
    load_button = widgets.Button(description="load weights", layout={"width": "130px"})

    def build_views(run):
        """Rebuild only what the new run changes: the diagram and health panel follow the layer sizes,
        the boundary view follows the data; the loss curves are built once."""
        views, built = state["views"], state.setdefault("built_for", {})
        d, b = run.data, run.base
        data_key = (b["dataset"], b["noise"], b["n"], b["data_seed"], b["val_fraction"])
        if built.get("sizes") != run.sizes:
            clear(ax_net)
            for ax in health_axes:
                clear(ax)
            diagram = plots.NetworkDiagram(ax_net, run.sizes, show_values=max(run.sizes) <= 3,
                                           max_width=6.0 if max(run.sizes) <= 4 else 3.5)
            diagram.nodes.set_sizes(np.full(sum(run.sizes), 420.0 if max(run.sizes) <= 4 else
                                            130.0 if max(run.sizes) <= 6 else 90.0))
            for t in diagram.node_text:
                t.set_fontsize(6.5)
                t.set_visible(max(run.sizes) <= 4)
            for t in ax_net.texts:
                if t.get_text() == "output":      # under its node, clear of the bias value
                    x, y = t.get_position()
                    t.set_position((x - 0.07, y - 0.2))
                    t.set_horizontalalignment("center")
                    t.set_verticalalignment("top")
                    t.set_fontsize(8)
            ax_net.set_title("weights: width |w|, red +, blue −", fontsize=9, y=1.0, pad=4)
            views["panel"] = HealthPanel(health_axes, run.sizes, panels=("norms", "ratio", "hist", "units"))
            for ax in health_axes:
                ax.xaxis.set_major_locator(MaxNLocator(4, integer=True))
            views["diagram"] = diagram
            built["sizes"] = run.sizes
        if built.get("data") != data_key:
            clear(ax_bound)
            r = float(np.clip(np.ceil(10 * (np.abs(np.vstack([d.X, d.X_val])).max() + 0.15)) / 10, 1.2, 2.5))
            views["boundary"] = plots.BoundaryView(ax_bound, d.X, d.y, extent=(-r, r, -r, r), n=60)
            ax_bound.scatter(d.X_val[:, 0], d.X_val[:, 1], s=18, marker="x", linewidths=1.0,
                             c=[plots.CLASS_COLOURS[int(v)] for v in d.y_val], zorder=3)
            ax_bound.set_title("output (dots: training, ×: validation)", fontsize=9, y=1.0, pad=4)
            ax_bound.tick_params(labelsize=8)
            ax_bound.set_xlabel("$x_1$", fontsize=9, labelpad=1)
            ax_bound.set_ylabel("$x_2$", fontsize=9, labelpad=0)
            built["data"] = data_key
        if "curves" not in views:
            views["curves"] = plots.LossCurves(ax_loss, val=True, ylabel="")
            ax_loss.set_title("loss (log scale)", fontsize=9, y=1.0, pad=4)
            ax_loss.grid(alpha=0.3, which="major")
            log_loss_axis(ax_loss)
            ax_loss.xaxis.label.set_fontsize(8)
            ax_loss.tick_params(labelsize=8)
            ax_loss.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        state["rebuild_views"] = False

    def start(settings, why=None):
        state["run"] = Run(settings)
        state["rebuild_views"] = True
        if why:
            state["message"] = ("info", why)

    def update():
        t0 = time.perf_counter()
        run = state["run"]
        wanted = ex._control_settings() if ex is not None else initial
        before = state.get("applied_controls", initial)
        changed = [k for k in wanted if wanted[k] != before.get(k)]
        structural = [k for k in changed if k in REBUILD]
        action = state.pop("action", None)
        if run is None or structural or action == "reset":
            s = dict(storage.defaults(), **{k: wanted[k] for k in wanted})
            names = ", ".join(NAMES[k] for k in structural)
            why = (f"Reset: fresh weights from {s['init']} (seed {s['seed']}), step 0." if action == "reset" else
                   f"Changing the {names} makes a different network, so the run was rebuilt: fresh weights, step 0. "
                   "(Learning rate, penalty, strength and activation change without a reset.)" if structural
                   else None)
            start(s, why)
            run = state["run"]
        else:
            said = []
            for key in storage.MIDRUN:
                value = wanted[key]
                if run.change(key, value):
                    said.append(f"{NAMES[key]} → {value:.3g}" if isinstance(value, float) else
                                f"{NAMES[key]} → {value}")
            if said:
                state["message"] = ("info", f"At step {run.t}: {', '.join(said)}, applied to the running network "
                                            "(weights kept).")
        state["applied_controls"] = wanted
        play = ex.controls["play"].value if ex is not None else 0
        n = state.pop("pending", 0)
        if play > state["frame"]:
            n += int(chunk_box.value)
        state["frame"] = play
        if n:
            if run.trainer.diverged:
                state["message"] = ("error", "The network has diverged, so it cannot train further: press reset "
                                             "(or lower the learning rate, then reset).")
            run.step(n)
            if not run.trainer.diverged and state["message"] and state["message"][0] != "error":
                state["message"] = None
        if state["rebuild_views"]:
            build_views(run)
        draw(run)
        settings_box.value = storage.settings_to_json(run.settings)
        state["last_update_ms"] = 1e3 * (time.perf_counter() - t0)
        return status(run)

    def draw(run):
        v, h, tr = state["views"], run.trainer.history, run.trainer
        params = run.params
        v["diagram"].update(params)
        v["boundary"].update(network.predict(params, v["boundary"].grid, tr.activation))
        for t in v["diagram"].values + v["diagram"].node_text:      # huge values (a diverging run) stay short
            text = t.get_text()
            if len(text) > 6 and text[1:].replace(".", "").isdigit():
                t.set_text(f"{float(text):+.0e}")
        if len(h):
            v["curves"].update(h.steps, h.loss, h.val_loss, now=run.t)
            thin_log_ticks(ax_loss)
        else:
            v["curves"].update(np.array([0]), np.array([np.nan]), np.array([np.nan]), now=0)
            ax_loss.set_ylim(0.1, 1.0)
        v["panel"].update(h)
        header.set_text(describe(run))

    def status(run):
        h, tr = run.trainer.history, run.trainer
        kind, head = "info", f"Step {run.t}."
        if len(h):
            head = (f"Step {run.t}: training loss {h.loss[-1]:.3g}, validation loss {h.val_loss[-1]:.3g}, "
                    f"validation accuracy {100 * run.accuracy():.0f}%.")
        parts = [head]
        msg = state.get("message")
        if msg:
            kind = msg[0] if msg[0] != "info" else kind
            parts.append(msg[1])
        if tr.diverged:
            kind = "error"
            parts.append(f"Training {h.reason} Press reset to start again.")
        elif len(h) >= 8:
            warnings = [w for w in diagnose(h, tr.activation) if not w.startswith("Training diverged")]
            if warnings:
                kind = "warn" if kind == "info" else kind
                parts += ["⚠ " + w for w in warnings[:2]]
        if run.t == 0 and not msg:
            parts.append("Press ▶ to train (⏸ pauses), or 'step' for a few steps at a time.")
        return words("<br>".join(parts), kind)

    ex = None
    c0 = {k: w.value for k, w in controls.items()}
    initial = {"dataset": c0["dataset"], "noise": float(c0["noise"]), "hidden": [int(c0["width"])] * int(c0["layers"]),
               "init": c0["init"], "init_scale": float(c0["init_scale"]), "seed": int(c0["seed"]),
               "activation": c0["activation"], "lr": float(c0["lr"]), "penalty": c0["penalty"],
               "lam": float(c0["lam"])}
    start(dict(storage.defaults(), **initial))
    state["run"].step(int(steps))
    state["applied_controls"] = initial
    ex = Playground.__new__(Playground)
    ex.state, ex.chunk, ex.filename = state, chunk_box, filename
    Explorer.__init__(ex, fig, controls, update, title="Playground: train a network and watch its weights")

    step_button.on_click(lambda _: ex.step())
    reset_button.on_click(lambda _: ex.reset())
    apply_button.on_click(lambda _: ex.apply_settings(paste_box.value))
    save_button.on_click(lambda _: ex.save())
    load_button.on_click(lambda _: ex.load())
    ex.buttons = dict(step=step_button, reset=reset_button, apply=apply_button, save=save_button, load=load_button)
    ex.settings_box, ex.paste_box = settings_box, paste_box

    c = ex.controls
    left = widgets.VBox([c[k] for k in ("dataset", "noise", "layers", "width", "init", "init_scale", "seed")])
    right = widgets.VBox([c[k] for k in ("activation", "lr", "penalty", "lam")] +
                         [widgets.HTML("<i>these four apply to the running network; the others rebuild it</i>")])
    run_row = widgets.HBox([c["play"], step_button, reset_button, chunk_box])
    ex.widget = widgets.VBox([
        widgets.HTML(f"<b>{ex.title}</b>"), widgets.HBox([left, right]), run_row, ex.status,
        settings_box, widgets.HBox([paste_box, apply_button]), widgets.HBox([filename, save_button, load_button]),
    ])
    return ex


NAMES = {"dataset": "data", "noise": "noise", "hidden": "hidden layers or width", "init": "initialiser",
         "init_scale": "initial scale", "seed": "seed", "activation": "activation", "lr": "learning rate",
         "penalty": "penalty", "lam": "strength λ"}
