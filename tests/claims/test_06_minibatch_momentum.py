"""Claims of notebook 06: every sentence that states the result of an experiment, recomputed with
the package (plain Trainers, the bowl's walk, per-example gradients) and checked with tolerances."""
import numpy as np
import pytest

from register import claim
from weightlab import curvature, experiments, losses, network, problems, quadratic
from weightlab.explore import sgd
from weightlab.training import Trainer

NOTEBOOK = "06_minibatch_momentum.ipynb"
N = 100


@pytest.fixture(scope="module")
def problem():
    return problems.descent_problem()


@pytest.fixture(scope="module")
def one_example_steps(problem):
    """For each example k: its own loss and the loss on all examples after one step (η = 0.1) on it alone."""
    params, X, y, loss = problem
    G = experiments.per_example_grads(params, X, y, loss)
    z, cache = network.forward(params, X)
    full = network.flatten(network.backward(params, cache, losses.mse_grad(z, y)))
    theta = network.flatten(params)
    own_after, all_after = [], []
    for k in range(N):
        moved = network.unflatten(theta - 0.1 * G[k])
        own_after.append(losses.mse(network.forward(moved, X[k:k + 1])[0], y[k:k + 1]))
        all_after.append(losses.mse(network.forward(moved, X)[0], y))
    return dict(G=G, full=full, before=losses.mse(z, y), own_before=(z[:, 0] - y) ** 2,
                own_after=np.array(own_after), all_after=np.array(all_after))


def full_loss_run(problem, B, lr, steps, momentum=0.0, seed=0):
    """The loss on all examples after every step of one plain Trainer (and the Trainer)."""
    params, X, y, loss = problem
    t = Trainer(params, X, y, lr=lr, momentum=momentum, loss=loss, seed=seed,
                batch_size=None if B in (None, len(X)) else B)
    t.step(steps)
    thetas = list(t.history.params) + ([network.flatten(t.current)] if t.history.reason is None else [])
    return np.array([losses.mse(network.forward(network.unflatten(th), X)[0], y) for th in thetas]), t


@pytest.fixture(scope="module")
def races(problem):
    """20 epochs at η = 0.1 for B = 1, 10, 100, and the full batch for 2000 steps."""
    out = {B: full_loss_run(problem, B, 0.1, experiments.steps_for(20, N, B))[0] for B in (1, 10, 100)}
    out["full"] = full_loss_run(problem, None, 0.1, 2000)[0]
    return out


@pytest.fixture(scope="module")
def noise(problem):
    params, X, y, loss = problem
    return experiments.GradientNoise(params, X, y, loss)


TABLE_SIZES = [1, 2, 5, 10, 20, 50, 90, 99, 100]       # the notebook's table, measured as there


@pytest.fixture(scope="module")
def table(noise):
    return dict(zip(TABLE_SIZES, noise.measured(TABLE_SIZES, batches=2000)))


# ---- one example --------------------------------------------------------------------------------------
@claim("one-example-predict", "The step moved this example's prediction towards its target, and here the loss "
                              "on all 100 examples fell too.")
def test_one_step_on_example_0(problem, one_example_steps):
    s = one_example_steps
    params, X, y, loss = problem
    z0 = network.forward(params, X[:1])[0][0, 0]
    z1 = network.forward(network.unflatten(network.flatten(params) - 0.1 * s["G"][0]), X[:1])[0][0, 0]
    assert abs(z1 - y[0]) < abs(z0 - y[0])
    assert s["all_after"][0] < s["before"]


@claim("one-example-answer", "Every one of the 100 steps lowered the loss of the example it was made on")
def test_every_step_lowers_its_own_examples_loss(one_example_steps):
    s = one_example_steps
    assert np.all(s["own_after"] < s["own_before"])


@claim("one-example-answer", "But 29 of the 100 steps **raised** the loss on all the examples: their gradients "
                             "point more than 90° away from the full gradient (a negative dot product)")
def test_29_steps_raise_the_loss_and_they_are_the_negative_dot_products(one_example_steps):
    s = one_example_steps
    raised = s["all_after"] > s["before"]
    against = s["G"] @ s["full"] < 0
    assert raised.sum() == 29
    np.testing.assert_array_equal(raised, against)


