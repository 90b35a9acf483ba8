"""How fast is one gradient-descent step, and does every peer compute the same step?

    python benchmarks/bench.py [--quick]

One 2-3-1 tanh network on 200 points (moons), binary cross-entropy from the logit,
L2 penalty lam = 1e-3 on the weights only, learning rate 0.1, full batch, float64.
Measured side by side in one run, the contenders taking turns in every repeat:

- weightlab's Trainer as users use it (a history record every step), and with no history;
- the same step with momentum 0.9 (heavy ball), and a mini-batch step (20 of the 200 points);
- populations of 1, 10, 100 and 1000 networks (time per network-step);
- PyTorch on the CPU (1 thread, SGD with weight_decay on the weights only, BCEWithLogitsLoss);
- scikit-learn's MLPClassifier.partial_fit (sgd, no momentum, no shuffling, alpha = lam * N).

Each figure is the median over the repeats of (time of a block of steps) / (steps in the block).
Every contender starts from the same weights and data; after 200 steps their weights must agree
with weightlab's to rounding error.
"""
import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmark this working tree

from weightlab import datasets, network  # noqa: E402
from weightlab.training import Trainer  # noqa: E402

N, LR, LAM, SEED, MOMENTUM = 200, 0.1, 1e-3, 0, 0.9
SETTINGS = dict(activation="tanh", loss="bce", lr=LR, penalty="l2", lam=LAM)
TARGETS = {"torch": 4.0, "sklearn": 15.0, "population": 4.0}


# ---- contenders: each is make() -> run(steps), so a block can be timed after a warm-up -----------

def weightlab_trainer(X, y, params, **extra):
    def make():
        t = Trainer(params, X, y, **SETTINGS, **extra)
        t.step(1)  # warm-up
        return t.step
    return make


def torch_sgd(X, y, params, momentum=0.0):
    import torch

    torch.set_num_threads(1)
    model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1)).double()
    with torch.no_grad():  # Linear computes x W^T + b, so its weight is the transpose of ours
        model[0].weight.copy_(torch.from_numpy(params["W1"].T))
        model[0].bias.copy_(torch.from_numpy(params["b1"]))
        model[2].weight.copy_(torch.from_numpy(params["W2"].T))
        model[2].bias.copy_(torch.from_numpy(params["b2"]))
    opt = torch.optim.SGD([{"params": [model[0].weight, model[2].weight], "weight_decay": LAM},
                           {"params": [model[0].bias, model[2].bias], "weight_decay": 0.0}], lr=LR,
                          momentum=momentum)
    lossf = torch.nn.BCEWithLogitsLoss()  # mean over samples
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

    def run(steps):
        for _ in range(steps):
            opt.zero_grad()
            lossf(model(Xt)[:, 0], yt).backward()
            opt.step()

    def weights():
        return {"W1": model[0].weight.detach().numpy().T, "b1": model[0].bias.detach().numpy(),
                "W2": model[2].weight.detach().numpy().T, "b2": model[2].bias.detach().numpy()}
    return run, weights


