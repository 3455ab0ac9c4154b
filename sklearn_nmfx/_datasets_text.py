"""A small labelled text corpus that needs no download: stdlib docstrings."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import importlib
import inspect
from numbers import Integral

import numpy as np
from sklearn.utils import Bunch

DEFAULT_MODULES = (
    "collections",
    "datetime",
    "itertools",
    "json",
    "math",
    "random",
    "re",
    "threading",
)


def _public_objects(module):
    """Public functions and classes of ``module``, sorted by name.

    A module that declares ``__all__`` is taken at its word (``os`` exports
    functions implemented in ``posix``); otherwise the public names whose
    objects were defined in the module or in its C accelerator (``_name``).
    """
    declared = getattr(module, "__all__", None)
    names = declared if declared is not None else dir(module)
    root = module.__name__.split(".")[0]
    found = []
    for name in sorted(set(names)):
        obj = getattr(module, name, None)
        if name.startswith("_") or not (inspect.isroutine(obj) or inspect.isclass(obj)):
            continue
        owner = getattr(obj, "__module__", None) or ""
        if declared is None and owner.lstrip("_").split(".")[0] != root:
            continue
        found.append((name, obj))
    return found


def _documented(module):
    """``(qualified name, docstring)`` of the public objects and their methods."""
    docs = []
    for name, obj in _public_objects(module):
        members = [(name, obj)]
        if inspect.isclass(obj):
            for attr, member in sorted(vars(obj).items()):
                if isinstance(member, (classmethod, staticmethod)):
                    member = member.__func__
                if not attr.startswith("_") and (
                    inspect.isroutine(member) or isinstance(member, property)
                ):
                    members.append((f"{name}.{attr}", member))
        for qualname, member in members:
            # The object's own docstring: inspect.getdoc would inherit one
            # from a base class and label it with the wrong module.
            doc = member.__doc__
            if isinstance(doc, str):
                docs.append((f"{module.__name__}.{qualname}", inspect.cleandoc(doc)))
    return docs


def load_stdlib_docstrings(modules=None, *, min_length=60):
    """Docstrings of Python standard-library modules, labelled by module.

    A text corpus for clustering and topic models that is always at hand: one
    document per public function, class or method of each module, its label
    the module it belongs to.  Documents come in the order of ``modules``,
    then by name, so the corpus is the same from one call to the next for a
    given Python version (docstrings change between Python releases).

    Parameters
    ----------
    modules : sequence of str, default=None
        Names of the modules to read, e.g. ``["math", "re"]``; each one is a
        class of the corpus.  ``None`` reads collections, datetime,
        itertools, json, math, random, re and threading: eight modules with
        tens of documents each and vocabularies of their own.

    min_length : int, default=60
        Docstrings shorter than this many characters (one-liners such as
        "Return self." say little about their module) are left out.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the attributes:

        data : list of str of length n_documents
            The docstrings.
        target : ndarray of shape (n_documents,)
            Index of each document's module in ``target_names``.
        target_names : list of str of length n_modules
            The module names, in the order given.
        names : list of str of length n_documents
            Qualified name of each documented object, e.g. ``"re.sub"``.
        DESCR : str
            A description of the corpus.

    Raises
    ------
    ValueError
        If ``modules`` is empty or names a module twice, if a module cannot
        be imported, if it yields no docstring of ``min_length`` characters,
        or if ``min_length`` is negative.

    See Also
    --------
    sklearn.datasets.fetch_20newsgroups : A larger text corpus, downloaded.
    sklearn_nmfx.OneHotNMFKMeans : Cluster the documents' tf-idf vectors.

    Examples
    --------
    >>> from sklearn_nmfx.datasets import load_stdlib_docstrings
    >>> corpus = load_stdlib_docstrings(["math", "re"])
    >>> corpus.target_names
    ['math', 're']
    >>> len(corpus.data) == len(corpus.target) == len(corpus.names)
    True
    >>> corpus.names[0]
    'math.acos'
    """
    modules = list(DEFAULT_MODULES if modules is None else modules)
    if isinstance(min_length, bool) or not isinstance(min_length, Integral):
        raise TypeError(f"min_length must be an int; got {min_length!r}.")
    if min_length < 0:
        raise ValueError(f"min_length must be >= 0; got {min_length=}.")
    if not modules:
        raise ValueError("modules is empty; name at least one module.")
    if len(set(modules)) != len(modules):
        raise ValueError(f"modules names a module twice: {modules}.")

    data, target, names = [], [], []
    for label, module_name in enumerate(modules):
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise ValueError(
                f"module {module_name!r} of modules cannot be imported."
            ) from exc
        kept = [(q, doc) for q, doc in _documented(module) if len(doc) >= min_length]
        if not kept:
            raise ValueError(
                f"module {module_name!r} has no docstring of at least "
                f"{min_length=} characters."
            )
        for qualname, doc in kept:
            names.append(qualname)
            data.append(doc)
            target.append(label)

    descr = (
        "Docstrings of the public functions, classes and methods of the Python "
        f"standard-library modules {', '.join(modules)}, at least {min_length} "
        f"characters each: {len(data)} documents, labelled by module."
    )
    return Bunch(
        data=data,
        target=np.asarray(target, dtype=np.intp),
        target_names=modules,
        names=names,
        DESCR=descr,
    )