@claim("one-example-answer", "The full gradient is the mean of the per-example gradients")
def test_the_full_gradient_is_the_mean(one_example_steps):
    np.testing.assert_allclose(one_example_steps["G"].mean(axis=0), one_example_steps["full"], rtol=1e-12)


# ---- steps and epochs ---------------------------------------------------------------------------------
@claim("epochs-race-predict", "With $N = 100$ and $B = 30$ an epoch has 4 steps, with batches of 30, 30, 30 and "
                              "10 examples, so the epoch count before each step goes 0, 0.3, 0.6, 0.9 and then 1.0")
def test_the_epochs_of_batches_of_30(problem):
    _, t = full_loss_run(problem, 30, 0.1, 8)
    np.testing.assert_allclose(t.history.epochs, [0, 0.3, 0.6, 0.9, 1.0, 1.3, 1.6, 1.9])
    assert experiments.steps_for(1, N, 30) == 4


@claim("epochs-race-answer", "after 20 epochs $B = 1$ and $B = 10$ are at about $0.11$, while the full batch, "
                             "which took only 20 steps, is still at $0.227$")
@claim("sgd-explorer-answer", "Against epochs, $B = 10$ and $B = 1$ fall far below the full batch (about $0.11$ "
                              "against $0.227$ after 20 epochs)")
@claim("summary", "Per epoch (the same work) small batches make far more progress")
def test_per_epoch_small_batches_win(races):
    assert races[1][-1] == pytest.approx(0.11, abs=0.006)
    assert races[10][-1] == pytest.approx(0.11, abs=0.006)
    assert len(races[100]) == 21 and round(races[100][-1], 3) == 0.227


@claim("epochs-race-answer", "the full batch after the same 200 steps as $B = 10$ is at $0.114$, as low as $B = 10$; "
                             "after the 2000 steps of $B = 1$ it is at $0.103$, below the $0.113$ of $B = 1$")
@claim("summary", "per step the full batch is best")
def test_per_step_the_full_batch_is_as_good_or_better(races):
    full = races["full"]
    assert round(full[200], 3) == 0.114 and full[200] <= races[10][200]
    assert round(full[2000], 3) == 0.103 and round(races[1][2000], 3) == 0.113


# ---- gradient noise -----------------------------------------------------------------------------------
@claim("epochs-race-answer", r"\text{RMS distance} = \frac{\sigma}{\sqrt B}\sqrt{\frac{N-B}{N-1}}")
def test_the_derived_spread_is_exact_over_all_pairs(noise):
    """Every batch of 2 different examples (all 4950 of them): the mean of |g_B - g|^2 is the formula, exactly."""
    i, j = np.triu_indices(N, k=1)
    d = (noise.G[i] + noise.G[j]) / 2 - noise.g
    assert np.sqrt(np.mean(np.sum(d * d, axis=1))) == pytest.approx(noise.law([2])[0], rel=1e-10)


@claim("epochs-race-answer", "the pairs would be independent and the spread would be exactly $\\sigma/\\sqrt{B}$")
def test_with_replacement_the_plain_law_holds(noise):
    rng = np.random.default_rng(1)
    for B in (5, 50):
        d = noise.G[rng.integers(0, N, size=(20000, B))].mean(axis=1) - noise.g
        assert np.sqrt(np.mean(np.sum(d * d, axis=1))) == pytest.approx(noise.sigma / np.sqrt(B), rel=0.03)


@claim("noise-words", "With one example the gradient is off by $\\sigma = 1.68$ on average, more than the length "
                      "$1.11$ of the gradient itself")
def test_sigma_and_the_gradient_length(noise):
    assert round(noise.sigma, 2) == 1.68 and round(noise.full_norm, 2) == 1.11


@claim("noise-words", "The measured spread agrees with the corrected law within 2% at every batch size.")
@claim("a9f80479", "how that noise shrinks with the batch size $B$ (as $1/\\sqrt{B}$, and to zero at the full batch)")
def test_the_measured_spread_follows_the_corrected_law(noise, table):
    sizes = TABLE_SIZES[:-1]
    np.testing.assert_allclose([table[B] for B in sizes], noise.law(sizes), rtol=0.02)
    assert table[N] == pytest.approx(0.0, abs=1e-14)
    for seed in (1, 2):                                        # not a lucky draw: other batches agree too
        np.testing.assert_allclose(noise.measured(sizes, batches=2000, seed=seed), noise.law(sizes), rtol=0.03)


