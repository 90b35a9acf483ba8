"""A reproducible training run built from a settings dict (see ``weightlab.storage``).

* ``Run``: the data, the network and a Trainer built from settings. Learning
  rate, penalty, strength and activation may change while it trains; each change
  is recorded as ``[step, name, value]``, so ``run.settings`` reproduces it.
* ``replay(settings)``: rebuild a run from its settings (string or dict) and train
  it to its recorded step; the same settings give bit-identical weights.
* ``describe(run)``: the run's settings in one line.
"""
from . import datasets, network, storage
from .training import Trainer


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
        """The current weights and biases (a copy)."""
        return self.trainer.current

    def accuracy(self, split="val"):
        """Share of the validation ('val') or training ('train') points on the right side of p = 0.5."""
        d = self.data
        X, y = (d.X_val, d.y_val) if split == "val" else (d.X, d.y)
        return float(network.accuracy(self.params, X, y, self.trainer.activation))


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
