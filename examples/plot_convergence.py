"""
======================================================
Convergence of plain and accelerated multiplicative updates
======================================================

:class:`~sklearn_nmfx.MUNMF` reuses each costly product with the data for
several cheap updates of the same factor, which :class:`sklearn.decomposition.NMF`
does not. This example plots the objective against wall time for the plain
Lee-Seung rule, the accelerated one and scikit-learn's two solvers, from the
same start, on the handwritten digits.
"""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# Data and a common start
# -----------------------
# Every solver starts from the same NNDSVDA factors, so the curves differ only
# by the updates.
import time
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning

from sklearn_nmfx import MUNMF
from sklearn_nmfx._init import initialize

warnings.simplefilter("ignore", ConvergenceWarning)
X = load_digits().data
k = 16
W0, H0 = initialize(X, k, "nndsvda", random_state=0)


# %%
# Error against time
# ------------------
# scikit-learn's NMF records no history, so each point is a fit of its own
# with a growing ``max_iter``; its time is that fit's time.
def trace(make, iterations):
    times, errors = [], []
    for n_iter in iterations:
        model = make(n_iter)
        start = time.perf_counter()
        model.fit(X, W=W0.copy(), H=H0.copy())
        times.append(time.perf_counter() - start)
        errors.append(model.reconstruction_err_)
    return np.array(times), np.array(errors)


iterations = [1, 2, 5, 10, 20, 40, 80, 160, 320]
solvers = {
    "MUNMF, accelerated": lambda n: MUNMF(k, init="custom", max_iter=n, tol=0),
    "MUNMF, plain": lambda n: MUNMF(
        k, init="custom", max_iter=n, tol=0, accelerate=False
    ),
    "sklearn NMF, mu": lambda n: NMF(k, init="custom", solver="mu", max_iter=n, tol=0),
    "sklearn NMF, cd": lambda n: NMF(k, init="custom", max_iter=n, tol=0),
}
curves = {name: trace(make, iterations) for name, make in solvers.items()}

fig, ax = plt.subplots(figsize=(7, 4.5))
for name, (times, errors) in curves.items():
    ax.loglog(times, errors, marker="o", label=name)
ax.set_xlabel("wall time of the fit (s)")
ax.set_ylabel("reconstruction error ||X - WH||_F")
ax.set_title(f"Digits ({X.shape[0]} x {X.shape[1]}), k = {k}")
ax.legend()
fig.tight_layout()
fig.savefig("convergence.png", dpi=110)

for name, (times, errors) in curves.items():
    print(f"{name:<20} error after {iterations[-1]} iterations: {errors[-1]:.2f}")

# %%
# What to take away
# -----------------
# The plain rule and scikit-learn's mu solver trace the same path: they are
# the same updates. Reusing each product for several inner steps moves the
# accelerated curve to the left, reaching a given error in a fraction of the
# time; coordinate descent converges faster still per iteration on this small
# problem, and the accelerated updates narrow that gap.
plt.show()
