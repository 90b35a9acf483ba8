"""The two-weight quadratic bowl: a linear model's loss, its axes and curvatures, gradient descent
on it (notebooks 05 and 06), and its ridge and lasso optima (notebook 09).

A linear model y ≈ x1·w1 + x2·w2 has the loss L(w) = 1/(2n)·|Xw − y|² = ½ wᵀAw − bᵀw + c,
a bowl with elliptical contours. With an L2 penalty its minimum has a closed form; with an
L1 penalty coordinate descent finds it exactly, and it lands on an axis (a weight exactly 0)
once λ is large enough.
"""
import numpy as np

from .regularization import soft_threshold


def two_weight_problem(n=60, rho=0.6, w_true=(1.5, 0.4), noise=0.5, seed=3):
    """A linear model y ≈ x1·w1 + x2·w2 on seeded data with correlated inputs.

    Its loss L(w) = 1/(2n)·|Xw − y|² = ½ wᵀAw − bᵀw + c is a quadratic bowl with
    elliptical contours. Returns (A, b, c) with A = XᵀX/n, b = Xᵀy/n, c = yᵀy/(2n).
    """
    rng = np.random.default_rng(seed)
    cov = np.array([[1.0, rho], [rho, 1.0]])
    X = rng.standard_normal((n, 2)) @ np.linalg.cholesky(cov).T
    y = X @ np.asarray(w_true, dtype=np.float64) + noise * rng.standard_normal(n)
    return X.T @ X / n, X.T @ y / n, float(y @ y) / (2 * n)


def quadratic_loss(A, b, c, w):
    """L(w) = ½ wᵀAw − bᵀw + c for w of shape (..., 2)."""
    w = np.asarray(w, dtype=np.float64)
    return 0.5 * np.einsum("...i,ij,...j->...", w, A, w) - w @ b + c


def ridge(A, b, lam):
    """argmin L(w) + λ/2·|w|²  =  (A + λI)⁻¹ b  (closed form); λ may be an array (returns (..., 2))."""
    lam = np.asarray(lam, dtype=np.float64)
    eye = np.eye(len(b))
    return np.linalg.solve(A + lam[..., None, None] * eye, np.broadcast_to(b, lam.shape + b.shape)[..., None])[..., 0]


def lasso(A, b, lam, iters=200):
    """argmin L(w) + λ·|w|₁ by coordinate descent: w_j ← S(b_j − Σ_{k≠j} A_jk w_k, λ) / A_jj.

    S(v, t) = sign(v)·max(|v| − t, 0) is the soft threshold; each coordinate update
    is exact, so w_j lands on exactly 0 whenever |b_j − Σ_{k≠j} A_jk w_k| ≤ λ.
    λ may be an array (returns (..., 2)).
    """
    lam = np.asarray(lam, dtype=np.float64)
    w = np.zeros(lam.shape + b.shape)
    for _ in range(iters):
        for j in range(len(b)):
            r = b[j] - w @ A[j] + w[..., j] * A[j, j]
            w[..., j] = soft_threshold(r, lam) / A[j, j]
    return w


def lasso_zero_from(b):
    """The smallest λ at which the lasso optimum is w = 0: max_j |b_j| (then |b_j − Σ A_jk·0| ≤ λ for every j)."""
    return float(np.max(np.abs(b)))


def ellipse_through(A, w_min, w_point, n=120):
    """Points of the loss contour {w : L(w) = L(w_point)} around the minimum w_min (an ellipse)."""
    d = np.asarray(w_point) - w_min
    level = float(d @ A @ d)                   # (w − w_min)ᵀ A (w − w_min), constant on a contour
    vals, vecs = np.linalg.eigh(A)
    t = np.linspace(0, 2 * np.pi, n)
    circle = np.stack([np.cos(t), np.sin(t)], axis=1)
    return w_min + np.sqrt(max(level, 0.0)) * (circle / np.sqrt(vals)) @ vecs.T


def axes(A):
    """The bowl's axes and curvatures: (eigenvalues ascending, eigenvectors as columns) of the symmetric A.

    Along eigenvector v_i the loss is a parabola of curvature lambda_i: L(w* + t v_i) = L(w*) + lambda_i t^2 / 2.
    """
    A = np.asarray(A, dtype=np.float64)
    return np.linalg.eigh(0.5 * (A + A.T))


def descent_path(A, b, w0, lr, steps, momentum=0.0):
    """Gradient descent on L(w) = ½ wᵀAw − bᵀw + c from w0: every point, shape (steps + 1, 2).

    The gradient is A w − b; each step is v <- momentum v + (A w − b), w <- w − lr v (momentum 0:
    plain gradient descent). Along eigenvector i the distance to the minimum is multiplied by
    (1 − lr lambda_i) per plain step, so the path converges exactly when lr < 2 / lambda_max.
    """
    A, b = np.asarray(A, dtype=np.float64), np.asarray(b, dtype=np.float64)
    w = np.array(w0, dtype=np.float64)
    v = np.zeros_like(w)
    path = [w.copy()]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(int(steps)):
            v = momentum * v + (A @ w - b)
            w = w - lr * v
            path.append(w.copy())
    return np.array(path)


def momentum_rates(curvatures, lr, momentum=0.0):
    """Per axis of curvature λ, the factor by which gradient descent with heavy-ball momentum shrinks
    the distance to the minimum per step in the long run: the largest |r| of r² − (1 + β − ηλ) r + β = 0.

    Along an axis the distance e follows e_{t+1} = (1 + β − ηλ) e_t − β e_{t−1}. With β = 0 the factor
    is |1 − ηλ|; complex roots (a spiral) have |r| = √β; a factor above 1 means divergence, which
    happens exactly when ηλ > 2(1 + β).
    """
    lam = np.asarray(curvatures, dtype=np.float64)
    s = 1.0 + momentum - lr * lam
    disc = s * s - 4.0 * momentum
    root = np.sqrt(np.abs(disc))
    real = np.maximum(np.abs(s + root), np.abs(s - root)) / 2.0
    return np.where(disc < 0, np.sqrt(momentum), real)


def momentum_edge(curvature_max, momentum=0.0):
    """The largest stable learning rate with heavy-ball momentum β: 2(1 + β)/λmax (2/λmax without)."""
    return 2.0 * (1.0 + momentum) / curvature_max