def sklearn_sgd(X, y, params):
    import warnings

    from sklearn.neural_network import MLPClassifier

    # scikit-learn adds alpha/2 * |W|^2 / n_samples to the mean log-loss, so alpha = lam * N gives
    # our lam/2 * |W|^2; its binary output is logistic with log-loss, i.e. our BCE from the logit.
    clf = MLPClassifier(hidden_layer_sizes=(3,), activation="tanh", solver="sgd", alpha=LAM * len(X),
                        batch_size=len(X), learning_rate="constant", learning_rate_init=LR,
                        momentum=0.0, nesterovs_momentum=False, shuffle=False, max_iter=1,
                        random_state=0)
    classes = np.array([0.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.partial_fit(X, y, classes=classes)  # the first call initialises, then steps ...
    clf.coefs_ = [params["W1"].copy(), params["W2"].copy()]  # ... so overwrite with our start
    clf.intercepts_ = [params["b1"].copy(), params["b2"].copy()]

    def run(steps):
        for _ in range(steps):
            clf.partial_fit(X, y)

    def weights():
        return {"W1": clf.coefs_[0], "b1": clf.intercepts_[0], "W2": clf.coefs_[1], "b2": clf.intercepts_[1]}
    return run, weights


def fresh(factory):
    """make() for a peer: a new model from the same start each block, warmed up by one step."""
    def make():
        run, _ = factory()
        run(1)
        return run
    return make


# ---- measuring ----------------------------------------------------------------------------------

def measure(contenders, repeats):
    """Median seconds per step for each contender; the contenders take turns in every repeat,
    in a rotating order, so drifts of the machine hit all of them alike."""
    times = {name: [] for name in contenders}
    names = list(contenders)
    for r in range(repeats):
        for name in names[r % len(names):] + names[:r % len(names)]:
            make, steps, per = contenders[name]
            run = make()
            t0 = time.perf_counter()
            run(steps)
            times[name].append((time.perf_counter() - t0) / steps / per)
    return {name: statistics.median(v) for name, v in times.items()}, times


def max_difference(a, b):
    return max(float(np.max(np.abs(np.asarray(a[k]) - np.asarray(b[k])))) for k in a)


def blas_info():
    lines = []
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        lines.append(f"numpy {np.__version__}, BLAS {blas.get('name')} {blas.get('version')}")
    except Exception:  # older numpy: no dict mode
        lines.append(f"numpy {np.__version__}")
    try:
        from threadpoolctl import threadpool_info
        for pool in threadpool_info():
            lines.append(f"  {pool['internal_api']} {pool.get('version')}: {pool['num_threads']} threads, "
                         f"{pool.get('threading_layer', '?')}, core {pool.get('architecture', '?')}")
    except ImportError:
        lines.append("  (threadpoolctl not installed: thread count unknown)")
    env = {k: os.environ[k] for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                                      "OPENBLAS_CORETYPE") if k in os.environ}
    lines.append(f"  environment: {env or 'no BLAS/thread variables set'}; {os.cpu_count()} CPUs; "
                 f"{platform.processor() or platform.machine()}; Python {platform.python_version()}")
    if hasattr(os, "getloadavg"):
        load, cpus = os.getloadavg()[0], os.cpu_count() or 1
        lines.append(f"  load average before the run: {load:.2f} " +
                     (f"(above {cpus} CPUs: other work competes, figures get noisy)" if load > cpus else
                      f"(below {cpus} CPUs: a quiet machine)"))
    return lines


def verdict(ok):
    return "PASS" if ok else "MISS"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats and shorter blocks")
    args = ap.parse_args(argv)
    repeats, scale = (5, 0.25) if args.quick else (21, 1.0)

    data = datasets.load("moons", n=N, noise=0.1, seed=SEED)
    X, y = data.X, data.y
    params = network.init_params(seed=SEED)

    print("weightlab benchmark: 2-3-1 tanh net, 200 points, bce, l2 lam=1e-3, lr 0.1, full batch, float64")
    for line in blas_info():
        print(line)

    def steps(n):
        return max(2, int(n * scale))

    contenders = {
        "weightlab Trainer (history every step)": (weightlab_trainer(X, y, params), steps(200), 1),
        "weightlab Trainer (no history)": (weightlab_trainer(X, y, params, record_every=10 ** 9), steps(200), 1),
        "weightlab Trainer, momentum 0.9": (weightlab_trainer(X, y, params, momentum=MOMENTUM), steps(200), 1),
        "weightlab Trainer, mini-batch of 20": (weightlab_trainer(X, y, params, batch_size=20), steps(200), 1),
    }
    for P in (1, 10, 100, 1000):
        pop = network.init_params(seed=SEED, population=P)
        contenders[f"population P={P} (history), per network"] = (
            weightlab_trainer(X, y, pop), steps({1: 200, 10: 100, 100: 40, 1000: 8}[P]), P)
    contenders["population P=1000 (no history), per network"] = (
        weightlab_trainer(X, y, network.init_params(seed=SEED, population=1000), record_every=10 ** 9),
        steps(8), 1000)

    peers, missing = {}, []
    for label, key, factory, n in [("PyTorch CPU (1 thread)", "torch", torch_sgd, 200),
                                   ("PyTorch CPU (1 thread), momentum 0.9", "torch_momentum",
                                    lambda *a: torch_sgd(*a, momentum=MOMENTUM), 200),
                                   ("scikit-learn partial_fit", "sklearn", sklearn_sgd, 30)]:
        try:
            factory(X, y, params)
        except ImportError as e:
            missing.append(f"{label}: not importable ({e.name})")
            continue
        peers[key] = label
        contenders[label] = (fresh(lambda f=factory: f(X, y, params)), steps(n), 1)

    # Same work, same answer: 200 identical steps from the same start.
    ours = {}
    for beta in (0.0, MOMENTUM):
        t = Trainer(params, X, y, momentum=beta, **SETTINGS)
        t.step(200)
        ours[beta] = t.current
    makers = {"torch": (torch_sgd, 0.0), "torch_momentum": (lambda *a: torch_sgd(*a, momentum=MOMENTUM), MOMENTUM),
              "sklearn": (sklearn_sgd, 0.0)}
    agreement = {}
    for key, label in peers.items():
        factory, beta = makers[key]
        run, weights = factory(X, y, params)
        run(200)
        agreement[label] = max_difference(ours[beta], weights())

    print(f"\n{repeats} repeats, contenders interleaved; median time per step "
          f"(per network-step for populations)\n")
    med, times = measure(contenders, repeats)
    base = med["weightlab Trainer (history every step)"]
    width = max(map(len, contenders))
    print(f"  {'':<{width}}  {'median':>10}      {'middle half of repeats':>22}   {'ratio':>7}")
    for name, sec in med.items():
        q1, _, q3 = statistics.quantiles(times[name], n=4)
        print(f"  {name:<{width}}  {sec * 1e6:10.2f} us   [{q1 * 1e6:8.2f} - {q3 * 1e6:8.2f}] us   "
              f"{sec / base:7.3f} x weightlab step")
    for line in missing:
        print(f"  {line}")

    print("\nlargest |weight difference| from weightlab after 200 identical steps:")
    for label, diff in agreement.items():
        print(f"  {label:<{width}}  {diff:.2e}")

    print("\ntargets (measured / target):")
    nohist = med["weightlab Trainer (no history)"]
    for key, label in peers.items():
        if key == "torch_momentum":
            ratio = med[label] / med["weightlab Trainer, momentum 0.9"]
            print(f"  one momentum step vs {label}: {ratio:.2f}x faster")
            continue
        ratio = med[label] / base
        print(f"  one step vs {label}: {ratio:.2f}x faster (target >= {TARGETS[key]:g}x) "
              f"{verdict(ratio >= TARGETS[key])}   [no history: {med[label] / nohist:.2f}x]")
    thr = base / med["population P=1000 (history), per network"]
    thr_nh = nohist / med["population P=1000 (no history), per network"]
    print(f"  population of 1000 vs one network at a time: {thr:.2f}x the per-network throughput "
          f"(target >= {TARGETS['population']:g}x) {verdict(thr >= TARGETS['population'])}"
          f"   [no history both: {thr_nh:.2f}x]")


if __name__ == "__main__":
    main()
