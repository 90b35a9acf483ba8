"""Notebook 11, the playground: everything together, in the spirit of TensorFlow Playground.

``playground_explorer``: data, network and training settings; play / pause,
step and reset; the network diagram, the decision boundary, the loss curves
and the health panel updating as it trains; a settings string to copy and
paste; weights to save to a file and load back. The run itself is a
``weightlab.runs.Run``, rebuilt from its settings by ``runs.replay``.

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

from .. import datasets, health, initializers, network, plots, storage
from ..runs import Run, describe, replay
from . import LABEL_STYLE, Explorer, clear, dropdown, figure, slider, toggle, words
from .monitoring import HealthPanel

REBUILD = ("dataset", "noise", "hidden", "init", "init_scale", "seed")
PENALTY_OPTIONS = [("none", "none"), ("L2", "l2"), ("L1", "l1")]
ACTIVATIONS = ("tanh", "relu", "leaky_relu", "sigmoid", "identity")
DEFAULT_FILE = "playground_weights.npz"
NAMES = {"dataset": "data", "noise": "noise", "hidden": "hidden layers or width", "init": "initialiser",
         "init_scale": "initial scale", "seed": "seed", "activation": "activation", "lr": "learning rate",
         "penalty": "penalty", "lam": "strength λ"}


def playground_controls(dataset, noise, layers, width, activation, lr, init, init_scale, penalty, lam, seed):
    """The playground's controls, by name: what defines the network, what may change while it trains, and play."""
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
                                       style=LABEL_STYLE, layout={"width": "200px"}),
        "activation": dropdown("activation", ACTIVATIONS, activation),
        "lr": slider("learning rate (log scale)", -4, 1, lr, step=0.25, log=True, continuous_update=False),
        "penalty": toggle("penalty", PENALTY_OPTIONS, penalty),
        "lam": slider("penalty strength λ (log scale)", -5, 0, lam if lam > 0 else 1e-3, step=0.25, log=True,
                      continuous_update=False),
        "play": widgets.Play(value=0, min=0, max=10**9, step=1, interval=200, description="play / pause",
                             show_repeat=False, style=LABEL_STYLE),
    }
    for b in ("dataset", "init", "activation"):
        controls[b].layout = {"width": "300px"}
    return controls


