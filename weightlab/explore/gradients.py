"""Notebook 04: the gradient points uphill; its negative, drawn as arrows on the loss map, points downhill."""
import numpy as np

from .. import explore, landscape, losses, network, problems
from .loss import HALF_WIDTH, WEIGHTS, LossMap, keep_apart

DEFAULT_X, DEFAULT_Y = "W1[0,1]", "W2[1,0]"
ARROW_COLOUR = "#ff5a36"


def gradients_explorer(xweight=DEFAULT_X, yweight=DEFAULT_Y, loss="bce", grid=40, arrows=11, problem=None):
    """The loss along one weight with its slope, and the loss over two weights with arrows of
    the negative gradient (downhill) on a coarse grid and at the current point.

    ``problem`` is (params, X, y); by default ``problems.reference_problem()``.
    """
    params, X, y = problem if problem is not None else problems.reference_problem()
    fig = explore.figure(9.0, 3.8)
    ax1 = fig.add_axes([0.08, 0.14, 0.38, 0.74])
    ax2 = fig.add_axes([0.57, 0.14, 0.38, 0.74])
    lmap = LossMap(ax2, f"{losses.LABELS[loss]}; arrows: −gradient (downhill)")
    (curve,) = ax1.plot([], [], color="#333", lw=1.8, label="loss along the x weight")
    (tangent,) = ax1.plot([], [], color="#2e6fba", lw=2.0, ls="--", zorder=4, label="slope dL/dw (tangent)")
    (dot,) = ax1.plot([], [], "o", color="#ffcc00", mec="black", ms=8, zorder=5, clip_on=False)
    step_arrow = ax1.annotate("", xy=(0, 0), xytext=(0, 0),
                              arrowprops=dict(arrowstyle="-|>", color=ARROW_COLOUR, lw=2))
    ax1.set_ylabel("loss")
    ax1.grid(alpha=0.3)
    ax1.locator_params(nbins=5)
    ax1.legend(fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    # the field of arrows: positions and lengths are replaced in place
    n = arrows
    field = ax2.quiver(np.zeros(n * n), np.zeros(n * n), np.zeros(n * n), np.zeros(n * n),
                       color="white", angles="xy", scale_units="xy", scale=1.0, width=0.005, alpha=0.9)
    here = ax2.quiver([0.0], [0.0], [0.0], [0.0], color=ARROW_COLOUR, angles="xy", scale_units="xy",
                      scale=1.0, width=0.012, zorder=6, edgecolor="black", linewidth=0.5)
    state = {}

    controls = {
        "xweight": explore.dropdown("weight on the x axis", WEIGHTS, xweight),
        "yweight": explore.dropdown("weight on the y axis", WEIGHTS, yweight),
        "dx": explore.slider("move the x weight by", -HALF_WIDTH, HALF_WIDTH, -2.0, step=0.1),
        "dy": explore.slider("move the y weight by", -HALF_WIDTH, HALF_WIDTH, 2.0, step=0.1),
    }

    def update():
        xn, yn = controls["xweight"].value, controls["yweight"].value
        x0, y0 = landscape.value_of(params, xn), landscape.value_of(params, yn)
        if state.get("names") != (xn, yn):
            xs = np.linspace(x0 - HALF_WIDTH, x0 + HALF_WIDTH, grid)
            ys = np.linspace(y0 - HALF_WIDTH, y0 + HALF_WIDTH, grid)
            Z = landscape.loss_grid(params, X, y, [xn, yn], xs, ys, loss=loss)
            lmap.set_grid(xs, ys, Z, xn, yn)
            state["range"] = (float(np.nanmin(Z)), float(np.nanmax(Z)))
            cell = 2 * HALF_WIDTH / n
            ax_ = np.linspace(x0 - HALF_WIDTH + cell / 2, x0 + HALF_WIDTH - cell / 2, n)
            ay_ = np.linspace(y0 - HALF_WIDTH + cell / 2, y0 + HALF_WIDTH - cell / 2, n)
            gx, gy = landscape.grad_grid(params, X, y, [xn, yn], ax_, ay_, loss=loss)
            longest = state["longest"] = float(np.max(np.hypot(gx, gy)))
            state["scale"] = 0.9 * cell / longest if longest > 0 else 0.0
            px, py = np.meshgrid(ax_, ay_)
            field.set_offsets(np.column_stack([px.ravel(), py.ravel()]))
            field.set_UVC(-state["scale"] * gx.ravel(), -state["scale"] * gy.ravel())
            state["names"] = (xn, yn)
        x, yv = x0 + controls["dx"].value, y0 + controls["dy"].value
        pop = landscape.population_with(params, [xn, yn], [[x], [yv]])
        L, grads = landscape.loss_and_grad(pop, X, y, loss=loss)
        flat = network.flatten(grads)[0]
        sizes = network.sizes_of(params)
        g = np.array([flat[landscape.index_of(xn, sizes)], flat[landscape.index_of(yn, sizes)]])
        L = float(L[0])
        lmap.set_point(x, yv, trained=(x0, y0), cut=yv)
        here.set_offsets([[x, yv]])
        # the arrow at the current point: its direction is -gradient, its length in proportion to |gradient|
        size = float(np.hypot(*g))
        cell = 2 * HALF_WIDTH / n
        length = 3.0 * cell * min(size / max(state["longest"], 1e-12), 1.0)   # 3 cells at the steepest
        here.set_UVC([-length * g[0] / max(size, 1e-300)], [-length * g[1] / max(size, 1e-300)])
        # left: the loss along the x weight through the current point, and its tangent
        line = np.linspace(x0 - HALF_WIDTH, x0 + HALF_WIDTH, 121)
        along = landscape.loss_along(network.member(pop, 0), X, y, xn, line, loss=loss)
        curve.set_data(line, along)
        dot.set_data([x], [L])
        half = 2.0
        tangent.set_data([x - half, x + half], [L - half * g[0], L + half * g[0]])
        top = float(np.max(along[np.isfinite(along)]))
        ax1.set_xlim(line[0], line[-1])
        ax1.set_ylim(0, top * 1.15)
        step = -np.sign(g[0]) * min(1.5, 0.5 + 2 * abs(g[0]))
        step_arrow.xy = (x + step, L)
        step_arrow.set_position((x, L))
        step_arrow.set_visible(abs(g[0]) > 1e-3)
        ax1.set_xlabel(f"{xn}  ({yn} = {yv:.2f})")
        msg = (f"At {xn} = {x:+.2f}, {yn} = {yv:+.2f}: loss {L:.3f}, gradient "
               f"(dL/d{xn}, dL/d{yn}) = ({g[0]:+.3f}, {g[1]:+.3f}).")
        if size < 0.05 * state["longest"]:
            lo, hi = state["range"]
            if L < lo + 0.15 * (hi - lo):
                return explore.words(msg + " The gradient is almost zero (under 5% of the steepest arrow on the "
                                     "map): a flat spot at the bottom of the valley in these two weights.", "ok")
            return explore.words(msg + f" The gradient is almost zero, yet the loss is high (the lowest on the map "
                                 f"is {lo:.3f}): a plateau. Flat does not mean good; here gradient descent would "
                                 "crawl.", "warn")
        return explore.words(msg + f" Downhill is the direction of −gradient: decrease {xn} if dL/d{xn} > 0, "
                             "increase it if it is < 0.", "info")

    return explore.Explorer(fig, controls, keep_apart(controls, state, update),
                            title="Gradient arrows on the loss surface", columns=2)
