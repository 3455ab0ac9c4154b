"""Audio source separation: NMF parts grouped into sources, Wiener masks."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import warnings
from numbers import Integral, Real

import numpy as np
from scipy.fft import dct
from sklearn.base import OneToOneFeatureMixin
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import StandardScaler
from sklearn.utils import check_array, check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from sklearn_nmfx._base import (
    beta_from_loss,
    check_counts_not_bool,
    check_nonnegative_input,
    format_docstring,
)
from sklearn_nmfx._compat import Interval, StrOptions, _fit_context
from sklearn_nmfx._munmf import MUNMF, _BaseMU, _scaled, scale_exponent

GROUPING_OPTIONS = {"timbre", "spectra", "activations"}

# The spectral envelope of a part is read through N_BANDS triangular bands on
# a mel-like scale whose knee sits at 1/ENVELOPE_KNEE of the band (667 Hz at
# 16 kHz, close to the mel scale's 700 Hz), then summarised by N_CEPSTRA
# cepstral coefficients, the loudness coefficient left out.
N_BANDS = 40
ENVELOPE_KNEE = 12
N_CEPSTRA = 13
# The pitch of a part is the harmonic spacing, from 4 to 26 bins, where the
# cepstrum of its log-spectrum peaks: 62 Hz to 406 Hz, the range of voices,
# with the 15.6 Hz bins of a 1024-sample frame at 16 kHz.
SPACING_BINS = (4, 26)
# Log-spectra are taken of spectra scaled to a peak of one, plus this floor:
# 60 dB below the peak is as deep as the features look.
LOG_FLOOR = 1e-3
# Spectral flatness looks much deeper: it tells noise-like parts, flat down
# to their last bins, from harmonic ones, whose bins between the harmonics
# sink towards the solver's floor.
FLATNESS_FLOOR = 1e-12


def wiener_masks(models, *, power=2.0, floor=0.0):
    """Soft masks from the model spectrograms of the sources.

    Parameters
    ----------
    models : ndarray of shape (n_sources, n_frames, n_bins)
        Non-negative model magnitude of each source.
    power : float, default=2.0
        Exponent p of the masks ``V_s**p / sum_j V_j**p``: 1 for amplitude
        masks, 2 for power (Wiener) masks.
    floor : float, default=0.0
        Smallest value of a mask, in ``[0, 1 / n_sources]``. The masks are
        mapped to ``floor + (1 - n_sources * floor) * mask``, so that they
        still add up to one.

    Returns
    -------
    masks : ndarray of shape (n_sources, n_frames, n_bins)
        Masks in ``[floor, 1 - (n_sources - 1) * floor]`` that add up to one
        at every time-frequency point. Where every model is zero the masks
        share the point equally.
    """
    n_sources = models.shape[0]
    # Dividing by the largest model first keeps V**p from overflowing or
    # underflowing, whatever the scale of the data.
    top = models.max(axis=0)
    silent = ~(top > 0)
    top[silent] = 1
    masks = models / top
    masks[:, silent] = 1
    if power != 1:
        masks **= power
    masks /= masks.sum(axis=0)

    if floor > 0:
        masks *= 1 - n_sources * floor
        masks += floor
    return masks


def _log_spectra(H):
    """Log of each part's spectrum scaled to a peak of one."""
    peak = H.max(axis=1, keepdims=True)
    peak[peak == 0] = 1
    return np.log(H / peak + LOG_FLOOR)


def _envelope_features(H):
    """Mel-like cepstra of the parts: their spectral envelopes.

    Triangular bands, wider at high frequencies, smooth the harmonics away;
    the low cepstral coefficients of the band energies then describe the
    shape of the envelope (the resonances that make one voice or instrument
    sound unlike another) and not the pitch.
    """
    n_bins = H.shape[1]
    if n_bins < 2:
        return np.zeros((H.shape[0], 1))
    warped = np.log1p(ENVELOPE_KNEE * np.arange(n_bins) / max(n_bins - 1, 1))
    n_bands = min(N_BANDS, n_bins)
    edges = np.linspace(0, warped[-1], n_bands + 2)
    left, centre, right = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    bands = np.maximum(
        0,
        np.minimum(
            (warped - left) / (centre - left), (right - warped) / (right - centre)
        ),
    )
    energy = H @ bands.T
    energy /= np.maximum(energy.sum(axis=1, keepdims=True), np.finfo(H.dtype).tiny)
    cepstra = dct(np.log(energy + LOG_FLOOR / n_bands), norm="ortho", axis=1)
    return cepstra[:, 1 : N_CEPSTRA + 1]