class Playground(Explorer):
    """The playground explorer: controls, a running model, play/step/reset, a settings string, files.

    Every action is also a method, so it can be driven (and tested) from Python
    without an event loop: ``step(n)``, ``reset()``, ``apply_settings(text)``,
    ``save(path)``, ``load(path)``; ``settings_string`` reproduces the run.
    ``steps`` trains that many steps before showing (for a figure that is not blank).
    """

    def __init__(self, dataset="xor", noise=0.1, layers=1, width=4, activation="tanh", lr=10 ** -0.5,
                 init="xavier_normal", init_scale=1.0, penalty="none", lam=1e-3, seed=0, steps=0, chunk=25):
        fig = figure(9.6, 6.2)
        self.ax_net = fig.add_axes([0.0, 0.5, 0.27, 0.41])
        self.ax_bound = fig.add_axes([0.34, 0.55, 0.26, 0.36])
        self.ax_loss = fig.add_axes([0.68, 0.55, 0.305, 0.36])
        gs = fig.add_gridspec(1, 4, left=0.07, right=0.985, bottom=0.075, top=0.4, wspace=0.42)
        self.health_axes = [fig.add_subplot(gs[0, i]) for i in range(4)]
        self.header = fig.text(0.01, 0.992, "", fontsize=8.5, va="top", color="#222")
        self.controls = playground_controls(dataset, noise, layers, width, activation, lr, init, init_scale,
                                            penalty, lam, seed)
        self._make_widgets(chunk)
        self.frame, self.message, self.pending, self.action = 0, None, 0, None
        self.views, self.built_for, self.last_update_ms = {}, {}, None
        self.applied = self._control_settings()
        self._start(dict(storage.defaults(), **self.applied))
        self.run.step(int(steps))
        super().__init__(fig, self.controls, title="Playground: train a network and watch its weights")

    def _make_widgets(self, chunk):
        """The buttons and text boxes below the controls, each wired to its method."""
        self.chunk = widgets.BoundedIntText(value=chunk, min=1, max=500, description="steps per click / frame",
                                            style=LABEL_STYLE, layout={"width": "230px"})
        self.settings_box = widgets.Textarea(description="settings string (copy)", style=LABEL_STYLE,
                                             layout={"width": "760px", "height": "64px"})
        self.paste_box = widgets.Textarea(description="paste a settings string", style=LABEL_STYLE,
                                          placeholder="paste a settings string here, then press 'apply settings'",
                                          layout={"width": "760px", "height": "46px"})
        self.filename = widgets.Text(value=DEFAULT_FILE, description="weights file", style=LABEL_STYLE,
                                     layout={"width": "360px"})
        self.buttons = {
            "step": widgets.Button(description="step", tooltip="train the steps per click, once"),
            "reset": widgets.Button(description="reset", tooltip="fresh weights, step 0"),
            "apply": widgets.Button(description="apply settings", tooltip="rebuild and replay the pasted run",
                                    layout={"width": "130px"}),
            "save": widgets.Button(description="save weights", layout={"width": "130px"}),
            "load": widgets.Button(description="load weights", layout={"width": "130px"}),
        }
        actions = {"step": lambda: self.step(), "reset": self.reset, "save": lambda: self.save(),
                   "load": lambda: self.load(), "apply": lambda: self.apply_settings(self.paste_box.value)}
        for name, button in self.buttons.items():
            button.on_click(lambda _, act=actions[name]: act())

    def layout(self):
        """Network and data controls on the left, training controls on the right; play, step and reset;
        the status line; the settings string; the weights file."""
        c, b = self.controls, self.buttons
        left = widgets.VBox([c[k] for k in ("dataset", "noise", "layers", "width", "init", "init_scale", "seed")])
        right = widgets.VBox([c[k] for k in ("activation", "lr", "penalty", "lam")] +
                             [widgets.HTML("<i>these four apply to the running network; the others rebuild it</i>")])
        return [self.heading, widgets.HBox([left, right]),
                widgets.HBox([c["play"], b["step"], b["reset"], self.chunk]), self.status, self.settings_box,
                widgets.HBox([self.paste_box, b["apply"]]), widgets.HBox([self.filename, b["save"], b["load"]])]

    # ---- actions ---------------------------------------------------------------------------
    def step(self, n=None):
        """Train ``n`` steps (default: the 'steps per click' box), then redraw."""
        self.pending = int(self.chunk.value if n is None else n)
        self.refresh()
        return self

    def reset(self):
        """Start again from fresh weights (step 0) with the current controls."""
        self.action = "reset"
        self.refresh()
        return self

    @property
    def settings_string(self):
        """The JSON string that reproduces the current run bit for bit."""
        return storage.settings_to_json(self.run.settings)

    def apply_settings(self, text):
        """Replay the run a settings string describes; a bad string changes nothing and says why."""
        try:
            run = replay(text)
        except ValueError as e:
            return self._say("error", f"These settings were not applied: {e}. The current network is unchanged.",
                             False)
        self._adopt(run)
        return self._say("ok", f"Applied the settings string: rebuilt the run and replayed its {run.t} steps and "
                               f"{len(run.changes)} change(s) of setting.", True)

    def save(self, path=None):
        """Write the current weights and the settings string to ``path`` (the file name box by default)."""
        path = path or self.filename.value.strip() or DEFAULT_FILE
        try:
            written = storage.save_weights(path, self.run.params, self.run.settings)
        except (OSError, ValueError) as e:
            return self._say("error", f"Could not save to {path}: {e}", self)
        return self._say("ok", f"Saved the weights at step {self.run.t} and their settings to {written}.", self)

    def load(self, path=None):
        """Load weights saved by ``save``. A bad file leaves the current network untouched."""
        path = path or self.filename.value.strip() or DEFAULT_FILE
        try:
            params, settings = storage.load_weights(path)
        except ValueError as e:
            return self._say("error", f"Nothing loaded: {e}. The current network is unchanged.", False)
        if settings is None and network.sizes_of(params) != self.run.sizes:
            return self._say("error", f"Nothing loaded: {path} holds a "
                             f"{'-'.join(map(str, network.sizes_of(params)))} network without settings, and the "
                             f"current one is {'-'.join(map(str, self.run.sizes))}. Set the hidden layers and width "
                             "to match, then load again.", False)
        run, note = self._run_with(params, settings)
        self._adopt(run)
        return self._say("ok", f"Loaded {path} (step {run.t}): {note}.", True)

    def _run_with(self, params, settings):
        """(a run holding ``params``, how they got there): the replayed settings, or a fresh run with the
        current settings when the file has none."""
        if settings is not None:
            run = replay(settings)
            if all(np.array_equal(run.params[k], params[k]) for k in params):
                return run, "replayed its settings string, which gives exactly these weights"
            run.trainer.set_params(params)
            return run, ("its settings do not reproduce these weights, so they were set on the replayed run; the "
                         "settings string no longer reproduces them")
        run = Run(self.run.base)
        run.trainer.set_params(params)
        return run, "it has no settings, so the weights were set on a fresh run with the current settings"

    def _say(self, kind, text, result):
        """Show ``text`` in the status line (kind 'ok' or 'error'), redraw, and return ``result``."""
        self.message = (kind, text)
        self.refresh()
        return result

    def _adopt(self, run):
        """Make ``run`` the current run and move the controls to its settings (without training)."""
        self.run, self.views_stale = run, True
        s, tr = run.settings, run.trainer
        values = {"dataset": s["dataset"], "noise": s["noise"], "layers": len(s["hidden"]),
                  "width": s["hidden"][0], "init": s["init"], "init_scale": s["init_scale"], "seed": s["seed"],
                  "activation": tr.activation, "lr": tr.lr, "penalty": tr.penalty,
                  "lam": tr.lam if tr.lam > 0 else self.controls["lam"].value}
        with self.holding():
            for k, v in values.items():
                self.controls[k].value = v
        self.applied = self._control_settings()

    def _control_settings(self):
        """The settings the controls ask for now."""
        c = self.controls
        width = int(c["width"].value)
        return {"dataset": c["dataset"].value, "noise": float(c["noise"].value),
                "hidden": [width] * int(c["layers"].value), "init": c["init"].value,
                "init_scale": float(c["init_scale"].value), "seed": int(c["seed"].value),
                "activation": c["activation"].value, "lr": float(c["lr"].value), "penalty": c["penalty"].value,
                "lam": float(c["lam"].value)}

    def _start(self, settings, why=None):
        self.run, self.views_stale = Run(settings), True
        if why:
            self.message = ("info", why)

    # ---- one redraw ------------------------------------------------------------------------
    def update(self):
        t0 = time.perf_counter()
        self._follow_controls()
        run = self.run
        play = self.controls["play"].value
        n, self.pending = self.pending, 0
        if play > self.frame:
            n += int(self.chunk.value)
        self.frame = play
        if n:
            if run.trainer.diverged:
                self.message = ("error", "The network has diverged, so it cannot train further: press reset "
                                         "(or lower the learning rate, then reset).")
            run.step(n)
            if not run.trainer.diverged and self.message and self.message[0] != "error":
                self.message = None
        if self.views_stale:
            self._build_views(run)
        self._draw(run)
        self.settings_box.value = storage.settings_to_json(run.settings)
        self.last_update_ms = 1e3 * (time.perf_counter() - t0)
        return self._status(run)

    def _follow_controls(self):
        """Rebuild the run if a control that defines the network changed (or on reset); else apply the
        changed learning rate, penalty, strength and activation to the running network."""
        wanted = self._control_settings()
        structural = [k for k in wanted if wanted[k] != self.applied.get(k) and k in REBUILD]
        action, self.action = self.action, None
        if structural or action == "reset":
            s = dict(storage.defaults(), **wanted)
            names = ", ".join(NAMES[k] for k in structural)
            why = (f"Reset: fresh weights from {s['init']} (seed {s['seed']}), step 0." if action == "reset" else
                   f"Changing the {names} makes a different network, so the run was rebuilt: fresh weights, step 0. "
                   "(Learning rate, penalty, strength and activation change without a reset.)")
            self._start(s, why)
        else:
            said = []
            for key in storage.MIDRUN:
                value = wanted[key]
                if self.run.change(key, value):
                    said.append(f"{NAMES[key]} → {value:.3g}" if isinstance(value, float) else
                                f"{NAMES[key]} → {value}")
            if said:
                self.message = ("info", f"At step {self.run.t}: {', '.join(said)}, applied to the running network "
                                        "(weights kept).")
        self.applied = wanted

    def _build_views(self, run):
        """Rebuild only what the new run changes: the diagram and health panel follow the layer sizes,
        the boundary view follows the data; the loss curves are built once."""
        b = run.base
        data_key = (b["dataset"], b["noise"], b["n"], b["data_seed"], b["val_fraction"])
        if self.built_for.get("sizes") != run.sizes:
            self._build_network_views(run.sizes)
            self.built_for["sizes"] = run.sizes
        if self.built_for.get("data") != data_key:
            self._build_boundary(run.data)
            self.built_for["data"] = data_key
        if "curves" not in self.views:
            self._build_curves()
        self.views_stale = False

    def _build_network_views(self, sizes):
        """The network diagram and the health panel for these layer sizes."""
        ax_net = self.ax_net
        clear(ax_net)
        for ax in self.health_axes:
            clear(ax)
        big = max(sizes)
        diagram = plots.NetworkDiagram(ax_net, sizes, show_values=big <= 3, max_width=6.0 if big <= 4 else 3.5)
        diagram.nodes.set_sizes(np.full(sum(sizes), 420.0 if big <= 4 else 130.0 if big <= 6 else 90.0))
        for t in diagram.node_text:
            t.set_fontsize(6.5)
            t.set_visible(big <= 4)
        for t in ax_net.texts:
            if t.get_text() == "output":      # under its node, clear of the bias value
                x, y = t.get_position()
                t.set_position((x - 0.07, y - 0.2))
                t.set_horizontalalignment("center")
                t.set_verticalalignment("top")
                t.set_fontsize(8)
        ax_net.set_title("weights: width |w|, red +, blue −", fontsize=9, y=1.0, pad=4)
        self.views["panel"] = HealthPanel(self.health_axes, sizes, panels=("norms", "ratio", "hist", "units"))
        for ax in self.health_axes:
            ax.xaxis.set_major_locator(MaxNLocator(4, integer=True))
        self.views["diagram"] = diagram

    def _build_boundary(self, d):
        """The decision boundary over the data (dots: training, crosses: validation)."""
        ax = self.ax_bound
        clear(ax)
        r = float(np.clip(np.ceil(10 * (np.abs(np.vstack([d.X, d.X_val])).max() + 0.15)) / 10, 1.2, 2.5))
        self.views["boundary"] = plots.BoundaryView(ax, d.X, d.y, extent=(-r, r, -r, r), n=60)
        ax.scatter(d.X_val[:, 0], d.X_val[:, 1], s=18, marker="x", linewidths=1.0,
                   c=[plots.CLASS_COLOURS[int(v)] for v in d.y_val], zorder=3)
        ax.set_title("output (dots: training, ×: validation)", fontsize=9, y=1.0, pad=4)
        ax.tick_params(labelsize=8)
        ax.set_xlabel("$x_1$", fontsize=9, labelpad=1)
        ax.set_ylabel("$x_2$", fontsize=9, labelpad=0)

    def _build_curves(self):
        ax = self.ax_loss
        self.views["curves"] = plots.LossCurves(ax, val=True, ylabel="")
        ax.set_title("loss (log scale)", fontsize=9, y=1.0, pad=4)
        ax.grid(alpha=0.3, which="major")
        plots.log_loss_axis(ax)
        ax.xaxis.label.set_fontsize(8)
        ax.tick_params(labelsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))

    def _draw(self, run):
        v, h, tr = self.views, run.trainer.history, run.trainer
        params = run.params
        v["diagram"].update(params)
        v["boundary"].update(network.predict(params, v["boundary"].grid, tr.activation))
        for t in v["diagram"].values + v["diagram"].node_text:      # huge values (a diverging run) stay short
            text = t.get_text()
            if len(text) > 6 and text[1:].replace(".", "").isdigit():
                t.set_text(f"{float(text):+.0e}")
        if len(h):
            v["curves"].update(h.steps, h.loss, h.val_loss, now=run.t)
            plots.thin_log_ticks(self.ax_loss)
        else:
            v["curves"].update(np.array([0]), np.array([np.nan]), np.array([np.nan]), now=0)
            self.ax_loss.set_ylim(0.1, 1.0)
        v["panel"].update(h)
        self.header.set_text(describe(run))

    def _status(self, run):
        h, tr = run.trainer.history, run.trainer
        kind, head = "info", f"Step {run.t}."
        if len(h):
            head = (f"Step {run.t}: training loss {h.loss[-1]:.3g}, validation loss {h.val_loss[-1]:.3g}, "
                    f"validation accuracy {100 * run.accuracy():.0f}%.")
        parts = [head]
        msg = self.message
        if msg:
            kind = msg[0] if msg[0] != "info" else kind
            parts.append(msg[1])
        if tr.diverged:
            kind = "error"
            parts.append(f"Training {h.reason} Press reset to start again.")
        elif len(h) >= 8:
            warnings = [w for w in health.diagnose(h, tr.activation) if not w.startswith("Training diverged")]
            if warnings:
                kind = "warn" if kind == "info" else kind
                parts += ["⚠ " + w for w in warnings[:2]]
        if run.t == 0 and not msg:
            parts.append("Press ▶ to train (⏸ pauses), or 'step' for a few steps at a time.")
        return words("<br>".join(parts), kind)


def playground_explorer(**settings):
    """The whole playground (settings: see ``Playground``)."""
    return Playground(**settings)
