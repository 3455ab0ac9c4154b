"""Deep non-negative matrix factorisation: a hierarchy of parts."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import warnings
from numbers import Integral

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state

from sklearn_nmfx._base import beta_from_loss, check_counts_not_bool, format_docstring
from sklearn_nmfx._beta import DataMatrix, beta_divergence
from sklearn_nmfx._compat import Interval, StrOptions, _fit_context
from sklearn_nmfx._init import (
    INIT_OPTIONS,
    check_custom_factor,
    default_init,
    initialize,
)
from sklearn_nmfx._mu import (
    descend,
    factor_floor,
    gradient_parts,
    max_inner_steps,
    sweep_rows,
    update_factor,
)
from sklearn_nmfx._munmf import _BaseMU, _unscale

LOSSES = {"data-centric", "layer-centric"}

# Newton steps at most in the evaluation of Lambert's W; from the starting
# point used, it converges to machine precision in fewer than ten.
_LAMBERT_STEPS = 30


def _check_ranks(n_components, n_features):
    """The ranks (k_1, ..., k_L) that ``n_components`` asks for, as a tuple."""
    if n_components is None:
        return (n_features,)
    if isinstance(n_components, Integral):
        return (int(n_components),)
    ranks = tuple(n_components)
    if not ranks or not all(
        isinstance(k, Integral) and not isinstance(k, bool) and k >= 1 for k in ranks
    ):
        raise ValueError(
            "n_components must be a positive int or a non-empty tuple of positive "
            f"ints, one rank per layer; got n_components={n_components!r}."
        )
    return tuple(int(k) for k in ranks)


def _right_products(layers):
    """``[A_1, A_2 A_1, ..., A_L ... A_1]``: the parts of every layer.

    The products are formed from the right, each one small factor times the
    previous: the cheapest order for ranks that do not grow with depth.
    """
    products = [layers[0]]
    for A in layers[1:]:
        products.append(A @ products[-1])
    return products


def _layer_codes(W, layers):
    """``[W A_L ... A_2, ..., W A_L, W]``: the code of every layer."""
    codes = [W]
    for A in layers[:0:-1]:
        codes.append(codes[-1] @ A.astype(W.dtype, copy=False))
    return codes[::-1]


def _normalize_rows(A, left):
    """Scale the rows of A to sum to one, and the columns of ``left`` to match.

    ``left @ A`` is unchanged; both are changed in place.
    """
    sums = A.sum(axis=1)
    A /= sums[:, None]
    left *= sums


def _log_lambertw_exp(s):
    """``log(W(exp(s)))`` for real s, W the principal branch of Lambert's W.

    Solves ``exp(v) + v = s`` by Newton's method, which needs neither
    ``exp(s)`` (it overflows for the values met here) nor complex numbers.
    From the start chosen the function is positive and convex, so the steps
    decrease monotonically to the root.
    """
    big = s > 1
    v = np.where(big, np.log(np.where(big, s, 1.0)), s)
    for _ in range(_LAMBERT_STEPS):
        ev = np.exp(v)
        step = (ev + v - s) / (ev + 1.0)
        v -= step
        if np.max(np.abs(step)) <= 4 * np.finfo(v.dtype).eps * (1 + np.max(np.abs(v))):
            break
    return v


def _penalty(factor, l1, l2):
    """Value of ``l1 * sum(F) + l2 / 2 * ||F||^2``."""
    value = 0.0
    if l1:
        value += l1 * float(factor.sum())
    if l2:
        value += 0.5 * l2 * float(np.vdot(factor, factor))
    return value


class _DataCentric:
    """Sweeps of multiplicative updates on ``d_beta(X | W A_L ... A_1)``.

    Every factor is one (L, F, R) update of the engine: W is (None, W,
    A_L...A_1), and A_l is (W A_L...A_(l+1), A_l, A_(l-1)...A_1), R being
    None for A_1. A sweep updates W, then A_L down to A_1, so that the left
    products grow by one small factor at a time and the right ones are
    formed once per sweep.
    """

    def __init__(self, data, W, layers, *, beta, penalties, accelerate):
        self.data = data
        self.W = W
        self.layers = layers
        self.beta = beta
        self.penalties = penalties
        self.floors = [factor_floor(W)] + [factor_floor(A) for A in layers]
        self.inner = [1] * (len(layers) + 1)
        if accelerate and beta == 2:
            # Only the shapes matter, so the products at the start will do.
            right = _right_products(layers)
            self.inner[0] = max_inner_steps(data, W, None, right[-1])
            left = W
            for i in reversed(range(len(layers))):
                R = right[i - 1] if i else None
                self.inner[i + 1] = max_inner_steps(data, layers[i], left, R)
                left = left @ layers[i]

    def _update(self, index, F, L, R, want_error=False):
        l1, l2 = self.penalties[index]
        return update_factor(
            self.data, F, L, R, beta=self.beta, floor=self.floors[index],
            l1=l1, l2=l2, max_inner=self.inner[index], want_error=want_error,
        )  # fmt: skip

    def sweep(self, check):
        """Update W, then A_L, ..., A_1; return the half squared error for beta=2."""
        layers = self.layers
        if len(layers) == 1 and self.beta != 2 and not self.data.sparse:
            # One layer on dense data: the engine's fused sweep, as MUNMF's.
            (l1_W, l2_W), (l1_H, l2_H) = self.penalties
            sweep_rows(
                self.data, self.W, layers[0], beta=self.beta,
                floor_W=self.floors[0], floor_H=self.floors[1],
                penalties={"l1_W": l1_W, "l2_W": l2_W, "l1_H": l1_H, "l2_H": l2_H},
            )  # fmt: skip
            return None
        right = _right_products(layers)
        self._update(0, self.W, None, right[-1])
        left = self.W
        error = None
        for i in reversed(range(len(layers))):
            R = right[i - 1] if i else None
            error = self._update(i + 1, layers[i], left, R, want_error=check and not i)
            if i:
                left = left @ layers[i]
        return error

    def objective(self, data_term=None):
        """The divergence (computed unless given) plus the penalties."""
        if data_term is None:
            data_term = beta_divergence(
                self.data, self.W, _right_products(self.layers)[-1], self.beta
            )
        value = data_term
        for factor, (l1, l2) in zip([self.W, *self.layers], self.penalties):
            value += _penalty(factor, l1, l2)
        return float(value)


class _LayerCentric:
    """Sweeps of updates on ``sum_l lambda_l d_beta(W_(l-1) | W_l A_l)``.

    ``W_0`` is X and each row of each A_l sums to one. Layer by layer a sweep
    updates A_l, a (W_l, A_l, None) problem on the data ``W_(l-1)`` under the
    sum-to-one constraint, then ``W_l``. The deepest code ``W_L`` is in one
    term only: a (None, W_L, A_L) update. Every other code is the factor of
    its own layer's fit and the data of the next one's; its update adds the
    gradient of that second term, ``d_beta(W_l | W_(l+1) A_(l+1))`` in its
    first argument, to the engine's gradient parts of the first.
    """

    def __init__(self, data, codes, layers, *, beta, weights):
        self.data = data
        self.codes = codes
        self.layers = layers
        self.beta = beta
        self.weights = weights
        self.code_floors = [factor_floor(W) for W in codes]
        self.layer_floors = [factor_floor(A) for A in layers]

    def _source(self, i):
        """The data of layer i + 1: X for the first layer, else the code above."""
        return self.data if i == 0 else DataMatrix(self.codes[i - 1])

    def _update_layer(self, source, A, W, floor):
        """Majorise-minimise step on A under the constraint ``A @ 1 = 1``."""
        numerator, denominator = gradient_parts(source, A, W, None, beta=self.beta)
        if self.beta == 1:
            # The positive part is constant along each row: the constrained
            # step is the plain one with its rows rescaled to sum to one.
            A *= numerator
        else:
            # The step minimises a separable quadratic over the simplex: each
            # entry is max(floor, c * (numerator - mu)), with one multiplier mu
            # per row. Sorting the points where entries leave the floor gives
            # mu for every possible set of free entries; the last set whose
            # smallest free entry is still above the floor is the right one.
            c = A / denominator
            leave = numerator - floor / c
            order = np.argsort(-leave, axis=1)
            c_sorted = np.take_along_axis(c, order, axis=1)
            n_sorted = np.take_along_axis(numerator, order, axis=1)
            n_free = np.arange(1, A.shape[1] + 1)
            mu = np.cumsum(c_sorted * n_sorted, axis=1) - 1.0
            mu += (A.shape[1] - n_free) * floor
            mu /= np.cumsum(c_sorted, axis=1)
            free = np.take_along_axis(leave, order, axis=1) > mu
            last = A.shape[1] - 1 - np.argmax(free[:, ::-1], axis=1)
            mu = mu[np.arange(A.shape[0]), last]
            A[...] = np.maximum(floor, c * (numerator - mu[:, None]))
        A /= A.sum(axis=1, keepdims=True)
        np.maximum(A, floor, out=A)

    def _update_inner_code(self, source, W, A, target, ratio, floor):
        """Majorise-minimise step on a code that is also the next layer's data.

        ``target`` is the next layer's model ``W_(l+1) A_(l+1)`` and ``ratio``
        the weight of the next layer over this one's.
        """
        numerator, denominator = gradient_parts(source, W, None, A, beta=self.beta)
        if self.beta == 2:
            W *= (numerator + ratio * target) / (denominator + ratio * W)
        else:
            # Stationarity of the majoriser in w reads
            #   denominator - b / w + ratio * log(w / target) = 0,
            # with b = W * numerator; its root is (b / ratio) / Lambert_W(z),
            # z = (b / ratio) * exp(denominator / ratio) / target.
            tiny = np.finfo(W.dtype).tiny
            log_b = np.log(np.maximum(W * numerator, tiny) / ratio)
            s = log_b + denominator / ratio - np.log(np.maximum(target, tiny))
            W[...] = np.exp(log_b - _log_lambertw_exp(s))
        np.maximum(W, floor, out=W)

    def sweep(self, check):
        """Update A_1, W_1, then A_2, W_2, and so on down to A_L, W_L."""
        codes, layers = self.codes, self.layers
        last = len(layers) - 1
        for i in range(last + 1):
            source = self._source(i)
            self._update_layer(source, layers[i], codes[i], self.layer_floors[i])
            if i == last:
                update_factor(
                    source, codes[i], None, layers[i], beta=self.beta,
                    floor=self.code_floors[i],
                )  # fmt: skip
            else:
                self._update_inner_code(
                    source, codes[i], layers[i], codes[i + 1] @ layers[i + 1],
                    self.weights[i + 1] / self.weights[i], self.code_floors[i],
                )  # fmt: skip
        return None

    def layer_errors(self):
        """``d_beta(W_(l-1) | W_l A_l)`` of every layer."""
        return np.array(
            [
                beta_divergence(self._source(i), W, A, self.beta)
                for i, (W, A) in enumerate(zip(self.codes, self.layers))
            ]
        )

    def objective(self, data_term=None):
        """The weighted sum of the layers' divergences."""
        return float(np.dot(self.weights, self.layer_errors()))