def _pitch_feature(H):
    """Log of the harmonic spacing of each part, read from its cepstrum.

    A comb of harmonics spaced d bins apart makes the cepstrum of the
    log-spectrum peak at quefrency n_fft / d. The peak is searched for
    spacings of 4 to 26 bins only; parts without harmonics get the spacing
    of their strongest ripple, which matters little as their envelopes
    differ.
    """
    n_fft = 2 * (H.shape[1] - 1)
    low, high = n_fft // SPACING_BINS[1], n_fft // SPACING_BINS[0]
    if high <= low + 1:
        return np.zeros(H.shape[0])
    cepstra = np.fft.irfft(_log_spectra(H), n=n_fft, axis=1)
    return np.log(low + np.argmax(cepstra[:, low:high], axis=1))


def _flatness_feature(H):
    """Log spectral flatness of each part: geometric over arithmetic mean.

    Close to 0 for noise-like parts, very negative for sparse, harmonic ones.
    """
    peak = H.max(axis=1, keepdims=True)
    peak[peak == 0] = 1
    spectra = H / peak + FLATNESS_FLOOR
    return np.log(spectra).mean(axis=1) - np.log(spectra.mean(axis=1))


def _fill_empty_groups(labels, features, n_sources):
    """Give every source a part: an empty group takes the farthest outlier."""
    for source in range(n_sources):
        if np.any(labels == source):
            continue
        counts = np.bincount(labels, minlength=n_sources)
        crowded = counts[labels] > 1
        centres = np.array(
            [features[labels == s].mean(axis=0) if counts[s] else features[0]
             for s in range(n_sources)]
        )  # fmt: skip
        distance = np.linalg.norm(features - centres[labels], axis=1)
        distance[~crowded] = -np.inf
        labels[np.argmax(distance)] = source
    return labels


def group_parts(W, H, n_sources, *, method="timbre", random_state=None):
    """Source of each part, found by clustering the parts.

    Parameters
    ----------
    W : ndarray of shape (n_frames, n_components)
        Activations of the parts.
    H : ndarray of shape (n_components, n_bins)
        Spectra of the parts.
    n_sources : int
        Number of groups, at most ``n_components``.
    method : {'timbre', 'spectra', 'activations'}, default='timbre'
        What is clustered; see :class:`SpectrogramSeparator`.
    random_state : int, RandomState instance or None, default=None
        Seed of k-means.

    Returns
    -------
    labels : ndarray of shape (n_components,)
        Source of each part, in ``range(n_sources)``; every source has at
        least one part.
    """
    n_components = H.shape[0]
    if n_components == n_sources:
        return np.arange(n_sources)
    H = np.asarray(H, dtype=np.float64)

    if method == "activations":
        # Parts of one source tend to sound at the same times.
        log_w = np.log(W + LOG_FLOOR * W.max(axis=0))
        with np.errstate(divide="ignore", invalid="ignore"):
            corr = np.nan_to_num(np.corrcoef(log_w.T), nan=0.0)
        clustering = AgglomerativeClustering(
            n_clusters=n_sources, metric="precomputed", linkage="average"
        )
        return clustering.fit_predict(1 - corr)

    if method == "timbre":
        # The envelope block, the pitch and the flatness weigh the same in
        # the distances: each single column is scaled up to the block's size.
        envelope = StandardScaler().fit_transform(_envelope_features(H))
        scalars = np.column_stack([_pitch_feature(H), _flatness_feature(H)])
        scalars = np.sqrt(envelope.shape[1]) * StandardScaler().fit_transform(scalars)
        features = np.hstack([envelope, scalars])
    else:
        norms = np.linalg.norm(H, axis=1, keepdims=True)
        features = H / np.where(norms > 0, norms, 1)
    # A hundred restarts cost little for a few dozen parts, and make the best
    # partition found independent of the seed.
    with warnings.catch_warnings():
        # Identical parts give fewer distinct clusters; they are refilled.
        warnings.simplefilter("ignore", ConvergenceWarning)
        kmeans = KMeans(n_clusters=n_sources, n_init=100, random_state=random_state)
        labels = kmeans.fit_predict(features)
    return _fill_empty_groups(labels, features, n_sources)


