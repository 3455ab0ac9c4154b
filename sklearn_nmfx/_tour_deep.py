"""The deep NMF step of the command-line tour: the digits' hierarchy of parts."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import time
import warnings
from pathlib import Path

from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning

from sklearn_nmfx._deep import DeepNMF, _right_products
from sklearn_nmfx._munmf import MUNMF
from sklearn_nmfx._tour import new_figure, save_figure


def tour_step(out_dir):
    """Fit a three-layer DeepNMF to the digits; print errors, save its parts.

    A (40, 20, 10) model of the 1797 8x8 digits (50 pretraining iterations
    per layer, 100 fine-tuning iterations, ``random_state=0``) is printed
    beside a one-layer MUNMF of rank 10: the reconstruction error of each,
    and the deep model's global loss before and after fine-tuning. The parts
    of every layer, drawn as 8x8 images, are saved to
    ``out_dir/deep_nmf_digits_layers.png`` when matplotlib is installed.

    Parameters
    ----------
    out_dir : str or path-like
        Folder for the figure; created if missing.

    Returns
    -------
    None
    """
    X = load_digits().data
    print("Deep NMF: the digits (1797 x 64), layers of 40, 20 and 10 parts")
    deep = DeepNMF((40, 20, 10), pretrain_max_iter=50, max_iter=100, random_state=0)
    shallow = MUNMF(10, max_iter=150, random_state=0)
    with warnings.catch_warnings():
        # The budgets are short on purpose: the tour shows, it does not tune.
        warnings.simplefilter("ignore", ConvergenceWarning)
        for name, model in [("DeepNMF (40, 20, 10)", deep), ("MUNMF 10", shallow)]:
            tic = time.perf_counter()
            model.fit(X)
            elapsed = time.perf_counter() - tic
            print(
                f"  {name:<21} reconstruction error {model.reconstruction_err_:8.1f}"
                f"  {elapsed:6.2f}s"
            )
    before, after = deep.loss_curve_[0], deep.loss_curve_[-1]
    print(
        f"  fine-tuning took the global loss from {before:.4g} to {after:.4g} "
        f"({100 * (1 - after / before):.0f}% lower than after pretraining)"
    )

    layers = _right_products(deep.layer_components_)
    fig = new_figure("the parts", figsize=(10, 4.2))
    if fig is None:
        return
    axes = fig.subplots(4, 20)
    for ax in axes.ravel():
        ax.set_axis_off()
    # Layer 1 fills two rows of twenty; layers 2 and 3 one row each.
    places = [(i // 20, i % 20) for i in range(40)], [(2, i) for i in range(20)]
    places += ([(3, i) for i in range(10)],)
    for depth, (parts, where) in enumerate(zip(layers, places), start=1):
        for part, (row, col) in zip(parts, where):
            axes[row, col].imshow(part.reshape(8, 8), cmap="gray_r")
        axes[where[0][0], 0].set_title(f"layer {depth}", fontsize=8, loc="left")
    fig.suptitle("DeepNMF on the digits: the parts of every layer")
    path = Path(out_dir) / "deep_nmf_digits_layers.png"
    save_figure(fig, str(path), dpi=100)
    print(f"  parts of every layer saved to {path}")