@format_docstring
class DeepNMF(_BaseMU):
    r"""Deep non-negative matrix factorisation: a hierarchy of parts.

    Approximates the non-negative data X by a product of non-negative
    factors,

    .. math::

        X \approx W A_L \cdots A_2 A_1,

    with :math:`A_1` of shape ``(k_1, n_features)``, :math:`A_l` of shape
    ``(k_l, k_(l-1))`` and W of shape ``(n_samples, k_L)``. The rows of
    :math:`A_1` are the finest parts; each row of :math:`A_l` combines the
    parts of the layer below, so the parts of layer l, in feature space, are
    the rows of :math:`A_l \cdots A_1`. W is the deepest code of every sample
    and ``components_`` is :math:`A_L \cdots A_1`. The code of a sample at
    layer l is :math:`W_l = W A_L \cdots A_{{l+1}}` (see
    :meth:`transform_layers`). The lesson writes the transpose,
    :math:`V \approx W_L \cdots W_1 H` with :math:`V = X^\top`: its
    :math:`W_{{L+1-l}}` is :math:`A_l^\top` and its H is :math:`W^\top`.

    The data-centric loss (the default) counts only the fit of the data:

    .. math::

        d_\beta(X \mid W A_L \cdots A_1)
        + \alpha_W \rho \, m \, \lVert W \rVert_1
        + \tfrac12 \alpha_W (1 - \rho) \, m \, \lVert W \rVert_F^2
        + \sum_{{l=1}}^{{L}} \Big( \alpha_H \rho \, n \, \lVert A_l \rVert_1
        + \tfrac12 \alpha_H (1 - \rho) \, n \, \lVert A_l \rVert_F^2 \Big)

    where :math:`d_\beta` is the beta-divergence, :math:`\rho` is ``l1_ratio``
    and X has n rows and m columns. Every factor's update is one
    multiplicative step on a model :math:`X \approx L F R` with the other
    factors fixed: :math:`(\varnothing, W, A_L \cdots A_1)` for W and
    :math:`(W A_L \cdots A_{{l+1}}, A_l, A_{{l-1}} \cdots A_1)` for
    :math:`A_l`, so that no step increases the loss.

    The layer-centric loss weighs the fit of every layer, each code
    :math:`W_l` being a variable of its own:

    .. math::

        \sum_{{l=1}}^{{L}} \lambda_l \, d_\beta(W_{{l-1}} \mid W_l A_l),
        \qquad W_0 = X, \; W_L = W, \; A_l \mathbf{{1}} = \mathbf{{1}}.

    Its updates: :math:`A_l` is a :math:`(W_l, A_l, \varnothing)` step on
    the data :math:`W_{{l-1}}` whose rows are kept summing to one, W a
    :math:`(\varnothing, W, A_L)` step on :math:`W_{{L-1}}`, and every other
    code minimises a majoriser of
    :math:`\lambda_l d_\beta(W_{{l-1}} \mid W_l A_l)
    + \lambda_{{l+1}} d_\beta(W_l \mid W_{{l+1}} A_{{l+1}})`,
    whose minimiser is a ratio of gradient parts for beta=2 and involves
    Lambert's W function for beta=1 (Leplat et al.).

    Training starts with the layer-wise pretraining, :math:`X \approx W_1
    A_1`, then :math:`W_1 \approx W_2 A_2`, and so on, and then fine-tunes
    every factor jointly on the chosen loss.

    Parameters
    ----------
    n_components : int, tuple of int or None, default=None
        The rank of every layer. A tuple ``(k_1, ..., k_L)`` gives a model
        of L layers, ``k_1`` parts at the first and ``k_L`` codes at the
        last; an int gives a single layer, the model of :class:`MUNMF`; None
        a single layer of ``n_features`` components. Any positive ranks are
        accepted: ranks that decrease with depth give the usual hierarchy of
        ever fewer, coarser parts, but a layer may also be wider than the one
        below.

    loss : {{'data-centric', 'layer-centric'}}, default='data-centric'
        What fine-tuning minimises: the divergence between X and the whole
        product, or the weighted sum of every layer's own divergence (see
        above). The layer-centric loss takes ``beta_loss`` 'frobenius' or
        'kullback-leibler' and no penalty.

    layer_weights : array-like of shape (n_layers,), default=None
        The weights :math:`\lambda_l` of the layer-centric loss. None gives
        each layer one over its divergence at the end of pretraining, so that
        every layer starts with the same share of the loss. Ignored by the
        data-centric loss.

    beta_loss : float or {{'frobenius', 'kullback-leibler', \
            'itakura-saito'}}, default='frobenius'
        The divergence minimised: 'frobenius' is beta=2, 'kullback-leibler'
        beta=1 (for counts) and 'itakura-saito' beta=0 (for power spectra);
        any real beta is accepted by the data-centric loss.

    init : {{'random', 'nndsvd', 'nndsvda', 'nndsvdar', 'custom'}}, \
            default=None
        How each layer's pretraining starts, as in :class:`MUNMF`. None
        means 'nndsvda' for every layer whose rank is at most the size of
        its data, 'random' otherwise. 'custom' uses the W and H passed to
        ``fit`` and skips the pretraining.

    pretrain_max_iter : int, default=100
        Most iterations of every layer's pretraining. 0 keeps the layers as
        initialised.

    max_iter : int, default=200
        Most iterations of the joint fine-tuning; each updates every factor
        once.

    {tol}
        The same rule stops every layer's pretraining.

    alpha_W : float, default=0.0
        Weight of the penalty on W, multiplied by the number of features.

    alpha_H : float or 'same', default='same'
        Weight of the penalty on every :math:`A_l`, multiplied by the number
        of samples. 'same' uses ``alpha_W``.

    l1_ratio : float, default=0.0
        Share of the L1 penalty in the mix of L1 and squared L2 penalties.

    accelerate : bool, default=True
        For the Frobenius loss, reuse each costly product with X for several
        cheap updates of the same factor, as :class:`MUNMF` does.

    {random_state}

    {verbose}

    Attributes
    ----------
    components_ : ndarray of shape (k_L, n_features)
        The deepest parts, :math:`A_L \cdots A_1`, one per row.

    layer_components_ : list of ndarray
        The factors ``[A_1, ..., A_L]``; ``A_1`` has shape ``(k_1,
        n_features)`` and ``A_l`` has shape ``(k_l, k_(l-1))``.

    n_components_ : int
        Number of deepest components, ``k_L``.

    reconstruction_err_ : float
        ``sqrt(2 * d_beta(X | W A_L ... A_1))`` at the end of fitting: the
        Frobenius norm of the residual for ``beta_loss='frobenius'``.

    n_iter_ : int
        Number of fine-tuning iterations run.

    loss_curve_ : ndarray of shape (n_checks,)
        The fine-tuning objective at its start (the pretrained model) and at
        every convergence check: after every 10 iterations and after the
        last one. With ``tol=0`` and ``verbose=0`` nothing can stop the fit
        early, so it is computed at the start and the end only, and the
        curve (like each pretraining curve) has two values.

    pretrain_n_iter_ : ndarray of shape (n_layers,)
        Number of pretraining iterations of every layer; empty when nothing
        was pretrained.

    pretrain_loss_curves_ : list of ndarray
        The pretraining objective of every layer, ``d_beta(W_(l-1) | W_l
        A_l)``, at its start and at every check; empty when nothing was
        pretrained.

    layer_weights_ : ndarray of shape (n_layers,)
        The weights :math:`\lambda_l` used by the layer-centric loss; set
        only with ``loss='layer-centric'``.

    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features seen during fit, when they are all strings.

    See Also
    --------
    MUNMF : The same model with one layer.
    sklearn.decomposition.NMF : scikit-learn's NMF, with coordinate descent.

    Notes
    -----
    With one layer (``n_components`` an int, a 1-tuple or None) and the
    data-centric loss there is nothing to pretrain, and the fit runs the
    iterations of :class:`MUNMF`: the same initialisation gives the same
    factors.

    With ``accelerate=True`` the number of inner steps of each Frobenius
    update is set by the cost of the product with X, which for sparse X
    counts its stored entries: sparse and dense copies of the same data then
    take different numbers of inner steps, and their fits differ slightly
    (they agree to rounding with ``accelerate=False``).

    Pretraining is an initialisation: each layer is fitted without penalties
    (they belong to the fine-tuning's objective), its budget is meant to be
    spent, and reaching ``pretrain_max_iter`` gives no warning. After each
    layer is pretrained, the rows of its :math:`A_l` are scaled to sum to
    one and its code :math:`W_l` takes the scale, so that the next layer
    factors codes in the units of the data.

    The layer-centric loss would decrease without end by shrinking the codes
    and growing the factors, which is why every row of every :math:`A_l`
    sums to one there (as in Leplat et al.); the parts of every layer then
    sum to one as well. It is implemented for beta=2 and beta=1, whose
    constrained steps have closed forms, and takes no penalties.

    The parts of layer l in feature space are the rows of
    :math:`A_l \cdots A_1`: starting from ``parts = layer_components_[0]``,
    ``parts = A @ parts`` for each next A. ``transform`` returns the deepest
    code W; :meth:`transform_layers` returns every layer's code.

    The products of the chain are formed in the order that keeps them cheap:
    the right products :math:`A_{{l-1}} \cdots A_1` from the right, once per
    sweep, and the left ones :math:`W A_L \cdots A_{{l+1}}` one small factor
    at a time. For the Frobenius loss, the one product with X of the update
    of :math:`A_l` has an inner size of :math:`\min(k_l, k_{{l-1}})`, so a
    fine-tuning iteration of a (64, 32, 16) model costs about as much as an
    iteration of :class:`MUNMF` with 64 components.

    ``fit_transform(X)`` and ``fit(X).transform(X)`` return the same codes:
    both solve for W with the fitted components fixed, from the same start.

    References
    ----------
    .. [1] P. De Handschutter, N. Gillis and X. Siebert, "A survey on deep
       matrix factorizations", Computer Science Review 42, 2021.
       :doi:`10.1016/j.cosrev.2021.100423`
    .. [2] V. Leplat, L. T. K. Hien, A. Onwunta and N. Gillis, "Deep
       nonnegative matrix factorization with beta divergences",
       arXiv:2309.08249, 2023.
    .. [3] G. Trigeorgis, K. Bousmalis, S. Zafeiriou and B. W. Schuller, "A
       deep matrix factorization method for learning attribute
       representations", IEEE TPAMI 39(3), 2017.
       :doi:`10.1109/TPAMI.2016.2554555`

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_nmfx import DeepNMF
    >>> rng = np.random.RandomState(0)
    >>> X = rng.rand(30, 12)
    >>> model = DeepNMF(n_components=(5, 3), random_state=0)
    >>> W = model.fit_transform(X)
    >>> W.shape, model.components_.shape
    ((30, 3), (3, 12))
    >>> [A.shape for A in model.layer_components_]
    [(5, 12), (3, 5)]
    >>> [code.shape for code in model.transform_layers(X)]
    [(30, 5), (30, 3)]
    >>> bool(model.loss_curve_[-1] <= model.loss_curve_[0])
    True
    """

    _parameter_constraints: dict = {
        **_BaseMU._parameter_constraints,
        "n_components": [
            Interval(Integral, 1, None, closed="left"),
            tuple,
            list,
            None,
        ],
        "loss": [StrOptions(LOSSES)],
        "layer_weights": ["array-like", None],
        "init": [StrOptions(INIT_OPTIONS), None],
        "pretrain_max_iter": [Interval(Integral, 0, None, closed="left")],
        "accelerate": ["boolean"],
    }

    def __init__(
        self,
        n_components=None,
        *,
        loss="data-centric",
        layer_weights=None,
        beta_loss="frobenius",
        init=None,
        pretrain_max_iter=100,
        max_iter=200,
        tol=1e-4,
        alpha_W=0.0,
        alpha_H="same",
        l1_ratio=0.0,
        accelerate=True,
        random_state=None,
        verbose=0,
    ):
        self.n_components = n_components
        self.loss = loss
        self.layer_weights = layer_weights
        self.beta_loss = beta_loss
        self.init = init
        self.pretrain_max_iter = pretrain_max_iter
        self.max_iter = max_iter
        self.tol = tol
        self.alpha_W = alpha_W
        self.alpha_H = alpha_H
        self.l1_ratio = l1_ratio
        self.accelerate = accelerate
        self.random_state = random_state
        self.verbose = verbose

    def _resolve(self, X, W, H, beta):
        """Ranks and initialisation from the parameters; checks their pairing."""
        ranks = _check_ranks(self.n_components, X.shape[1])
        init = self.init
        if (W is not None or H is not None) and init is None:
            init = "custom"
        if (W is not None or H is not None) and init != "custom":
            raise ValueError(
                f"W and H are used only with init='custom'; got init={init!r}."
            )
        if init in {"nndsvd", "nndsvda", "nndsvdar"}:
            sizes = (X.shape[1],) + ranks[:-1]
            if any(k > min(X.shape[0], size) for k, size in zip(ranks, sizes)):
                raise ValueError(
                    f"init={init!r} needs every rank to be at most n_samples="
                    f"{X.shape[0]} and at most the rank of the layer below "
                    f"(n_features={X.shape[1]} for the first); got "
                    f"n_components={self.n_components!r}. Use init='random'."
                )
        if self.loss == "layer-centric":
            if beta not in (1.0, 2.0):
                raise ValueError(
                    "loss='layer-centric' takes beta_loss 'frobenius' or "
                    f"'kullback-leibler'; got beta_loss={self.beta_loss!r}."
                )
            alpha_H = self.alpha_W if self.alpha_H == "same" else self.alpha_H
            if self.alpha_W or alpha_H:
                raise ValueError(
                    "loss='layer-centric' takes no penalty; got "
                    f"alpha_W={self.alpha_W!r} and alpha_H={self.alpha_H!r}."
                )
        return ranks, init

    def _custom_layers(self, Xs, ranks, exponent, W, H):
        """The user's initial W and [A_1, ..., A_L], checked, in scaled units."""
        layers = [H] if len(ranks) == 1 and np.ndim(H) == 2 else H
        if W is None or layers is None:
            raise ValueError("init='custom' needs both W and H to be given.")
        if len(layers) != len(ranks):
            raise ValueError(
                f"H must hold one initial factor per layer, {len(ranks)}; got "
                f"{len(layers)}."
            )
        half = np.ldexp(1.0, -exponent // 2)
        dtype = Xs.dtype
        sizes = (Xs.shape[1],) + ranks[:-1]
        W = check_custom_factor(
            np.asarray(W, dtype=float) * half, (Xs.shape[0], ranks[-1]), "W", dtype
        )
        checked = []
        for i, (A, k, size) in enumerate(zip(layers, ranks, sizes)):
            A = np.asarray(A, dtype=float) * (half if i == 0 else 1.0)
            checked.append(check_custom_factor(A, (k, size), f"H[{i}]", dtype))
        return W, checked

    def _pretrain(self, data, ranks, init, rng):
        """Fit X ~ W_1 A_1, then W_1 ~ W_2 A_2, and so on; return codes, layers."""
        codes, layers, n_iters, curves = [], [], [], []
        source = data
        for i, k in enumerate(ranks):
            layer_init = init or default_init(k, source.shape)
            W, A = initialize(source.X, k, layer_init, random_state=rng)
            np.maximum(W, factor_floor(W), out=W)
            np.maximum(A, factor_floor(A), out=A)
            model = _DataCentric(
                source, W, [A], beta=self._beta, penalties=[(0.0, 0.0)] * 2,
                accelerate=self.accelerate,
            )  # fmt: skip
            n_iter, curve, _ = descend(
                model.sweep, model.objective, max_iter=self.pretrain_max_iter,
                tol=self.tol, verbose=self.verbose, label=f"Pretraining layer {i + 1}",
            )  # fmt: skip
            _normalize_rows(A, W)
            codes.append(W)
            layers.append(A)
            n_iters.append(n_iter)
            curves.append(curve)
            source = DataMatrix(W)
        return codes, layers, n_iters, curves

    def _fit_zeros(self, X, ranks, beta):
        """All-zero data is fitted exactly by zero factors."""
        self._beta, self._scale_exp, self._x_floor, self._w_floor = beta, 0, 0.0, 0.0
        sizes = (X.shape[1],) + ranks[:-1]
        self.layer_components_ = [
            np.zeros((k, size), dtype=X.dtype) for k, size in zip(ranks, sizes)
        ]
        self.components_ = np.zeros((ranks[-1], X.shape[1]), dtype=X.dtype)
        self.n_components_ = ranks[-1]
        self.n_iter_ = 0
        self.loss_curve_ = np.zeros(1)
        self.pretrain_n_iter_ = np.zeros(0, dtype=int)
        self.pretrain_loss_curves_ = []
        if self.loss == "layer-centric":
            self.layer_weights_ = np.ones(len(ranks))
        self.reconstruction_err_ = 0.0
        return np.zeros((X.shape[0], ranks[-1]), dtype=X.dtype)

    def _fit(self, X, W=None, H=None):
        """Fit every factor to validated X; return the scaled problem's W."""
        check_counts_not_bool(self, "n_components", "max_iter", "pretrain_max_iter")
        beta = beta_from_loss(self.beta_loss)
        ranks, init = self._resolve(X, W, H, beta)
        exponent, data = self._prepare(X, beta)
        if data is None:
            return self._fit_zeros(X, ranks, beta)
        Xs, x_floor = data.X, data.x_floor
        self._beta = beta
        layer_centric = self.loss == "layer-centric"

        # Start: the user's factors, one initialised layer (the model of
        # MUNMF, nothing to pretrain), or the layer-wise pretraining.
        rng = check_random_state(self.random_state)
        n_iters, curves = [], []
        if init == "custom":
            W, layers = self._custom_layers(Xs, ranks, exponent, W, H)
        elif len(ranks) == 1 and not layer_centric:
            W, A = initialize(
                Xs, ranks[0], init or default_init(ranks[0], X.shape), random_state=rng
            )
            np.maximum(W, factor_floor(W), out=W)
            np.maximum(A, factor_floor(A), out=A)
            layers = [A]
        else:
            codes, layers, n_iters, curves = self._pretrain(data, ranks, init, rng)
            W = codes[-1]

        # Fine-tuning.
        if layer_centric:
            if init == "custom":
                for i, A in enumerate(layers):
                    _normalize_rows(A, layers[i + 1] if i + 1 < len(layers) else W)
                codes = _layer_codes(W, layers)
            model = _LayerCentric(data, codes, layers, beta=beta, weights=None)
            errors = model.layer_errors()
            if self.layer_weights is None:
                # Each layer's weight is one over its error, in any units: the
                # weighted loss has no unit and needs no scaling back.
                info = np.finfo(X.dtype)
                weights = 1.0 / np.maximum(errors, info.eps * errors.max() + info.tiny)
                layer_weights = np.array(
                    [_unscale(w, -exponent * beta) for w in weights]
                )
                unit = 0.0
            else:
                weights = layer_weights = self._check_layer_weights(len(ranks))
                unit = exponent * beta
            model.weights = weights
        else:
            # W and A_1 carry the data's scaling as in MUNMF; the deeper
            # factors carry none, so their penalties scale with the loss.
            pen = self._scaled_penalties(X.shape, exponent, beta)
            raw = self._penalties(*X.shape)
            with np.errstate(over="ignore"):
                down = np.exp2(-exponent * beta)
            # A zero penalty stays zero whatever the scale (0 * inf is nan).
            middle = tuple(
                raw[key] * down if raw[key] else 0.0 for key in ("l1_H", "l2_H")
            )
            penalties = [(pen["l1_W"], pen["l2_W"]), (pen["l1_H"], pen["l2_H"])]
            penalties += [middle] * (len(layers) - 1)
            model = _DataCentric(
                data, W, layers, beta=beta, penalties=penalties,
                accelerate=self.accelerate,
            )  # fmt: skip
            unit = exponent * beta
        w_floor = factor_floor(W)
        n_iter, curve, converged = descend(
            model.sweep, model.objective, max_iter=self.max_iter, tol=self.tol,
            verbose=self.verbose, label="Fine-tuning",
        )  # fmt: skip
        if not converged and self.tol > 0:
            warnings.warn(
                f"DeepNMF reached max_iter={self.max_iter} iterations before the "
                "objective converged; increase max_iter to fit further.",
                ConvergenceWarning,
                stacklevel=2,
            )

        # Back to the units of X: for the data-centric loss W and A_1 each
        # carry half of the scaling, as in MUNMF; for the layer-centric loss
        # the parts sum to one and the codes carry all of it.
        half = np.ldexp(1.0, exponent // 2)
        scale = X.dtype.type(1.0 if layer_centric else half)
        self._scale_exp = exponent
        self._x_floor = x_floor
        self._w_floor = w_floor
        self.layer_components_ = [layers[0] * scale] + [A.copy() for A in layers[1:]]
        self.components_ = _right_products(layers)[-1] * scale
        self.n_components_ = ranks[-1]
        self.n_iter_ = n_iter
        self.loss_curve_ = np.array([_unscale(v, unit) for v in curve])
        self.pretrain_n_iter_ = np.array(n_iters, dtype=int)
        self.pretrain_loss_curves_ = [
            np.array([_unscale(v, exponent * beta) for v in c]) for c in curves
        ]
        if layer_centric:
            self.layer_weights_ = layer_weights
        error = beta_divergence(data, W, _right_products(layers)[-1], beta)
        self.reconstruction_err_ = _unscale(np.sqrt(2 * error), exponent * beta / 2)
        return W

    def _check_layer_weights(self, n_layers):
        weights = np.asarray(self.layer_weights, dtype=float)
        if weights.shape != (n_layers,) or not np.all(
            np.isfinite(weights) & (weights > 0)
        ):
            raise ValueError(
                f"layer_weights must hold {n_layers} positive numbers, one per "
                f"layer; got layer_weights={self.layer_weights!r}."
            )
        return weights

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, W=None, H=None):
        """Learn the layers of X.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Non-negative data. Sparse input may be CSR or CSC.
        y : Ignored
            Not used, present for API consistency.
        W : array-like of shape (n_samples, k_L), default=None
            Initial deepest code, used with ``init='custom'`` (or
            ``init=None``).
        H : array-like or list of array-like, default=None
            Initial factors ``[A_1, ..., A_L]`` (a single array for one
            layer), used with ``init='custom'`` (or ``init=None``).

        Returns
        -------
        self : DeepNMF
            The fitted estimator.
        """
        X = self._validate_input(X, reset=True)
        self._fit(X, W, H)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None, W=None, H=None):
        """Learn the layers of X and return its deepest codes.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Non-negative data. Sparse input may be CSR or CSC.
        y : Ignored
            Not used, present for API consistency.
        W : array-like of shape (n_samples, k_L), default=None
            Initial deepest code, used with ``init='custom'`` (or
            ``init=None``).
        H : array-like or list of array-like, default=None
            Initial factors ``[A_1, ..., A_L]`` (a single array for one
            layer), used with ``init='custom'`` (or ``init=None``).

        Returns
        -------
        W : ndarray of shape (n_samples, k_L)
            The deepest codes; equal to ``fit(X).transform(X)``.
        """
        X = self._validate_input(X, reset=True)
        self._fit(X, W, H)
        return self._codes(X)

    def transform_layers(self, X):
        """Codes of X at every layer, from the first to the deepest.

        The code at layer l is ``W @ A_L @ ... @ A_(l+1)``, W being
        ``transform(X)``; multiplied by that layer's parts ``A_l @ ... @ A_1``
        it gives the same reconstruction as every other layer's.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Non-negative data.

        Returns
        -------
        codes : list of ndarray
            ``codes[l - 1]`` has shape ``(n_samples, k_l)``; the last is W.
        """
        return _layer_codes(self.transform(X), self.layer_components_)