def _learn(fit, X, what, max_iter):
    """``fit(X)``, its ConvergenceWarning reworded for the separator's user."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fit(X)
    # The user's call is six frames up: _learn, _fit_blind or _fit_supervised,
    # _fit_codes, the public method, and scikit-learn's _fit_context wrapper.
    for caught_warning in caught:
        if issubclass(caught_warning.category, ConvergenceWarning):
            warnings.warn(
                f"SpectrogramSeparator reached max_iter={max_iter} iterations "
                f"while learning {what}, before the objective converged; "
                "increase max_iter to fit further.",
                ConvergenceWarning,
                stacklevel=6,
            )
        else:
            warnings.warn_explicit(
                caught_warning.message,
                caught_warning.category,
                caught_warning.filename,
                caught_warning.lineno,
            )
    return result


@format_docstring
class SpectrogramSeparator(_BaseMU):
    r"""Separate audio sources in magnitude spectrograms with NMF parts.

    The magnitude spectrogram of a mixture, X, is factorised as in
    :class:`MUNMF`, :math:`X \approx W H`, into spectral parts (the rows of
    H, ``components_``) and their activations over time (W). Every part
    belongs to one source s, so that source s is modelled by the parts of its
    group :math:`G_s` alone, :math:`\hat V_s = W_{{:, G_s}} H_{{G_s, :}}`. Each
    source is then cut out of the mixture by a soft (Wiener) mask,

    .. math::

        M_s = \mu + (1 - S \mu) \,
        \frac{{\hat V_s^{{\,p}}}}{{\sum_{{j=1}}^{{S}} \hat V_j^{{\,p}}}},
        \qquad \hat X_s = M_s \odot X,

    with the exponent p (``mask_power``), the floor :math:`\mu`
    (``mask_floor``), S sources and all operations elementwise. The masks
    add up to one, so the separated sources add up to the mixture.

    **Orientation.** X has one row per time frame and one column per
    frequency bin, as scikit-learn's ``(n_samples, n_features)``: this is
    what :func:`sklearn_nmfx.audio.stft` returns (take its absolute value).
    A librosa-style spectrogram ``S`` of shape ``(n_bins, n_frames)`` is
    ``X = S.T``.

    **Blind** (``fit(X)``): ``n_components`` parts are learnt from the
    mixture, then grouped into ``n_sources`` sources by clustering (see
    ``grouping``). With ``n_components == n_sources`` every part is its own
    source, the textbook pipeline.

    **Supervised** (``fit(X, y)``): ``y`` says which source every training
    frame comes from (frames of isolated recordings of each source);
    ``n_components`` parts are learnt for each source from its frames alone.
    Separating a mixture then keeps all parts fixed and solves only for their
    activations.

    Parameters
    ----------
    n_sources : int or None, default=None
        Number of sources S. None means the number of distinct labels in
        ``y`` for supervised fits, and 2 for blind ones. A supervised fit
        raises an error if it is given and differs from that number.

    n_components : int or None, default=None
        Number of parts. Blind: parts in all, at least ``n_sources``; None
        means ``n_sources`` (one part per source). Supervised: parts of
        each source; None means 1.

    beta_loss : float or {{'frobenius', 'kullback-leibler', \
            'itakura-saito'}}, default='kullback-leibler'
        The divergence minimised when learning parts and activations; see
        :class:`MUNMF`. Kullback-Leibler (beta=1) suits magnitude spectra,
        Itakura-Saito (beta=0) power spectra.

    init : {{'random', 'nndsvd', 'nndsvda', 'nndsvdar'}}, default=None
        Initialisation of the factorisations; see :class:`MUNMF`. None
        means 'nndsvda' when possible and 'random' otherwise.

    grouping : {{'timbre', 'spectra', 'activations'}}, default='timbre'
        How blind fits group the parts into sources:

        - 'timbre': k-means on three descriptors of how each part sounds:
          its spectral envelope (13 cepstral coefficients of its energy in
          40 bands of a mel-like scale), its pitch register (the log of its
          harmonic spacing, read from the cepstrum) and its noisiness (the
          log spectral flatness). Each is standardised, and the pitch and
          the flatness each weigh as much as the whole envelope;
        - 'spectra': k-means on the parts' spectra scaled to unit norm;
        - 'activations': average-linkage clustering of the parts with
          distance one minus the correlation of their log-activations, for
          parts that sound at the same times.

        Supervised fits ignore it.

    mask_power : float, default=2.0
        Exponent p of the masks: 1 gives amplitude masks, 2 power masks (the
        Wiener filter); larger values give harder masks.

    mask_floor : float, default=0.0
        Smallest value :math:`\mu` of a mask, at most ``1 / n_sources``. A
        small floor, say 0.01, lets a little of every source through
        everywhere, which can sound more natural than exact zeros.

    max_iter : int, default=200
        Most iterations when learning parts, and when solving for the
        activations of a mixture.

    {tol}

    alpha_W : float, default=0.0
        Weight of the penalty on the activations; see :class:`MUNMF`.

    alpha_H : float or 'same', default='same'
        Weight of the penalty on the parts; see :class:`MUNMF`.

    l1_ratio : float, default=0.0
        Share of the L1 penalty in the mix of L1 and squared L2 penalties.

    {random_state}

    {verbose}

    Attributes
    ----------
    components_ : ndarray of shape (`n_components_`, n_bins)
        The parts, one spectrum per row, those of source 0 first, then those
        of source 1, and so on.

    component_sources_ : ndarray of shape (`n_components_`,)
        Source of each part: ``components_[component_sources_ == s]`` are
        the parts of source s.

    classes_ : ndarray of shape (`n_sources_`,)
        Label of each source: the distinct values of ``y`` for supervised
        fits, ``0, ..., n_sources_ - 1`` for blind ones.

    n_sources_ : int
        Number of sources.

    n_components_ : int
        Number of parts in all.

    reconstruction_err_ : float
        ``sqrt(2 * d_beta)`` of the training frames and their model: of the
        mixture for blind fits, of every source's frames by its own parts for
        supervised ones.

    n_iter_ : int
        Iterations run while learning the parts; for supervised fits, the
        most that any source took.

    n_features_in_ : int
        Number of frequency bins seen during fit.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features seen during fit, when they are all strings.

    See Also
    --------
    MUNMF : The factorisation that learns the parts.
    sklearn_nmfx.audio.stft : Complex frames of a signal, in this orientation.
    sklearn_nmfx.metrics.separation_scores : Score separated signals.

    Notes
    -----
    Blind sources come out ordered by their energy in the mixture, loudest
    first; which source is which depends on the data alone.

    ``fit_transform`` and ``fit_separate`` on a blind fit reuse the
    activations found while learning the parts. ``transform``, ``separate``
    and ``activations`` solve for them with the parts fixed, each frame on
    its own, so they agree with the former to the tolerance ``tol``.

    ``separate`` accepts complex STFT frames: masks computed from the
    magnitudes are applied to the complex values, so the inverse STFTs of
    the sources add up to the mixture's signal.

    Clustering parts separates sources only as far as the parts themselves
    belong to one source each. Instruments that differ in timbre group
    well; two voices depend mostly on their pitch registers, and blind
    separation of similar voices stays close to the mixture. Supervised
    separation trained on recordings of the sources themselves does much
    better; trained on other recordings of the same sources it helps as far
    as those recordings resemble the mixture's sources. Simple sounds (pure
    tones, a few harmonics) can defeat the default ``grouping='timbre'``,
    whose descriptors need rich spectra; ``grouping='spectra'`` suits them.

    References
    ----------
    .. [1] P. Smaragdis, C. Févotte, G. J. Mysore, N. Mohammadiha and M.
       Hoffman, "Static and dynamic source separation using nonnegative
       factorizations: a unified view", IEEE Signal Processing Magazine
       31(3), 2014. :doi:`10.1109/MSP.2013.2297715`
    .. [2] C. Févotte, N. Bertin and J.-L. Durrieu, "Nonnegative matrix
       factorization with the Itakura-Saito divergence: with application to
       music analysis", Neural Computation 21(3), 2009.
       :doi:`10.1162/neco.2008.04-08-771`
    .. [3] M. Spiertz and V. Gnann, "Source-filter based clustering for
       monaural blind source separation", Proceedings of the 12th
       International Conference on Digital Audio Effects (DAFx), 2009.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_nmfx import SpectrogramSeparator
    >>> low = np.array([4.0, 2.0, 0.1, 0.1])
    >>> high = np.array([0.1, 0.1, 3.0, 1.0])
    >>> t = np.linspace(0, 1, 30)[:, None]
    >>> X = t * low + (1 - t) * high
    >>> separator = SpectrogramSeparator(2, max_iter=500, random_state=0).fit(X)
    >>> sources = separator.separate(X)
    >>> sources.shape
    (2, 30, 4)
    >>> bool(np.allclose(sources.sum(axis=0), X))
    True
    >>> separator.transform(X).shape
    (30, 8)
    """

    _parameter_constraints: dict = {
        **_BaseMU._parameter_constraints,
        "n_sources": [Interval(Integral, 1, None, closed="left"), None],
        "n_components": [Interval(Integral, 1, None, closed="left"), None],
        "init": [StrOptions({"random", "nndsvd", "nndsvda", "nndsvdar"}), None],
        "grouping": [StrOptions(GROUPING_OPTIONS)],
        "mask_power": [Interval(Real, 0, None, closed="neither")],
        "mask_floor": [Interval(Real, 0, 1, closed="both")],
    }

    def __init__(
        self,
        n_sources=None,
        *,
        n_components=None,
        beta_loss="kullback-leibler",
        init=None,
        grouping="timbre",
        mask_power=2.0,
        mask_floor=0.0,
        max_iter=200,
        tol=1e-4,
        alpha_W=0.0,
        alpha_H="same",
        l1_ratio=0.0,
        random_state=None,
        verbose=0,
    ):
        self.n_sources = n_sources
        self.n_components = n_components
        self.beta_loss = beta_loss
        self.init = init
        self.grouping = grouping
        self.mask_power = mask_power
        self.mask_floor = mask_floor
        self.max_iter = max_iter
        self.tol = tol
        self.alpha_W = alpha_W
        self.alpha_H = alpha_H
        self.l1_ratio = l1_ratio
        self.random_state = random_state
        self.verbose = verbose

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        return tags

    @property
    def _n_features_out(self):
        return self.n_sources_ * self.components_.shape[1]

    def _validate_input(self, X, reset):
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=reset)
        check_nonnegative_input(X, f"{type(self).__name__} (input X)")
        return X

    def _check_mask_floor(self, n_sources):
        if self.mask_floor * n_sources > 1:
            raise ValueError(
                f"mask_floor={self.mask_floor} is above 1 / n_sources = 1 / "
                f"{n_sources}: masks that small everywhere cannot add up to one."
            )

    def _munmf(self, n_components, random_state):
        """The MUNMF that learns parts, with this estimator's settings."""
        return MUNMF(
            n_components,
            beta_loss=self.beta_loss,
            init=self.init,
            max_iter=self.max_iter,
            tol=self.tol,
            alpha_W=self.alpha_W,
            alpha_H=self.alpha_H,
            l1_ratio=self.l1_ratio,
            random_state=random_state,
            verbose=self.verbose,
        )

    def _fit_blind(self, X, rng):
        """Learn parts from the mixture and group them; return their codes."""
        n_sources = 2 if self.n_sources is None else self.n_sources
        self._check_mask_floor(n_sources)
        k = n_sources if self.n_components is None else self.n_components
        if k < n_sources:
            raise ValueError(
                f"n_components={k} is smaller than n_sources={n_sources}; a "
                "blind fit needs at least one part per source."
            )

        # MUNMF's own fit returns the codes of the scaled problem, which are
        # reused instead of being solved for a second time.
        model = self._munmf(k, rng)
        W = _learn(model._fit, X, "the parts", self.max_iter)
        W *= W.dtype.type(np.ldexp(1.0, model._scale_exp // 2))
        H = model.components_
        labels = group_parts(W, H, n_sources, method=self.grouping, random_state=rng)

        # Loudest source first; the parts of each source side by side.
        energy = np.bincount(labels, W.sum(axis=0) * H.sum(axis=1), n_sources)
        rank = np.empty(n_sources, dtype=int)
        rank[np.argsort(-energy, kind="stable")] = np.arange(n_sources)
        labels = rank[labels]
        order = np.argsort(labels, kind="stable")

        self._beta = model._beta
        self._scale_exp = model._scale_exp
        self._x_floor = model._x_floor
        self._w_floor = model._w_floor
        self.components_ = H[order]
        self.component_sources_ = labels[order]
        self.classes_ = np.arange(n_sources)
        self.n_iter_ = model.n_iter_
        self.reconstruction_err_ = model.reconstruction_err_
        return W[:, order]

    def _fit_supervised(self, X, y, rng):
        """Learn the parts of every source from its own frames alone."""
        y = column_or_1d(y, warn=True)
        check_consistent_length(X, y)
        check_classification_targets(y)
        classes, y = np.unique(y, return_inverse=True)
        n_sources = len(classes)
        if self.n_sources is not None and self.n_sources != n_sources:
            raise ValueError(
                f"y holds {n_sources} distinct sources but n_sources={self.n_sources}."
            )
        self._check_mask_floor(n_sources)
        k = 1 if self.n_components is None else self.n_components

        exponent = scale_exponent(X)
        parts, floors, errors, n_iters = [], [], [], []
        for s, label in enumerate(classes.tolist()):
            frames = X[y == s]
            if not frames.any():
                raise ValueError(
                    f"The frames of source {label!r} are all zero: there is "
                    "nothing to learn its parts from."
                )
            if self.verbose:
                print(f"Source {label!r}: {k} parts from {frames.shape[0]} frames")
            model = _learn(
                self._munmf(k, rng).fit, frames, f"source {label!r}", self.max_iter
            )
            parts.append(model.components_)
            # The model's floor of codes, in the units of all frames scaled.
            shift = model._scale_exp // 2 - exponent // 2
            floors.append(np.ldexp(model._w_floor, shift))
            errors.append(model.reconstruction_err_)
            n_iters.append(model.n_iter_)

        beta = beta_from_loss(self.beta_loss)
        x_floor = 0.0
        if beta <= 0:
            top = float(_scaled(X, exponent).max())
            x_floor = float(np.finfo(X.dtype).eps * top) or 1.0
        self._beta = beta
        self._scale_exp = exponent
        self._x_floor = x_floor
        self._w_floor = max(min(floors), np.finfo(X.dtype).tiny)
        self.components_ = np.vstack(parts)
        self.component_sources_ = np.repeat(np.arange(n_sources), k)
        self.classes_ = classes
        self.n_iter_ = max(n_iters)
        self.reconstruction_err_ = float(np.sqrt(np.sum(np.square(errors))))

    def _fit_codes(self, X, y):
        """Fit to validated X; return the codes of X."""
        check_counts_not_bool(self, "n_sources", "n_components", "max_iter")
        rng = check_random_state(self.random_state)
        if y is None:
            W = self._fit_blind(X, rng)
        else:
            self._fit_supervised(X, y, rng)
        self.n_sources_ = len(self.classes_)
        self.n_components_ = self.components_.shape[0]
        return W if y is None else self._codes(X)

    def _masks(self, W):
        """Masks of every source, from the codes W of the mixture."""
        H = self.components_.astype(W.dtype, copy=False)
        models = np.stack(
            [
                W[:, self.component_sources_ == s] @ H[self.component_sources_ == s]
                for s in range(self.n_sources_)
            ]
        )
        return wiener_masks(models, power=self.mask_power, floor=self.mask_floor)

    def _side_by_side(self, sources):
        """Sources as one 2-D array, (n_frames, n_sources * n_bins)."""
        return np.concatenate(list(sources), axis=1)

    def _check_frames(self, X):
        """Magnitudes of real or complex frames, validated, and X as an array."""
        if np.iscomplexobj(X):
            X = np.asarray(X)
            return self._validate_input(np.abs(X), reset=False), X
        X = self._validate_input(X, reset=False)
        return X, X

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the parts of the sources.

        Parameters
        ----------
        X : array-like of shape (n_frames, n_bins)
            Non-negative magnitude spectrogram, one row per time frame: of
            the mixture for a blind fit, of recordings of the sources alone
            for a supervised one.
        y : array-like of shape (n_frames,), default=None
            Source of each frame, for a supervised fit. None fits blindly.

        Returns
        -------
        self : SpectrogramSeparator
            The fitted estimator.

        Raises
        ------
        ValueError
            If X has negative entries, if ``y`` holds another number of
            sources than ``n_sources``, if a blind fit has fewer parts than
            sources, or if ``mask_floor`` exceeds ``1 / n_sources``.
        """
        X = self._validate_input(X, reset=True)
        self._fit_codes(X, y)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Learn the parts, then separate X into sources side by side.

        Parameters
        ----------
        X : array-like of shape (n_frames, n_bins)
            Non-negative magnitude spectrogram, one row per time frame.
        y : array-like of shape (n_frames,), default=None
            Source of each frame, for a supervised fit. None fits blindly.

        Returns
        -------
        X_sources : ndarray of shape (n_frames, `n_sources_` * n_bins)
            The separated sources; see ``transform``.
        """
        X = self._validate_input(X, reset=True)
        W = self._fit_codes(X, y)
        return self._side_by_side(self._masks(W) * X)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_separate(self, X, y=None):
        """Learn the parts, then separate X into one array per source.

        Parameters
        ----------
        X : array-like of shape (n_frames, n_bins), real or complex
            Magnitude frames, or complex STFT frames (the parts are learnt
            from their magnitudes).
        y : array-like of shape (n_frames,), default=None
            Source of each frame, for a supervised fit. None fits blindly.

        Returns
        -------
        sources : ndarray of shape (`n_sources_`, n_frames, n_bins)
            The separated sources; see ``separate``.
        """
        if np.iscomplexobj(X):
            X = np.asarray(X)
            magnitude = self._validate_input(np.abs(X), reset=True)
        else:
            X = magnitude = self._validate_input(X, reset=True)
        W = self._fit_codes(magnitude, y)
        return self._masks(W) * X

    def transform(self, X):
        """Separate a mixture into sources, side by side.

        Parameters
        ----------
        X : array-like of shape (n_frames, n_bins)
            Non-negative magnitude spectrogram of a mixture.

        Returns
        -------
        X_sources : ndarray of shape (n_frames, `n_sources_` * n_bins)
            Columns ``s * n_bins`` to ``(s + 1) * n_bins - 1`` hold source s,
            ``masks[s] * X``. They add up to X.
        """
        check_is_fitted(self)
        X = self._validate_input(X, reset=False)
        return self._side_by_side(self._masks(self._codes(X)) * X)

    def inverse_transform(self, X):
        """Mixture of separated sources: the sum of the blocks of columns.

        Parameters
        ----------
        X : array-like of shape (n_frames, `n_sources_` * n_bins)
            Separated sources, as ``transform`` returns them.

        Returns
        -------
        X_original : ndarray of shape (n_frames, n_bins)
            The sum of the sources; ``inverse_transform(transform(X))`` is X.
        """
        check_is_fitted(self)
        X = check_array(X, dtype=[np.float64, np.float32])
        n_bins = self.components_.shape[1]
        if X.shape[1] != self.n_sources_ * n_bins:
            raise ValueError(
                f"X must have n_sources_ * n_bins = {self.n_sources_ * n_bins} "
                f"columns; got an array of shape {X.shape}."
            )
        return X.reshape(X.shape[0], self.n_sources_, n_bins).sum(axis=1)

    def separate(self, X):
        """Separate a mixture into one array per source.

        Parameters
        ----------
        X : array-like of shape (n_frames, n_bins), real or complex
            Magnitude frames, or complex STFT frames such as
            :func:`sklearn_nmfx.audio.stft` returns. The masks are computed
            from the magnitudes and applied to X as it is.

        Returns
        -------
        sources : ndarray of shape (`n_sources_`, n_frames, n_bins)
            ``masks * X``, real or complex like X; they add up to X. For
            complex frames, ``istft(sources[s])`` is the signal of source s.
        """
        check_is_fitted(self)
        magnitude, X = self._check_frames(X)
        return self._masks(self._codes(magnitude)) * X

    def activations(self, X):
        """Activations of the parts in the frames of X, the parts held fixed.

        Parameters
        ----------
        X : array-like of shape (n_frames, n_bins), real or complex
            Magnitude frames, or complex STFT frames (their magnitudes are
            used).

        Returns
        -------
        W : ndarray of shape (n_frames, `n_components_`)
            How much of each part (row of ``components_``) every frame holds;
            each frame is solved for on its own.
        """
        check_is_fitted(self)
        magnitude, _ = self._check_frames(X)
        return self._codes(magnitude)

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns of ``transform``.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Names of the input bins; they must match ``feature_names_in_``
            when that exists. None uses ``feature_names_in_`` or
            ``bin0, bin1, ...``.

        Returns
        -------
        feature_names_out : ndarray of str objects
            ``source<s>_<bin name>`` for every source s, then every bin.
        """
        check_is_fitted(self)
        if input_features is None and not hasattr(self, "feature_names_in_"):
            names = [f"bin{i}" for i in range(self.n_features_in_)]
        else:
            names = OneToOneFeatureMixin.get_feature_names_out(self, input_features)
        return np.asarray(
            [f"source{s}_{name}" for s in range(self.n_sources_) for name in names],
            dtype=object,
        )
