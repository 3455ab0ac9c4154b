"""Gallery helpers for the sklearn_nmfx docs: example order and output folder."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import os
from pathlib import Path

# The examples' own switches: with NMFX_NO_SAVE=1 they write no files (the
# gallery keeps their figures anyway), otherwise they save under
# NMFX_FIGURE_DIR. Examples run with examples/ as working directory
# (sphinx-gallery changes to it), so a relative ``fig.savefig("name.png")``
# would land in the source tree: the build sends such paths to
# NMFX_FIGURE_DIR too.
NO_SAVE_ENV = "NMFX_NO_SAVE"
OUTPUT_ENV = "NMFX_FIGURE_DIR"

# Reading order of the gallery: the model first, audio last. Examples not
# listed come after these, by file name.
EXAMPLE_ORDER = (
    "plot_parts_vs_directions.py",
    "plot_factorization.py",
    "plot_convergence.py",
    "plot_choosing_k.py",
    "plot_topics.py",
    "plot_kmeans_vs_nmf.py",
    "plot_text_clustering.py",
    "plot_deep_nmf.py",
    "plot_source_separation.py",
    "plot_separation_showcase.py",
)

# Files an example folder is meant to hold: scripts and the gallery's header.
# Anything else that appears during a build was written by an example.
SOURCE_SUFFIXES = {".py"}
HEADER_STEMS = {"GALLERY_HEADER", "README", "readme"}


class ExampleOrder:
    """Sort key for sphinx-gallery's ``within_subsection_order``."""

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __call__(self, filename):
        name = os.path.basename(filename)
        if name in EXAMPLE_ORDER:
            return (0, EXAMPLE_ORDER.index(name), name)
        return (1, 0, name)

    def __repr__(self):
        # sphinx-gallery caches the configuration by its repr.
        return f"<{type(self).__name__}>"


def _redirected(path):
    """``path`` moved under the output folder when it is a relative path."""
    folder = os.environ.get(OUTPUT_ENV)
    if not folder or not isinstance(path, (str, os.PathLike)):
        return path
    path = Path(path)
    if path.is_absolute():
        return path
    target = Path(folder) / path
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def redirect_savefig(gallery_conf, fname):
    """Make ``Figure.savefig`` write relative paths under the output folder.

    Used as a sphinx-gallery ``reset_modules`` entry, so that it also runs
    in the worker processes of a parallel build. An example that calls
    ``savefig`` for readers who run it as a script keeps doing so, but the
    files go to the build's folder instead of examples/.
    """
    import matplotlib.figure

    Figure = matplotlib.figure.Figure
    if getattr(Figure.savefig, "_nmfx_redirected", False):
        return
    savefig = Figure.savefig

    def redirected_savefig(self, fname, *args, **kwargs):
        return savefig(self, _redirected(fname), *args, **kwargs)

    redirected_savefig._nmfx_redirected = True
    redirected_savefig.__doc__ = savefig.__doc__
    Figure.savefig = redirected_savefig


def snapshot(folder):
    """Relative paths of the files under ``folder``, caches left out."""
    folder = Path(folder)
    return {
        str(path.relative_to(folder))
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def stray_files(folder, before):
    """Files under ``folder`` that are new since ``before`` and not sources."""
    return sorted(
        name
        for name in snapshot(folder) - before
        if Path(name).suffix not in SOURCE_SUFFIXES
        and Path(name).stem not in HEADER_STEMS
    )