@claim("noise-words", "ten times more examples make it about $\\sqrt{10} \\approx 3.2$ times smaller ($1.68$ at "
                      "$B = 1$, $0.506$ at $B = 10$)")
def test_ten_times_more_examples(noise, table):
    assert round(table[1], 2) == 1.68 and round(table[10], 3) == 0.506
    assert table[1] / table[10] == pytest.approx(np.sqrt(10), rel=0.06)


@claim("noise-words", "at $B = 50$ it says $0.238$, the batches measure $0.17$, as the corrected law says "
                      "($0.169$: the correction is a factor $\\sqrt{50/99} \\approx 0.71$), and at $B = 100$ the "
                      "spread is exactly zero")
def test_at_b_50_the_plain_law_is_wrong(noise, table):
    assert round(float(noise.law([50], corrected=False)[0]), 3) == 0.238
    assert round(table[50], 2) == 0.17 and round(float(noise.law([50])[0]), 3) == 0.169
    assert noise.law([50])[0] / noise.law([50], corrected=False)[0] == pytest.approx(0.71, abs=0.005)
    assert table[N] < 1e-15


@claim("sgd-explorer-answer", "Any $B$: the big dot in the noise panel sits on the orange curve (within 5%).")
def test_the_explorers_dot_is_on_the_curve_for_every_batch_size(noise):
    for B in range(1, N):
        m = experiments.measured_spread(noise.G, B, sgd.NOISE_BATCHES)
        assert m == pytest.approx(noise.law([B])[0], rel=0.05), B


# ---- the batch-size explorer --------------------------------------------------------------------------
@claim("sgd-explorer-answer", "Against steps, $B = 10$ follows the full batch closely (at a typical step the two "
                              "differ by about 1%)")
def test_b10_follows_the_full_batch_per_step(races):
    gap = np.abs(races[10] / races["full"][:201] - 1)
    assert np.median(gap) == pytest.approx(0.01, abs=0.005)


@claim("sgd-explorer-answer", "over its last epoch the loss jumps between $0.101$ and $0.259$")
def test_b1_is_jagged_over_its_last_epoch(races):
    last = races[1][-100:]
    assert round(last.min(), 3) == 0.101 and round(last.max(), 3) == 0.259


@claim("sgd-explorer-answer", "in these two weights it travels about 150 units in its 2000 steps, the full batch "
                              "about 1.4 in the same number of steps")
def test_the_path_of_b1_is_a_scribble(problem):
    lengths = []
    for B in (1, None):
        _, t = full_loss_run(problem, B, 0.1, 2000)
        w = np.vstack([t.history.params[:, [10, 12]], [[t.current["W2"][1, 0], t.current["b2"][0]]]])
        lengths.append(np.sum(np.linalg.norm(np.diff(w, axis=0), axis=1)))
    assert lengths[0] == pytest.approx(150, rel=0.03) and lengths[1] == pytest.approx(1.4, rel=0.05)


@claim("sgd-explorer-answer", "the loss after 20 epochs is $0.32$, worse than at $\\eta = 0.1$, and over the last "
                              "epoch it jumps between $0.25$ and $0.73$")
def test_b1_at_0316(problem):
    L, _ = full_loss_run(problem, 1, 10 ** -0.5, 2000)
    assert round(L[-1], 2) == 0.32 and round(L[-100:].min(), 2) == 0.25 and round(L[-100:].max(), 2) == 0.73


@claim("sgd-explorer-answer", "At $\\eta = 0.398$ training on one example at a time **diverges**")
@claim("sgd-explorer-answer", "while $B = 10$ ends at $0.13$ and the full batch still trains at $\\eta = 0.631$ "
                              "($0.154$ after its 20 steps)")
@claim("sgd-explorer-answer", "Noisier steps need a smaller learning rate.")
@claim("summary", "Noisier steps need a smaller learning rate.")
def test_one_example_at_a_time_diverges_where_larger_batches_train(problem):
    _, t1 = full_loss_run(problem, 1, 10 ** -0.4, 2000)
    assert t1.history.reason is not None and "diverged" in t1.history.reason
    L10, t10 = full_loss_run(problem, 10, 10 ** -0.4, 200)
    assert t10.history.reason is None and round(L10[-1], 2) == 0.13
    L100, t100 = full_loss_run(problem, None, 10 ** -0.2, 20)
    assert t100.history.reason is None and round(L100[-1], 3) == 0.154 and L100[-1] < L100[0]


