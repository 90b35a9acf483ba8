"""The Trainer's inner loop: forward and backward passes for P networks at once.

The maths is exactly that of ``network.forward``, the losses of ``losses`` and
``network.backward`` (the readable versions, which the notebooks show); this
module arranges it for speed.

- **Bias folded into the weights.** In the flat parameter order W1, b1, W2, b2, ...
  each bias sits right under its weight matrix, so layer l's stretch of a flat
  parameter row *is* the (n_in + 1, n_out) matrix [W_l; b_l]. With a row of
  ones appended to each layer's input, ``z_l = [a_{l-1}, 1] @ [W_l; b_l]`` is one
  matrix product, and ``[a_{l-1}, 1]^T @ dz_l`` is the gradient of the whole
  stretch: dW_l and db_l = sum_n dz_l together.
- **Samples along the last axis.** Activations are kept transposed, (units, samples)
  for each network, so every array a step touches is contiguous.
- **Buffers allocated once** and reused by every step.
- **Chunks of networks.** A large population is worked through a few dozen
  networks at a time, so each pass's buffers stay in the processor's cache.
  Every network's numbers are the same whatever the chunk or population size.

What is bit for bit the readable computation (tested): the outputs z of every layer,
the activations, the loss value and dL/dz (the same elementwise expressions, the same
mean). What is equal only to rounding (a few units in the last place): the sums over
the samples in dW and db, which here are one matrix product over [a, 1] in the
transposed layout and in ``network.backward`` a product and a ``sum``; the order
in which the processor adds the N terms differs.
"""
import numpy as np

from . import activations, losses

CHUNK = 64          # networks per pass

def prepare_loss(name, y):
    """One function ``z -> (loss, dL/dz)`` for fixed targets ``y``, for a training loop.

    ``z`` holds the outputs with the samples along the last axis, (..., 1, N). The
    expressions are those of ``losses.mse``/``mse_grad`` and ``losses.bce``/``bce_grad``,
    in the same order (so the numbers are the same to the last bit), with what depends
    on ``y`` alone worked out once and softplus(m z) shared by the loss and its gradient.
    """
    y = losses.check_targets(losses.check_name(name), y)
    N = y.shape[-1]
    if name == "mse":
        def mse_pass(z):
            d = z - y
            return np.add.reduce(d * d, axis=-1)[..., 0] / N, (2.0 / N) * d        # np.mean, without its wrapper
        return mse_pass

    m = losses.sign_of_label(y)
    scale = m / N

    def bce_pass(z):
        u = z * m
        e = np.abs(u)
        np.negative(e, out=e)
        np.exp(e, out=e)                                  # e = exp(-|u|)
        sp = np.log1p(e, out=e)
        sp += np.maximum(u, 0.0)                          # softplus(u) = max(u, 0) + log(1 + exp(-|u|))
        value = np.add.reduce(sp, axis=-1)[..., 0] / N                       # np.mean, without its wrapper
        np.subtract(u, sp, out=u)
        np.exp(u, out=u)                                  # sigmoid(u) = exp(u - softplus(u))
        u *= scale
        return value, u
    return bce_pass


