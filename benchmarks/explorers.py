"""How long a slider change takes in the kernel, for every explorer.

    python benchmarks/explorers.py [--repeats 3] [NAME_SUBSTRING]

For each explorer and each control, it sets the control to its ends and middle
(every option of a drop-down) and times the update plus the redraw (on the Agg
canvas used here, ``draw_idle`` renders the figure at once). Prints the median and the slowest change per explorer, in ms.
"""
import argparse
import statistics
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from weightlab import explore  # noqa: E402

TARGET_MS = 100


def time_explorer(factory, repeats):
    t0 = time.perf_counter()
    ex = factory()
    build = 1e3 * (time.perf_counter() - t0)
    explore.render(ex.fig)
    times = {}
    for _ in range(repeats):
        for cname, control in ex.controls.items():
            for value in explore.positions(control):
                if control.value == value:
                    continue
                t0 = time.perf_counter()
                control.value = value        # update + draw_idle, which draws at once on Agg
                times.setdefault(cname, []).append(1e3 * (time.perf_counter() - t0))
    plt.close(ex.fig)
    return build, times


def time_playground_chunks(chunks=5, steps=25):
    """The playground's ▶: ``chunks`` chunks of ``steps`` training steps each, with every view
    updated (the draw not included), in ms."""
    from weightlab.explore import playground

    ex = playground.playground_explorer()
    times = []
    for _ in range(chunks):
        ex.step(steps)
        times.append(ex.last_update_ms)
    plt.close(ex.fig)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("only", nargs="?", default="")
    args = parser.parse_args()
    print(f"{'explorer':<44} {'build ms':>9} {'median ms':>10} {'max ms':>8} {'changes':>8}  slowest control")
    worst = 0.0
    for name, factory in explore.all_explorers().items():
        if args.only not in name:
            continue
        build, times = time_explorer(factory, args.repeats)
        flat = [t for ts in times.values() for t in ts]
        if not flat:
            print(f"{name:<44} {build:9.0f}   (no control to move)")
            continue
        med = statistics.median(flat)
        slowest = max(times, key=lambda k: statistics.median(times[k]))
        worst = max(worst, med)
        print(f"{name:<44} {build:9.0f} {med:10.1f} {max(flat):8.1f} {len(flat):8d}  "
              f"{slowest} ({statistics.median(times[slowest]):.0f} ms)")
    if args.only in "playground.playground_explorer":
        chunk = time_playground_chunks()
        print(f"playground, a chunk of 25 steps with every view (no draw): median {statistics.median(chunk):.1f} ms, "
              f"max {max(chunk):.1f} ms over {len(chunk)} chunks")
    print(f"largest median: {worst:.1f} ms (target: at most {TARGET_MS} ms) -> "
          f"{'PASS' if worst <= TARGET_MS else 'MISS'}")


if __name__ == "__main__":
    main()