@claim("sgd-explorer-answer", "$B = 30$: 4 steps per epoch, the last one on 10 examples")
def test_b30_in_the_explorer():
    assert sgd.batch_words(N, 30) == "4 steps per epoch (3 batches of 30 and a last one of 10)"


# ---- momentum on the bowl -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def bowl():
    A, b, c, w0 = problems.bowl_problem()
    lams, vecs = quadratic.axes(A)
    return dict(A=A, b=b, w0=w0, lams=lams, vecs=vecs, w_min=np.linalg.solve(A, b))


def walk(bowl, lr, beta, steps):
    path = quadratic.descent_path(bowl["A"], bowl["b"], bowl["w0"], lr, steps, beta)
    with np.errstate(all="ignore"):
        return path, np.linalg.norm(path - bowl["w_min"], axis=1)


def steps_to_1e3(dist):
    close = np.flatnonzero(dist < 1e-3)
    return int(close[0]) if close.size else None


@claim("sgd-explorer-answer", "a narrow valley with curvatures about $0.12$ and $2.17$")
def test_the_bowls_curvatures(bowl):
    np.testing.assert_allclose(bowl["lams"], [0.12, 2.17], atol=0.005)


@claim("bowl-words", "At $\\eta = 0.85$, just below the plain edge $0.92$, gradient descent zig-zags along the steep "
                     "axis and creeps along the flat one (factor $0.897$ per step): 73 steps to come within $0.001$ "
                     "of the minimum.")
@claim("bowl-explorer-answer", "At $\\beta = 0$ the path zig-zags across the valley and then crawls along it.")
def test_plain_descent_on_the_bowl(bowl):
    assert round(2 / bowl["lams"][-1], 2) == 0.92
    path, dist = walk(bowl, 0.85, 0.0, 200)
    e = (path - bowl["w_min"]) @ bowl["vecs"]                 # columns: flat axis, steep axis
    assert np.all(np.sign(e[1:20, 1]) != np.sign(e[:19, 1]))   # the steep coordinate flips sign every step
    assert np.all(np.abs(e[1:, 0]) < np.abs(e[:-1, 0]))      # the flat one only shrinks
    assert round(float(quadratic.momentum_rates(bowl["lams"], 0.85).max()), 3) == 0.897
    assert steps_to_1e3(dist) == 73


@claim("bowl-words", "With $\\beta = 0.5$ both axes shrink by $\\sqrt{0.5} \\approx 0.71$ per step: 25 steps.")
@claim("bowl-words", "At $\\eta = 1.2$ plain gradient descent diverges, and with $\\beta = 0.5$ (edge $1.39$) it "
                     "still converges in 25 steps.")
@claim("a9f80479", "how it damps the zig-zag of notebook 05, lets a larger learning rate work")
@claim("summary", "it damps the zig-zag")
@claim("summary", "moves the edge of stability to $2(1+\\beta)/\\lambda_{\\max}$")
def test_momentum_05_on_the_bowl(bowl):
    np.testing.assert_allclose(quadratic.momentum_rates(bowl["lams"], 0.85, 0.5), np.sqrt(0.5), rtol=1e-12)
    assert steps_to_1e3(walk(bowl, 0.85, 0.5, 200)[1]) == 25
    _, plain = walk(bowl, 1.2, 0.0, 200)
    assert not np.isfinite(plain[-1]) or plain[-1] > 1e6
    assert round(quadratic.momentum_edge(bowl["lams"][-1], 0.5), 2) == 1.39
    assert steps_to_1e3(walk(bowl, 1.2, 0.5, 200)[1]) == 25


@claim("bowl-words", "at $\\beta = 0.9$ the factor is $\\sqrt{0.9} \\approx 0.95$, and it takes 129 steps, more than "
                     "without momentum")
def test_too_much_momentum_is_slower_on_the_bowl(bowl):
    assert quadratic.momentum_rates(bowl["lams"], 0.85, 0.9).max() == pytest.approx(np.sqrt(0.9))
    assert steps_to_1e3(walk(bowl, 0.85, 0.9, 200)[1]) == 129 > 73


@claim("bowl-explorer-answer", "after 10 steps they are $0.06$ wide along the steep axis, against $0.23$ without "
                               "momentum")
