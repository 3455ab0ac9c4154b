"""Tests that the documentation builds with warnings as errors, gallery included.

The site is built once per session, by ``sphinx-build -W -j auto -b html``, from
a copy of doc/ and examples/ in a temporary folder: every example then runs
afresh (sphinx-gallery skips examples it ran before), and neither the build
nor the examples can write into the repository.
"""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sklearn_nmfx
from sklearn_nmfx import audio, datasets, metrics

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "doc"
EXAMPLES = ROOT / "examples"
# What the docs extra installs (import names).
DOCS_MODULES = (
    "sphinx",
    "numpydoc",
    "sphinx_gallery",
    "pydata_sphinx_theme",
    "sphinx-mathjax-offline",
    "matplotlib",
)
# What a build writes into doc/: not copied, so that the build starts clean.
GENERATED = ("_build", "auto_examples", "generated", "gen_modules")
BUILD_TIMEOUT = 600

EXAMPLE_NAMES = sorted(path.stem for path in EXAMPLES.glob("plot_*.py"))
PUBLIC_NAMES = [f"sklearn_nmfx.{name}" for name in sklearn_nmfx.__all__] + [
    f"{module.__name__}.{name}"
    for module in (audio, metrics, datasets)
    for name in module.__all__
]

pytestmark = pytest.mark.slow


def _files(folder):
    """Relative paths of the files under ``folder``."""
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="session")
def built_docs(tmp_path_factory):
    """Build the site once; return the copied sources and the HTML folder."""
    missing = [name for name in DOCS_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        message = (
            f'the docs need {", ".join(missing)}: python -m pip install -e ".[docs]"'
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)

    work = tmp_path_factory.mktemp("docs")
    shutil.copytree(
        DOC,
        work / "doc",
        ignore=shutil.ignore_patterns(*GENERATED, "sg_execution_times.rst"),
    )
    shutil.copytree(
        EXAMPLES, work / "examples", ignore=shutil.ignore_patterns("__pycache__")
    )
    examples_before = _files(work / "examples")

    html = work / "html"
    command = [sys.executable, "-m", "sphinx", "-W", "-j", "auto", "-b", "html"]
    result = subprocess.run(
        [*command, str(work / "doc"), str(html)],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        cwd=work,
    )
    output = (result.stdout + result.stderr)[-6000:]
    assert result.returncode == 0, f"sphinx-build -W failed:\n{output}"
    return {
        "doc": work / "doc",
        "html": html,
        "examples": work / "examples",
        "examples_before": examples_before,
    }


def test_docs_build_leaves_examples_folder_unchanged(built_docs):
    """Running the gallery writes no file next to the examples."""
    added = _files(built_docs["examples"]) - built_docs["examples_before"]
    assert sorted(added) == []


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_docs_gallery_example_ran_and_drew(built_docs, name):
    """Every examples/plot_*.py has a gallery page, ran, and drew a figure."""
    gallery = built_docs["doc"] / "auto_examples"
    page = built_docs["html"] / "auto_examples" / f"{name}.html"
    assert page.is_file()
    assert f'href="{name}.html"' in (
        built_docs["html"] / "auto_examples" / "index.html"
    ).read_text(encoding="utf-8")
    # A figure is scraped only when the example ran to the end of a block.
    assert (gallery / "images" / f"sphx_glr_{name}_001.png").is_file()
    assert f"sphx_glr_{name}_001.png" in page.read_text(encoding="utf-8")


def test_docs_gallery_lists_only_examples(built_docs):
    """The gallery pages are the examples, none missing and none stale."""
    pages = {p.stem for p in (built_docs["html"] / "auto_examples").glob("plot_*.html")}
    assert pages == set(EXAMPLE_NAMES)


@pytest.mark.parametrize("name", PUBLIC_NAMES)
def test_docs_api_page_for_public_name(built_docs, name):
    """Every public class and function has its own API page."""
    page = built_docs["html"] / "generated" / f"{name}.html"
    assert page.is_file()
    assert f'id="{name}"' in page.read_text(encoding="utf-8")


def test_docs_user_guide_math_is_rendered_offline(built_docs):
    """The site ships MathJax and its pages load it from the site itself."""
    html = built_docs["html"]
    assert (html / "_static" / "mathjax" / "tex-chtml.js").is_file()
    page = (html / "user_guide" / "separation.html").read_text(encoding="utf-8")
    assert "_static/mathjax/tex-chtml.js" in page
    assert "cdn.jsdelivr.net" not in page
