"""Notebook 11, the playground: everything together, in the spirit of TensorFlow Playground.

``playground_explorer``: data, network and training settings; play / pause,
step, restart and reset; the network diagram, the decision boundary, the loss
curves and the health panel updating as it trains; a settings string to copy
and paste; weights to save to a file and load back. The run itself is a
``weightlab.runs.Run``, rebuilt from its settings by ``runs.replay``.

What changes when: activation, learning rate, momentum, batch size, penalty
and strength apply to the running network at the next step, without resetting
its weights. Data, noise, hidden layers, width, initialiser, initial scale and
seed define a different network: changing one rebuilds the run at step 0, and
the status line says so.

Bounds, said in words when reached: a run stops at ``storage.MAX_STEPS`` steps
(the most a settings string may replay); the history keeps at most
``MAX_RECORDS`` records (beyond that every second one is dropped and every
second step recorded, see ``runs.Run``), so a long session stays a few MB.
Every piece of outside text (a settings string, a file name, an error about
them) reaches the status line through ``explore.escape``. A settings string or
a file that is refused leaves the playground exactly as it was. A new
playground closes the previous one (re-running its cell would otherwise leave
the old figure open).
"""
import time

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from .. import datasets, health, initializers, network, plots, storage
from ..runs import Run, describe, replay
from . import LABEL_STYLE, Explorer, clear, dropdown, escape, figure, slider, toggle, words
from .monitoring import HealthPanel, dispose, number, retire_previous, warning_lines

REBUILD = ("dataset", "noise", "hidden", "init", "init_scale", "seed")
PENALTY_OPTIONS = [("none", "none"), ("L2", "l2"), ("L1", "l1")]
ACTIVATIONS = ("tanh", "relu", "leaky_relu", "sigmoid", "identity")
BATCH_OPTIONS = [("all (full batch)", 0), ("1 (one example)", 1), ("2", 2), ("5", 5), ("10", 10), ("20", 20),
                 ("50", 50)]
DEFAULT_FILE = "playground_weights.npz"
MAX_RECORDS = 2000
NAMES = {"dataset": "data", "noise": "noise", "hidden": "hidden layers or width", "layers": "hidden layers",
         "width": "width", "init": "initialiser", "init_scale": "initial scale", "seed": "seed",
         "activation": "activation", "lr": "learning rate", "momentum": "momentum", "batch_size": "batch size",
         "penalty": "penalty", "lam": "strength λ"}
FLOAT_CONTROLS = ("noise", "init_scale", "lr", "momentum", "lam")
WIDE = {"width": "300px"}


def playground_controls(dataset, noise, layers, width, activation, lr, momentum, batch_size, init, init_scale,
                        penalty, lam, seed):
    """The playground's controls, by name: what defines the network, what may change while it trains, and play."""
    controls = {
        "dataset": dropdown("data", datasets.CLASSIFICATION, dataset, layout=WIDE),
        "noise": slider("noise (std of the inputs)", 0.0, 0.5, noise, step=0.05, continuous_update=False),
        "layers": toggle("hidden layers", [1, 2], layers),
        "width": slider("units per hidden layer", 1, storage.MAX_WIDTH, width, integer=True,
                        continuous_update=False),
        "init": dropdown("initialiser", tuple(initializers.INITIALIZERS), init, layout=WIDE),
        "init_scale": slider("initial scale (log scale)", -2, 1, init_scale, step=0.25, log=True,
                             continuous_update=False),
        "seed": widgets.BoundedIntText(value=seed, min=0, max=2**32 - 1, description="seed (weights)",
                                       style=LABEL_STYLE, layout={"width": "200px"}),
        "activation": dropdown("activation", ACTIVATIONS, activation, layout=WIDE),
        "lr": slider("learning rate (log scale)", -4, 1, lr, step=0.25, log=True, continuous_update=False),
        "momentum": slider("momentum β", 0.0, storage.MAX_MOMENTUM, momentum, step=0.01, continuous_update=False),
        "batch_size": dropdown("batch size", BATCH_OPTIONS, batch_size or 0, layout=WIDE),
        "penalty": toggle("penalty", PENALTY_OPTIONS, penalty),
        "lam": slider("penalty strength λ (log scale)", -5, 0, lam if lam > 0 else 1e-3, step=0.25, log=True,
                      continuous_update=False),
        "play": widgets.Play(value=0, min=0, max=10**9, step=1, interval=200, description="play / pause",
                             show_repeat=False, style=LABEL_STYLE),
    }
    return controls