def test_the_swings_die_out(bowl):
    widths = []
    for beta in (0.5, 0.0):
        path, _ = walk(bowl, 0.85, beta, 60)
        widths.append(abs(((path[10] - bowl["w_min"]) @ bowl["vecs"])[1]))
    assert round(widths[0], 2) == 0.06 and round(widths[1], 2) == 0.23


@claim("bowl-explorer-answer", "along the valley it runs past the minimum, turns and comes back, six times in 60 "
                               "steps, where plain gradient descent never passes it")
@claim("a9f80479", "and where it overshoots")
@claim("summary", "Too much of it overshoots and circles.")
def test_beta_09_overshoots_along_the_valley(bowl):
    crossings = []
    for beta in (0.9, 0.0):
        path, _ = walk(bowl, 0.85, beta, 60)
        flat = (path - bowl["w_min"]) @ bowl["vecs"][:, 0]
        crossings.append(int(np.sum(np.sign(flat[1:]) != np.sign(flat[:-1]))))
    assert crossings == [6, 0]


@claim("bowl-explorer-answer", "after 60 steps it is still $1.9$ from the minimum (it started $3.0$ away)")
def test_beta_099_hardly_settles(bowl):
    _, dist = walk(bowl, 0.85, 0.99, 60)
    assert round(dist[0], 1) == 3.0 and round(dist[60], 1) == 1.9


@claim("bowl-explorer-answer", "the status line says where the edge $2(1+\\beta)/\\lambda_{\\max}$ lies and what "
                               "happens beyond it")
def test_beyond_the_edge_the_bowl_explorer_says_it_diverges():
    import matplotlib.pyplot as plt
    ex = sgd.bowl_momentum_explorer(momentum=0.5, lr=1.2)
    try:
        assert "2(1 + β)/λmax = 1.39" in ex.status.value and "within 0.001" in ex.status.value
        ex.set(lr=1.4)
        assert "Diverges" in ex.status.value
    finally:
        plt.close(ex.fig)


@claim("bowl-explorer-answer", "without momentum the path is still $1.87$ from the minimum after 60 steps, with "
                               "$\\beta = 0.9$ only $0.15$")
@claim("summary", "lengthens steps along gentle slopes")
def test_small_steps_lengthened_by_momentum(bowl):
    assert round(walk(bowl, 0.05, 0.0, 60)[1][-1], 2) == 1.87
    assert round(walk(bowl, 0.05, 0.9, 60)[1][-1], 2) == 0.15


# ---- momentum on the network --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def net_table(problem):
    params, X, y, loss = problem
    out = {}
    for lr in (0.75, 0.85):
        runs = experiments.population_runs(params, X, y, 100, lr, momentum=[0.0, 0.5, 0.9, 0.99], loss=loss)
        for k, beta in enumerate((0.0, 0.5, 0.9, 0.99)):
            out[lr, beta] = (runs.full_loss(k), int(runs.diverged_step[k]))
    return out


def ups(L):
    return int(np.sum(np.diff(L) > 0))


@claim("network-words", "At $\\eta = 0.75$ plain gradient descent zig-zags (the loss went up in 41 of the 100 steps "
                        "and ends at $0.398$); with $\\beta = 0.5$ the loss never goes up and ends at $0.103$.")
@claim("momentum-explorer-answer", "$\\beta = 0.5$: the loss falls smoothly and never goes up, while $\\beta = 0$ "
                                   "(grey) zig-zags.")
@claim("sgd-explorer-answer", "In notebook 05, learning rates just below the edge of stability made training zig-zag: "
                              "at $\\eta = 0.75$ the loss went up in 41 of the 100 steps.")
def test_momentum_damps_the_zigzag_of_notebook_05(net_table, problem):
    L0, d0 = net_table[0.75, 0.0]
    L5, d5 = net_table[0.75, 0.5]
    assert d0 == d5 == -1
    assert ups(L0) == 41 and round(L0[-1], 3) == 0.398
    assert ups(L5) == 0 and round(L5[-1], 3) == 0.103
    single, _ = full_loss_run(problem, None, 0.75, 100, momentum=0.5)     # the population member is the single run
    np.testing.assert_allclose(single, L5, rtol=1e-12)
    params, X, y, loss = problem
    assert 0.75 < curvature.edge_of_stability(params, X, y, loss=loss) < 0.8      # just below the edge 0.79
    smoothest = min((0.0, 0.5, 0.9, 0.99), key=lambda b: ups(net_table[0.75, b][0]))
    assert smoothest == 0.5