class Engine:
    """Forward and backward passes for parameters held as rows of a flat (P, n_params) buffer.

    ``Engine((2, 3, 1), "tanh", "bce").loss_and_grad(theta, X, y)`` returns the mean data
    loss of each network (P,) and leaves the gradient in ``.grad`` (P, n_params).
    """

    def __init__(self, sizes, activation, loss):
        self.sizes = tuple(int(s) for s in sizes)
        self.activation = activation
        self.loss_name = losses.check_name(loss)
        # (first column, last column + 1, rows n_in + 1, columns n_out) of each layer's [W; b]
        self.blocks, start = [], 0
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]):
            self.blocks.append((start, start + (n_in + 1) * n_out, n_in + 1, n_out))
            start += (n_in + 1) * n_out
        self.n_params = start
        self.hidden = self.sizes[1:-1]
        self._X = self._y = None
        self._plans, self._grad_key = {}, None

    @property
    def activation(self):
        """The hidden layers' activation; may change between passes."""
        return self._activation

    @activation.setter
    def activation(self, name):
        info = activations.info(name)
        self._activation = name
        self._apply, self._slope = info.in_place, info.slope

    # ---- data and buffers ---------------------------------------------------------------
    def _bind(self, X, y):
        """Input with its row of ones (samples along the columns), and the loss for these targets,
        redone only for new data."""
        if X is self._X and y is self._y:
            return
        xa = np.ones((X.shape[1] + 1, X.shape[0]))
        xa[:-1] = X.T
        self._xa, self._lossf = xa, prepare_loss(self.loss_name, y)
        self._X, self._y = X, y

    def _plan(self, theta):
        """Per chunk of networks: views of each layer's [W; b] in ``theta`` and in the gradient
        buffer, and the chunk's scratch buffers. Made once for a parameter buffer and a batch size
        (mini-batches have two sizes: B and the smaller last batch of an epoch)."""
        P, N = theta.shape[0], self._xa.shape[1]
        if self._grad_key != (id(theta), theta.shape):
            self.grad, self._plans = np.empty_like(theta), {}
            self._grad_key = (id(theta), theta.shape)
        chunks = self._plans.get(N)
        if chunks is not None:
            return chunks
        if len(self._plans) >= 4:
            self._plans.clear()
        chunks = self._plans[N] = []
        for c0 in range(0, P, CHUNK):
            c1 = min(P, c0 + CHUNK)
            p = c1 - c0
            Wb = [theta[c0:c1, i:j].reshape(p, r, c) for i, j, r, c in self.blocks]
            G = [self.grad[c0:c1, i:j].reshape(p, r, c) for i, j, r, c in self.blocks]
            if not all(np.shares_memory(v, theta) for v in Wb) or \
                    not all(np.shares_memory(v, self.grad) for v in G):
                raise ValueError("theta must be a C-ordered (P, n_params) array")  # reshape copied
            acts = []
            for h in self.hidden:
                a = np.empty((p, h + 1, N))
                a[:, h, :] = 1.0        # the row of ones that multiplies the bias row
                acts.append(a)
            chunks.append(dict(
                rows=slice(c0, c1),
                WbT=[np.swapaxes(v, -1, -2) for v in Wb],       # z^T = [W; b]^T [a; 1]^T
                W=[v[:, :-1, :] for v in Wb],
                G=G,
                acts=acts,
                slopes=[np.empty((p, h, N)) for h in self.hidden],
                low=[np.empty((p, h, N)) for h in self.hidden],
                z=np.empty((p, self.sizes[-1], N)),
                ones=np.ones(N),
            ))
        return chunks

    # ---- the passes ---------------------------------------------------------------------
    def loss_and_grad(self, theta, X, y, low_slope=None, flat=None):
        """Mean data loss of each network (P,); its gradient is left in ``self.grad`` (P, n_params).

        Everything runs transposed, samples along the last axis, so that every array a
        step touches is contiguous for each network. With ``low_slope`` given, ``flat``
        (P, hidden units) receives, for every hidden unit, on how many samples f'(z) is
        below ``low_slope``.
        """
        self._bind(X, y)
        loss = np.empty(theta.shape[0])
        for chunk in self._plan(theta):
            rows = chunk["rows"]
            loss[rows] = self._pass(chunk, low_slope, None if flat is None else flat[rows])
        return loss

    def _pass(self, c, low_slope, flat):
        last = len(self.blocks) - 1
        inputs = [self._xa]            # [a_{l-1}; 1]^T for every layer l: (units + 1, samples)
        for l in range(last):
            a, n = c["acts"][l], self.sizes[l + 1]
            self._apply(np.matmul(c["WbT"][l], inputs[-1], out=a[:, :n, :]))   # a_l = f(z_l)
            inputs.append(a)
        z = np.matmul(c["WbT"][last], inputs[-1], out=c["z"])
        value, dz = self._lossf(z)
        for l in range(last, -1, -1):
            np.matmul(inputs[l], np.swapaxes(dz, -1, -2), out=c["G"][l])      # [dW; db] = [a; 1] dz^T
            if l > 0:
                da = np.matmul(c["W"][l], dz)                                    # W_l dz_l
                slope = self._slope(inputs[l][:, :-1, :], out=c["slopes"][l - 1])   # f'(z_{l-1})
                dz = np.multiply(da, slope, out=da)
        if flat is not None:
            col = 0
            for slope, low, h in zip(c["slopes"], c["low"], self.hidden):
                np.less(slope, low_slope, out=low)
                np.matmul(low, c["ones"], out=flat[:, col:col + h])
                col += h
        return value
