"""Sphinx configuration of the sklearn_nmfx documentation.

Build with ``python -m sphinx -W -b html doc doc/_build/html`` from the
repository root (add ``-j auto`` to run the gallery's examples in parallel).
"""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import importlib.util
import os
import shutil
import sys
from pathlib import Path

from sphinx.util import logging

import sklearn_nmfx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "sphinxext"))

from nmfx_gallery import NO_SAVE_ENV, OUTPUT_ENV, snapshot, stray_files  # noqa: E402

# Examples draw with matplotlib's non-interactive backend, whatever the
# environment of the build says.
os.environ["MPLBACKEND"] = "Agg"

project = "sklearn_nmfx"
author = "The sklearn_nmfx developers"
copyright = "the sklearn_nmfx developers, BSD-3-Clause licence"
version = release = sklearn_nmfx.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.extlinks",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
root_doc = "index"
# Single backquotes render as code, as in the docstrings' shapes.
default_role = "literal"

# -- API reference ----------------------------------------------------------

autosummary_generate = True
autodoc_default_options = {"members": True}
autodoc_typehints = "none"
# numpydoc renders the sections; the class template lists the methods.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True

extlinks = {
    "doi": ("https://doi.org/%s", "doi:%s"),
    "arxiv": ("https://arxiv.org/abs/%s", "arXiv:%s"),
}


# -- Gallery ----------------------------------------------------------------

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "within_subsection_order": "nmfx_gallery.ExampleOrder",
    # Examples run in examples/; their relative savefig paths are sent to
    # the build's own folder (see the builder-inited hook below).
    "reset_modules": ("matplotlib", "nmfx_gallery.redirect_savefig"),
    # Examples run in parallel with ``-j``: they are independent scripts.
    "parallel": True,
    "backreferences_dir": "gen_modules/backreferences",
    "doc_module": ("sklearn_nmfx",),
    "remove_config_comments": True,
    "show_memory": False,
    "min_reported_time": 1,
}

# -- HTML -------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"sklearn_nmfx {release}"
html_static_path = ["_static"]
html_css_files = ["nmfx.css"]
html_js_files = ["nmfx.js"]
html_show_sourcelink = False
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_sidebars = {"index": [], "install": [], "performance": []}

# -- MathJax from the built site -------------------------------------------

# The package sphinx-mathjax-offline ships MathJax 3; its files are copied
# into the site so that math renders without a network (its own extension is
# not declared safe for parallel builds, so it is not loaded as one).
_mathjax_spec = importlib.util.find_spec("sphinx-mathjax-offline")
if _mathjax_spec is None:
    raise RuntimeError(
        "The docs need the package sphinx-mathjax-offline: install the docs "
        'extra, python -m pip install -e ".[docs]".'
    )
MATHJAX = Path(_mathjax_spec.origin).parent / "static" / "mathjax"
mathjax_path = "mathjax/tex-chtml.js"
# The combined TeX-to-HTML component, and the folders it loads from.
MATHJAX_FILES = ("tex-chtml.js", "input", "output/chtml", "ui", "a11y", "sre")


def _copy_mathjax(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "mathjax"
    for name in MATHJAX_FILES:
        source = MATHJAX / name
        if source.is_dir():
            shutil.copytree(source, target / name, dirs_exist_ok=True)
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


# -- Examples leave nothing in the source tree ------------------------------

logger = logging.getLogger(__name__)
EXAMPLES = (HERE / sphinx_gallery_conf["examples_dirs"]).resolve()
# Files in examples/ when the build started.
_examples_before = {}


def _send_example_output(app):
    """Point the examples' output folder into the build, and list examples/."""
    folder = Path(app.doctreedir) / "example_output"
    folder.mkdir(parents=True, exist_ok=True)
    # Inherited by the worker processes that run examples in parallel.
    os.environ[NO_SAVE_ENV] = "1"
    os.environ[OUTPUT_ENV] = str(folder)
    _examples_before["files"] = snapshot(EXAMPLES)


def _check_no_stray_files(app, exception):
    """Warn (an error with -W) about files the examples left in examples/."""
    before = _examples_before.get("files")
    if exception is not None or before is None:
        return
    for name in stray_files(EXAMPLES, before):
        logger.warning(
            "an example wrote %s into %s; during a docs build (%s=1) examples "
            "should write no file, or write under the folder named by %s",
            name,
            EXAMPLES,
            NO_SAVE_ENV,
            OUTPUT_ENV,
        )


def setup(app):
    # Before sphinx-gallery (priority 500) runs the examples.
    app.connect("builder-inited", _send_example_output, priority=100)
    app.connect("build-finished", _check_no_stray_files)
    app.connect("build-finished", _copy_mathjax)
