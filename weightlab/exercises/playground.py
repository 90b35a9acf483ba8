"""Challenges of notebook 11, checked by training: paste a settings string, the checker replays it.

``spiral`` and ``tiny_circles`` are Challenges: ``.check(settings_string)``
returns Feedback (never raises) and ``.show_solution()`` prints settings that
pass.
"""
from . import Feedback, _cut
from .. import storage
from ..runs import replay


class Challenge:
    """Settings must satisfy ``rules`` (name -> (test, what is asked)) and reach ``target`` validation accuracy."""

    def __init__(self, name, rules, target, max_steps, solution, hint):
        self.name, self.rules, self.target, self.max_steps = name, rules, target, max_steps
        self.solution_text, self.hint = solution, hint

    def check(self, text):
        """Replay the run of ``text`` (a settings string) and say whether it meets the challenge (never raises)."""
        try:
            return self._check(text)
        except Exception as e:  # noqa: BLE001 -- a checker answers in words, whatever it was given
            return Feedback(self.name, "error", f"these settings could not be replayed ({type(e).__name__}: "
                            f"{_cut(e)}). Copy the settings string again from the playground's box.")

    def _check(self, text):
        if text is None or (isinstance(text, str) and not text.strip()) or text is Ellipsis:
            return Feedback(self.name, "not attempted", "not attempted yet: paste a settings string (copy it "
                            "from the playground's settings box) between the quotes, then run this cell again.")
        try:
            s = storage.settings_from_json(text) if isinstance(text, str) else storage.check_settings(text)
        except ValueError as e:
            return Feedback(self.name, "error", f"the settings string could not be read: {_cut(e, 400)}")
        for key, (ok, asked) in self.rules.items():
            if not ok(s[key]):
                return Feedback(self.name, "wrong", f"this challenge asks for {asked}; your settings have "
                                f"{key} = {s[key]!r}.")
        if s["steps"] > self.max_steps:
            return Feedback(self.name, "wrong", f"your run took {s['steps']} steps; the challenge allows at most "
                            f"{self.max_steps}. Copy the settings string earlier, or learn faster.")
        if s["steps"] == 0:
            return Feedback(self.name, "wrong", "your settings string has \"steps\": 0, the network never "
                            "trained. Press play in the playground, then copy the string.")
        run = replay(s)
        acc = run.accuracy()
        if run.trainer.diverged:
            return Feedback(self.name, "wrong", f"the run {run.trainer.history.reason} Lower the learning rate.")
        if acc >= self.target:
            return Feedback(self.name, "correct", f"well done! Validation accuracy {100 * acc:.1f}% "
                            f"after {run.t} steps (the target was {100 * self.target:.0f}%).")
        train = run.accuracy("train")
        why = (f"It fits the training points ({100 * train:.0f}%) better than new ones: it overfits; try fewer "
               "steps or a small L2 penalty." if train - acc > 0.1 else
               f"It has not learned the shape yet (training accuracy {100 * train:.0f}% too). {self.hint}")
        return Feedback(self.name, "wrong", f"validation accuracy {100 * acc:.1f}% after {run.t} steps; the target "
                        f"is {100 * self.target:.0f}%. {why}")

    def show_solution(self):
        """Print settings that pass."""
        print(self.solution_text)


def _settings(**kw):
    return storage.settings_to_json(dict(storage.defaults(), **kw))


spiral = Challenge(
    "spiral",
    rules={"dataset": (lambda v: v == "spiral", "the spiral data"),
           "noise": (lambda v: v >= 0.1, "noise of at least 0.1"),
           "n": (lambda v: v == 200, "the playground's 200 points"),
           "val_fraction": (lambda v: v == 0.3, "the playground's 30% validation split")},
    target=0.8, max_steps=2000,
    solution=_settings(dataset="spiral", hidden=[8, 8], activation="tanh", lr=3.0, steps=2000),
    hint="Two hidden layers of 8 tanh units reach it within 2000 steps at learning rates 0.5, 1 and 3 (not at "
         "every rate in between: 2 falls short, so try a few); one hidden layer of 8 stayed below 80% at 0.3, "
         "0.5, 1, 2 and 3.",
)

tiny_circles = Challenge(
    "tiny_circles",
    rules={"dataset": (lambda v: v == "circles", "the circles data"),
           "noise": (lambda v: v >= 0.1, "noise of at least 0.1"),
           "hidden": (lambda v: sum(v) <= 3, "at most 3 hidden units in all"),
           "n": (lambda v: v == 200, "the playground's 200 points"),
           "val_fraction": (lambda v: v == 0.3, "the playground's 30% validation split")},
    target=0.95, max_steps=500,
    solution=_settings(dataset="circles", hidden=[3], activation="tanh", lr=1.0, steps=500),
    hint="Three tanh units can draw a triangle around the inner disc; in only 500 steps that takes a learning "
         "rate from about 0.7 to 3 (0.5 falls short).",
)