class Playground(Explorer):
    """The playground explorer: controls, a running model, play/step/restart/reset, a settings string, files.

    Every action is also a method, so it can be driven (and tested) from Python
    without an event loop: ``step(n)``, ``restart()``, ``reset()``,
    ``apply_settings(text)``, ``save(path)``, ``load(path)``; ``settings_string``
    reproduces the run. ``steps`` trains that many steps before showing.
    """

    TRIES = {"lr": (1.0, 10 ** 0.5, 10.0), "lam": (10 ** -2.5, 0.01), "penalty": ("l1", "l2"), "width": (3, 8),
             "layers": (2,), "dataset": ("spiral", "circles"), "init": ("zeros",), "activation": ("relu", "identity"),
             "momentum": (0.9,), "batch_size": (10,)}
    TRAINING_CONTROLS = ("noise", "width", "init_scale", "lr", "momentum", "lam")

    def __init__(self, dataset="xor", noise=0.1, layers=1, width=4, activation="tanh", lr=10 ** -0.5, momentum=0.0,
                 batch_size=None, init="xavier_normal", init_scale=1.0, penalty="none", lam=1e-3, seed=0, steps=0,
                 chunk=25):
        fig = figure(9.6, 6.2)
        self.ax_net = fig.add_axes([0.0, 0.5, 0.27, 0.41])
        self.ax_bound = fig.add_axes([0.34, 0.55, 0.26, 0.36])
        self.ax_loss = fig.add_axes([0.68, 0.55, 0.305, 0.36])
        gs = fig.add_gridspec(1, 4, left=0.07, right=0.985, bottom=0.1, top=0.4, wspace=0.42)
        self.health_axes = [fig.add_subplot(gs[0, i]) for i in range(4)]
        self.header = fig.text(0.01, 0.992, "", fontsize=8.5, va="top", color="#222")
        self.controls = playground_controls(dataset, noise, layers, width, activation, lr, momentum, batch_size,
                                            init, init_scale, penalty, lam, seed)
        self.start = {k: w.value for k, w in self.controls.items() if k != "play"}
        self._make_widgets(chunk)
        self.frame, self.message, self.pending, self.action = 0, None, 0, None
        self.views, self.built_for, self.last_update_ms = {}, {}, None
        self.applied, self.lam_seen = self._control_settings(), float(self.controls["lam"].value)
        self._start(self._new_settings(self.applied, storage.defaults()))
        self.run.step(int(steps))
        retire_previous(self, fig)
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
            "restart": widgets.Button(description="restart", tooltip="fresh weights, step 0, the same settings"),
            "reset": widgets.Button(description="reset all", tooltip="every control back to its start, fresh weights"),
            "apply": widgets.Button(description="apply settings", tooltip="rebuild and replay the pasted run",
                                    layout={"width": "130px"}),
            "save": widgets.Button(description="save weights", layout={"width": "130px"}),
            "load": widgets.Button(description="load weights", layout={"width": "130px"}),
        }
        actions = {"step": lambda: self.step(), "restart": self.restart, "reset": self.reset,
                   "save": lambda: self.save(), "load": lambda: self.load(),
                   "apply": lambda: self.apply_settings(self.paste_box.value)}
        for name, button in self.buttons.items():
            button.on_click(lambda _, act=actions[name]: act())

    def layout(self):
        """Network and data controls on the left, training controls on the right; play, step, restart and
        reset; the status line; the settings string; the weights file."""
        c, b = self.controls, self.buttons
        left = widgets.VBox([c[k] for k in ("dataset", "noise", "layers", "width", "init", "init_scale", "seed")])
        right = widgets.VBox([c[k] for k in ("activation", "lr", "momentum", "batch_size", "penalty", "lam")] +
                             [widgets.HTML("<i>these six apply to the running network; the others rebuild it</i>")])
        return [self.heading, widgets.HBox([left, right]),
                widgets.HBox([c["play"], b["step"], b["restart"], b["reset"], self.chunk]), self.status,
                self.settings_box, widgets.HBox([self.paste_box, b["apply"]]),
                widgets.HBox([self.filename, b["save"], b["load"]])]

    # ---- actions ---------------------------------------------------------------------------
    def step(self, n=None):
        """Train ``n`` steps (default: the 'steps per click' box), then redraw."""
        self.pending = int(self.chunk.value if n is None else n)
        self.refresh()
        return self

    def restart(self):
        """Start again from fresh weights (step 0) with the current controls."""
        self.action = "restart"
        self.refresh()
        return self

    def reset(self):
        """Every control back to where it started, fresh weights, step 0."""
        with self.holding():
            for k, v in self.start.items():
                self.controls[k].value = v
        self.action = "reset"
        self.refresh()
        return self

    def close(self, keep=None):
        """Close the figure (unless it is ``keep``) and every widget (a closed playground is no longer shown)."""
        dispose(self, keep)

    @property
    def settings_string(self):
        """The JSON string that reproduces the current run bit for bit."""
        return storage.settings_to_json(self.run.settings)

    def apply_settings(self, text):
        """Replay the run a settings string describes; a bad string changes nothing and says why."""
        try:
            run = replay(text, MAX_RECORDS)
        except ValueError as e:
            return self._not_applied(f"These settings were not applied: {escape(e, 600)}.")
        problem = self._unshowable(run)
        if problem:
            return self._not_applied(f"These settings were not applied: {problem}.")
        self._adopt(run)
        return self._say("ok", f"Applied the settings string: rebuilt the run and replayed its {run.t} steps and "
                               f"{len(run.changes)} change(s) of setting.", True)

    def save(self, path=None):
        """Write the current weights and the settings string to ``path`` (the file name box by default)."""
        path = str(path or self.filename.value.strip() or DEFAULT_FILE)
        try:
            written = storage.save_weights(path, self.run.params, self.run.settings)
        except (OSError, ValueError) as e:
            return self._say("error", f"Could not save to {escape(path)}: {escape(e, 600)}", False)
        return self._say("ok", f"Saved the weights at step {self.run.t} and their settings to {escape(written)}.",
                         written)

    def load(self, path=None):
        """Load weights saved by ``save``. A bad file leaves the current network untouched."""
        path = str(path or self.filename.value.strip() or DEFAULT_FILE)
        try:
            params, settings = storage.load_weights(path)
            if settings is None and network.sizes_of(params) != self.run.sizes:
                return self._not_applied(f"Nothing loaded: {escape(path)} holds a "
                                    f"{'-'.join(map(str, network.sizes_of(params)))} network without settings, and "
                                    f"the current one is {'-'.join(map(str, self.run.sizes))}. Set the hidden layers "
                                    "and width to match, then load again.")
            run, note = self._run_with(params, settings)
        except (OSError, ValueError) as e:
            return self._not_applied(f"Nothing loaded: {escape(e, 600)}.")
        problem = self._unshowable(run)
        if problem:
            return self._not_applied(f"Nothing loaded from {escape(path)}: {problem}.")
        self._adopt(run)
        return self._say("ok", f"Loaded {escape(path)} (step {run.t}): {note}.", True)

    def _run_with(self, params, settings):
        """(a run holding ``params``, how they got there): the replayed settings, or a fresh run with the
        current settings when the file has none."""
        if settings is not None:
            run = replay(settings, MAX_RECORDS)
            if all(np.array_equal(run.params[k], params[k]) for k in params):
                return run, "replayed its settings string, which gives exactly these weights"
            run.trainer.set_params(params)
            return run, ("its settings do not reproduce these weights, so they were set on the replayed run; the "
                         "settings string no longer reproduces them")
        run = Run(self.run.base, MAX_RECORDS)
        run.trainer.set_params(params)
        return run, "it has no settings, so the weights were set on a fresh run with the current settings"

    def _not_applied(self, text):
        """Say why nothing changed (an error), redraw, and return False."""
        return self._say("error", f"{text} The current network is unchanged.", False)

    def _say(self, kind, text, result):
        """Show ``text`` (HTML, outside text already escaped) in the status line, redraw, and return ``result``."""
        self.message = (kind, text)
        self.refresh()
        return result

    # ---- controls and settings ---------------------------------------------------------------
    def _unshowable(self, run):
        """Why the controls cannot show this run's settings (a slider would clamp a value, and the run would
        no longer follow its string), or '' when they can."""
        s, tr = run.base, run.trainer
        values = {"init_scale": s["init_scale"], "lr": tr.lr, "momentum": tr.momentum}
        if tr.penalty != "none":
            values["lam"] = tr.lam
        for key, value in values.items():
            c = self.controls[key]
            lo, hi = (c.base ** c.min, c.base ** c.max) if hasattr(c, "base") else (c.min, c.max)
            if not lo <= value <= hi:
                return (f"its {NAMES[key]} {value:.3g} is outside the range of the playground's slider ({lo:g} to "
                        f"{hi:g}), which would change it; replay such a run in code with runs.replay(text)")
        if tr.activation not in ACTIVATIONS:
            return f"its activation {escape(tr.activation)} is not one the playground offers"
        if len(set(s["hidden"])) > 1:
            return (f"its hidden layers have different widths ({' and '.join(map(str, s['hidden']))}), and the "
                    "playground's one width slider cannot show that; replay such a run in code with runs.replay(text)")
        return ""

    def _adopt(self, run):
        """Make ``run`` the current run and move the controls to its settings (without training)."""
        self.run, self.views_stale = run, True
        s, tr = run.settings, run.trainer
        batch = self.controls["batch_size"]
        if (tr.batch_size or 0) not in batch._options_values:       # a batch size the menu lacks: add it
            batch.options = sorted(list(batch.options) + [(str(tr.batch_size), tr.batch_size)], key=lambda o: o[1])
        values = {"dataset": s["dataset"], "noise": s["noise"], "layers": len(s["hidden"]),
                  "width": s["hidden"][0], "init": s["init"], "init_scale": s["init_scale"], "seed": s["seed"],
                  "activation": tr.activation, "lr": tr.lr, "momentum": tr.momentum, "batch_size": tr.batch_size or 0,
                  "penalty": tr.penalty}
        if tr.penalty != "none":
            values["lam"] = tr.lam
        with self.holding():
            for k, v in values.items():
                self.controls[k].value = v
        self.applied, self.lam_seen = self._control_settings(), float(self.controls["lam"].value)

    def _control_settings(self):
        """The settings the controls ask for now (strength λ only while a penalty is on)."""
        c = self.controls
        width = int(c["width"].value)
        out = {"dataset": c["dataset"].value, "noise": float(c["noise"].value),
               "hidden": [width] * int(c["layers"].value), "init": c["init"].value,
               "init_scale": float(c["init_scale"].value), "seed": int(c["seed"].value),
               "activation": c["activation"].value, "lr": float(c["lr"].value),
               "momentum": float(c["momentum"].value), "batch_size": int(c["batch_size"].value) or None,
               "penalty": c["penalty"].value}
        if out["penalty"] != "none":
            out["lam"] = float(c["lam"].value)
        return out

    @staticmethod
    def _new_settings(wanted, base):
        """Settings for a fresh run: the controls' values over ``base`` (which keeps what no control shows,
        such as the number of points), step 0, no changes, λ = 0 without a penalty."""
        s = dict(base, **wanted)
        s.update(lam=wanted.get("lam", 0.0), steps=0, changes=[])
        return s

    def _start(self, settings, why=None):
        self.run, self.views_stale = Run(settings, MAX_RECORDS), True
        if why:
            self.message = ("info", why)

    # ---- one redraw ------------------------------------------------------------------------
    def update(self):
        t0 = time.perf_counter()
        self._guard(self._follow_controls)
        run = self.run
        play = self.controls["play"].value
        n, self.pending = self.pending, 0
        if play > self.frame:
            n += int(self.chunk.value)
        self.frame = play
        if n:
            self._train(run, n)
        if self.views_stale:
            self._build_views(run)
        self._draw(run)
        self.settings_box.value = storage.settings_to_json(run.settings)
        self.last_update_ms = 1e3 * (time.perf_counter() - t0)
        return self._status(run)

    def _train(self, run, n):
        """Train ``n`` steps; at a divergence or at the step limit say why nothing more happens and pause."""
        if run.trainer.diverged:
            self.message = ("error", "The network has diverged, so it cannot train further: press restart "
                                     "(or lower the learning rate, then restart).")
        else:
            run.step(n)
            if run.at_limit:
                self.message = ("warn", f"Step {run.t:,} is as far as a run goes in the playground: a settings "
                                        f"string replays at most {storage.MAX_STEPS:,} steps. Press restart for a "
                                        "new run.")
            elif self.message and self.message[0] != "error":
                self.message = None
        if run.trainer.diverged or run.at_limit:
            self.controls["play"].playing = False

    def _guard(self, action):
        """Run ``action``; a value it cannot use (a slider set to NaN from Python, a batch size larger than the
        data) puts every control back to the settings in use, and the status line says why."""
        bad = [k for k in FLOAT_CONTROLS if not np.isfinite(float(self.controls[k].value))]
        try:
            if bad:
                raise ValueError(f"the {' and '.join(NAMES[k] for k in bad)} slider was set to a value that is not "
                                 "a number")
            action()
        except ValueError as e:
            self._restore_controls()
            self.message = ("error", f"Not applied: {escape(e, 600)}. The controls are back at the settings in use.")

    def _restore_controls(self):
        """Move every control back to the values the current run uses (without redrawing)."""
        with self.holding():
            for k, v in self.applied.items():
                if k == "hidden":
                    self.controls["layers"].value, self.controls["width"].value = len(v), v[0]
                else:
                    self.controls[k].value = 0 if (k == "batch_size" and v is None) else v
            for k in FLOAT_CONTROLS:                # not in use (λ without a penalty): back to its start
                if not np.isfinite(float(self.controls[k].value)):
                    self.controls[k].value = self.start[k]

    def _follow_controls(self):
        """Rebuild the run if a control that defines the network changed (or on restart and reset); else apply
        the changed activation, learning rate, momentum, batch size, penalty and strength to the running
        network."""
        wanted = self._control_settings()
        structural = [k for k in REBUILD if wanted[k] != self.applied.get(k)]
        action, self.action = self.action, None
        if structural or action:
            s = self._new_settings(wanted, self.run.base)
            names = ", ".join(NAMES[k] for k in structural)
            why = {"restart": f"Restarted: fresh weights from {s['init']} (seed {s['seed']}), step 0, the same "
                              "settings.",
                   "reset": f"Reset: every control back to where it started; fresh weights from {s['init']} "
                            f"(seed {s['seed']}), step 0."}.get(action) or (
                f"Changing the {names} makes a different network, so the run was rebuilt: fresh weights, step 0. "
                "(Activation, learning rate, momentum, batch size, penalty and strength change without a reset.)")
            self._start(s, why)
        else:
            said = [self._apply(key, wanted[key]) for key in storage.MIDRUN if key in wanted]
            said = [x for x in said if x]
            lam = float(self.controls["lam"].value)
            if "lam" not in wanted and lam != self.lam_seen:
                said.append(f"strength λ → {lam:.3g} (used once a penalty is on)")
            if said:
                self.message = ("info", f"At step {self.run.t}: {', '.join(said)}, applied to the running network "
                                        "(weights kept).")
        self.applied, self.lam_seen = wanted, float(self.controls["lam"].value)

    def _apply(self, key, value):
        """Apply one setting to the running network; the words for the status line, or '' if nothing changed."""
        if not self.run.change(key, value):
            return ""
        shown = ("the full batch" if value is None else value) if key == "batch_size" else value
        return f"{NAMES[key]} → {shown:.3g}" if isinstance(shown, float) else f"{NAMES[key]} → {shown}"

    # ---- views -----------------------------------------------------------------------------
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
        ax_net.set_title("weights: red +, blue −, grey 0", fontsize=9, y=1.0, pad=4)
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
        params = drawable(run.params)
        v["diagram"].update(params)
        label_weights(v["diagram"], params)
        v["boundary"].update(network.predict(params, v["boundary"].grid, tr.activation))
        label = "training" if tr.batch_size is None else "training (its batch)"
        if v["curves"].train.get_label() != label:        # with mini-batches the curve is each step's batch loss
            v["curves"].train.set_label(label)
            self.ax_loss.legend(loc="upper right", fontsize=8)
        if len(h):
            v["curves"].update(h.steps, h.loss, h.val_loss, now=run.t)
            plots.thin_log_ticks(self.ax_loss)
        else:
            v["curves"].update(np.array([0]), np.array([np.nan]), np.array([np.nan]), now=0)
            self.ax_loss.set_ylim(0.1, 1.0)
        v["panel"].update(h)
        line = describe(run)
        if run.trainer.penalty == "none":          # the strength slider waits for a penalty: show where it is
            line = line.replace("no penalty", f"no penalty (λ {number(self.controls['lam'].value, '.2g')} once on)")
        self.header.set_text(line)

    def _status(self, run):
        tr = run.trainer
        kind, parts = "info", [self._head(run)]
        msg = self.message
        if msg:
            kind = msg[0] if msg[0] != "info" else kind
            parts.append(msg[1])
        if tr.diverged:
            kind = "error"
            parts.append(escape(f"Training {tr.history.reason}", limit=2000) + " Press restart to start again.")
        elif len(tr.history) >= 8:
            warnings = [w for w in health.diagnose(tr.history, tr.activation) if not w.startswith("Training")]
            if warnings:
                kind = "warn" if kind == "info" else kind
                parts += warning_lines(warnings, 2)
        if run.t == 0 and not msg:
            parts.append("Press ▶ to train (press it again to pause), or 'step' for a few steps at a time.")
        return words("<br>".join(parts), kind)

    @staticmethod
    def _head(run):
        """'Step t: training loss, validation loss, validation accuracy' of the weights now."""
        if run.t == 0:
            return "Step 0."
        tr, d = run.trainer, run.data
        train, val = tr.evaluate(), tr.evaluate(d.X_val, d.y_val)
        every = tr.record_every
        kept = f" (the curves keep every {every}{'nd' if every == 2 else 'th'} step)" if every > 1 else ""
        return (f"Step {run.t:,}: training loss {number(train)}, validation loss {number(val)}, validation "
                f"accuracy {100 * run.accuracy():.0f}%{kept}.")


def drawable(params):
    """The weights with NaN drawn as 0 and ±inf as ±1e300 (a diverged run still draws; the status says why)."""
    return {k: np.nan_to_num(v, nan=0.0, posinf=1e300, neginf=-1e300) for k, v in params.items()}


def label_weights(diagram, params):
    """Weight and bias labels that stay short: +0.42, +3e+05 for a huge value."""
    sizes = diagram.sizes
    w = np.concatenate([params[f"W{l}"].ravel() for l in range(1, len(sizes))])
    b = np.concatenate([params[f"b{l}"].ravel() for l in range(1, len(sizes))])
    for t, value in list(zip(diagram.values, w)) + list(zip(diagram.node_text[sizes[0]:], b)):
        t.set_text(f"{value:+.2f}" if abs(value) < 100 else f"{value:+.0e}")


def playground_explorer(**settings):
    """The whole playground (settings: see ``Playground``)."""
    return Playground(**settings)
