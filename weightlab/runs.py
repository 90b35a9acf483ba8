"""A reproducible training run built from a settings dict (see ``weightlab.storage``).

* ``Run``: the data, the network and a Trainer built from settings. Learning
  rate, momentum, batch size, penalty, strength and activation may change while
  it trains; each change is recorded as ``[step, name, value]``, so
  ``run.settings`` reproduces it. A run trains at most ``storage.MAX_STEPS``
  steps (the most a settings string may replay).
* ``replay(settings)``: rebuild a run from its settings (string or dict) and train
  it to its recorded step; the same settings give bit-identical weights.
* ``describe(run)``: the run's settings in one line.

Memory: the History keeps every parameter before and after each recorded step and
its gradient: for a 2-4-1 network about 1.4 kB per step (14 MB per 10,000 steps), about
2 kB once the panels have read every field (20 MB; the process grows by 30 to 40 MB,
counting the allocator's overhead). ``Run(settings,
max_records=k)`` keeps at most k records: when the history reaches k, every second
record is dropped and from then on only every second step is recorded (the weights
do not depend on what is recorded, so a replay stays bit-identical).
"""
from . import datasets, network, storage
from .training import Trainer


class Run:
    """Data, network and Trainer built from settings; records every change of setting made while it runs.

    ``max_records``: keep at most this many history records (None: every step), see the module."""

    def __init__(self, settings=None, max_records=None):
        s = storage.check_settings(settings or {})
        self.base = dict(s, steps=0, changes=[])
        self.data = datasets.load(s["dataset"], s["n"], s["noise"], s["data_seed"], s["val_fraction"])
        self.sizes = (2, *s["hidden"], 1)
        params = network.init_params(self.sizes, s["init"], s["init_scale"], s["seed"])
        d = self.data
        self.trainer = Trainer(params, d.X, d.y, activation=s["activation"], lr=s["lr"], momentum=s["momentum"],
                               batch_size=s["batch_size"], seed=s["seed"], penalty=s["penalty"], lam=s["lam"],
                               X_val=d.X_val, y_val=d.y_val)
        self.changes = []
        self.max_records = None if max_records is None else max(2, int(max_records))

    @property
    def t(self):
        """Steps taken so far."""
        return self.trainer.t

    def value(self, key):
        """The current value of a setting that may change while running (``storage.MIDRUN``)."""
        return getattr(self.trainer, key)

    def change(self, key, value):
        """Apply a new value of a ``storage.MIDRUN`` setting from the next step on; returns True if it changed."""
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
        """Train ``n`` more steps (fewer if the network diverges or the run reaches ``storage.MAX_STEPS``)."""
        n = min(int(n), storage.MAX_STEPS - self.t)
        tr = self.trainer
        while n > 0 and not tr.diverged:
            chunk = n
            if self.max_records is not None:
                if len(tr.history) >= self.max_records:
                    thin(tr)
                chunk = min(n, (self.max_records - len(tr.history)) * tr.record_every)
            tr.step(chunk)
            n -= chunk

    @property
    def at_limit(self):
        """True when the run has taken the most steps a settings string may replay (``storage.MAX_STEPS``)."""
        return self.t >= storage.MAX_STEPS

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


def thin(trainer):
    """Halve a trainer's history: keep every second record and from now on record every second step only.

    Records sit at the multiples of ``record_every`` from step 0, so the kept ones sit at the multiples
    of the doubled ``record_every`` and the history stays evenly spaced."""
    trainer.history.thin(2)
    trainer.record_every = 2 * trainer.record_every


def replay(settings, max_records=None):
    """The run described by ``settings`` (a dict or a settings string), trained to its recorded step
    (``max_records``: see ``Run``)."""
    s = storage.settings_from_json(settings) if isinstance(settings, str) else storage.check_settings(settings)
    run = Run(s, max_records)
    for step, key, value in s["changes"]:
        run.step(step - run.t)
        run.change(key, value)
    run.step(s["steps"] - run.t)
    return run


def describe(run):
    """One line naming the run's settings (drawn on the figure, so a screenshot says what it shows)."""
    s, tr = run.base, run.trainer
    pen = {"none": "no penalty", "l2": f"L2 λ {tr.lam:.2g}", "l1": f"L1 λ {tr.lam:.2g}"}[tr.penalty]
    batch = "full batch" if tr.batch_size is None else f"batch {tr.batch_size}"
    held = "" if (s["val_fraction"], s["data_seed"]) == (0.3, 0) else \
        f", {100 * s['val_fraction']:g}% held out, data seed {s['data_seed']}"
    return (f"step {run.t}  ·  {s['dataset']} ({s['n']} points, noise {s['noise']:g}{held})  ·  "
            f"{'-'.join(map(str, run.sizes))} {tr.activation}  ·  {s['init']} ×{s['init_scale']:.2g}  ·  "
            f"lr {tr.lr:.2g}, momentum {tr.momentum:g}, {batch}  ·  {pen}  ·  seed {s['seed']}")