@claim("network-words", "At $\\eta = 0.85$ plain gradient descent diverges at step 67, and with $\\beta = 0.5$ it "
                        "converges to $0.102$.")
@claim("momentum-explorer-answer", "$\\eta = 0.85$: $\\beta = 0$ diverges (the status line says at which step); "
                                   "$\\beta = 0.5$ converges.")
def test_momentum_lets_085_work(net_table):
    assert net_table[0.85, 0.0][1] == 67
    L, d = net_table[0.85, 0.5]
    assert d == -1 and round(L[-1], 3) == 0.102


@claim("network-words", "with $\\beta = 0.99$ the loss goes up in about half of the steps at both learning rates")
def test_beta_099_goes_up_half_the_time(net_table):
    for lr in (0.75, 0.85):
        assert 40 <= ups(net_table[lr, 0.99][0]) <= 55


@claim("network-words", "$\\beta = 0.9$ goes up often too (40 steps), yet ends lowest ($0.072$ at $\\eta = 0.75$)")
def test_beta_09_ends_lowest(net_table):
    L, d = net_table[0.75, 0.9]
    assert d == -1 and ups(L) == 40 and round(L[-1], 3) == 0.072
    finals = [v[0][-1] for v in net_table.values() if v[1] == -1]
    assert min(finals) == L[-1]


@claim("network-words", "at $\\eta = 0.5$ plain gradient descent needs about 8000 steps to get that low")
def test_plain_descent_needs_about_8000_steps(problem):
    params, X, y, loss = problem
    t = Trainer(params, X, y, lr=0.5, loss=loss, record_params=False)
    t.step(9000)
    first = int(np.flatnonzero(t.history.loss < 0.072)[0])
    assert 7500 <= first <= 8500


@claim("momentum-explorer-answer", "With $\\beta = 0.99$ the loss turns from falling to rising or back at 85 of its "
                                   "100 steps, and the path scribbles over a wider stretch of `W2[1,0]` than with "
                                   "$\\beta = 0.5$ and runs off the top of the map")
def test_beta_099_on_the_network(problem):
    params, X, y, loss = problem
    runs = experiments.population_runs(params, X, y, 100, 0.75, momentum=[0.5, 0.99], loss=loss)
    L = runs.full_loss(1)
    assert int(np.sum(np.diff(np.sign(np.diff(L))) != 0)) == 85
    spans = [np.ptp(runs.weights(k, ["W2[1,0]"])) for k in (0, 1)]
    assert spans[1] > 1.5 * spans[0]
    top = problems.descent_problem()[0]["b2"][0] + sgd.MAP_HALF_WIDTH
    assert runs.weights(1, ["b2[0]"]).max() > top


@claim("momentum-explorer-answer", "$\\beta = 0.5$ and $\\eta = 1$: training diverges, although $1$ is below "
                                   "$2(1+\\beta)/\\lambda_{\\max} = 1.18$ at the start.")
@claim("momentum-explorer-answer", "by step 20, $2(1+\\beta)/\\lambda_{\\max}$ there is $0.81$, below $\\eta$")
def test_the_curvature_grows_on_the_way(problem):
    params, X, y, loss = problem
    runs = experiments.population_runs(params, X, y, 100, 1.0, momentum=0.5, loss=loss)
    assert runs.diverged_step[0] >= 0
    assert round(1.5 * curvature.edge_of_stability(params, X, y, loss=loss), 2) == 1.18
    at20 = network.unflatten(runs.params[20, 0])
    assert round(1.5 * curvature.edge_of_stability(at20, X, y, loss=loss), 2) == 0.81


@claim("momentum-explorer-answer", "after 100 steps the loss is $0.184$ with $\\beta = 0.9$ and $0.239$ without "
                                   "momentum")
def test_small_learning_rate_with_momentum(problem):
    params, X, y, loss = problem
    runs = experiments.population_runs(params, X, y, 100, 0.01, momentum=[0.9, 0.0], loss=loss)
    assert round(runs.full_loss(0)[-1], 3) == 0.184 and round(runs.full_loss(1)[-1], 3) == 0.239
