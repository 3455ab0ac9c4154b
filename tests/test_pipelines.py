"""Tests of the estimators inside scikit-learn pipelines, on real text."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import pickle

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.dummy import DummyClassifier
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from sklearn_nmfx import MUNMF, DeepNMF
from sklearn_nmfx.datasets import load_stdlib_docstrings, make_planted_nmf

# The fits are kept short so that the grids stay fast; they need not converge.
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

# Best cross-validated accuracy minus the majority class's, at least. Measured
# on the eight default modules (seeds 0, 1, 2, 42): 0.53 to 0.57 for the MUNMF
# grid and 0.62 to 0.67 for the DeepNMF grid, against 0.23.
MARGIN_OVER_DUMMY = 0.15


@pytest.fixture(scope="module")
def corpus():
    return load_stdlib_docstrings()


def _text_pipeline(name, decomposer):
    return Pipeline(
        [
            ("counts", CountVectorizer(stop_words="english", min_df=2)),
            (name, decomposer),
            ("classify", LogisticRegression(max_iter=2000)),
        ]
    )


def _dummy_accuracy(corpus, cv):
    return cross_val_score(DummyClassifier(), corpus.data, corpus.target, cv=cv).mean()


def _planted_frame(seed, n_samples=60):
    """A DataFrame of four non-negative columns of rank 2, one other, a label."""
    X, W, _ = make_planted_nmf(n_samples, 4, 2, random_state=seed)
    rng = np.random.RandomState(seed)
    index = 100 + np.arange(n_samples)
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"], index=index)
    frame["other"] = rng.standard_normal(n_samples)
    return frame, (W[:, 0] > W[:, 1]).astype(int)


def _column_pipeline():
    columns = ColumnTransformer(
        [
            ("munmf", MUNMF(2, max_iter=50, random_state=0), ["a", "b", "c", "d"]),
            ("keep", "passthrough", ["other"]),
        ]
    )
    return Pipeline(
        [
            ("columns", columns),
            ("scale", StandardScaler()),
            ("classify", LogisticRegression()),
        ]
    )


def test_munmf_kl_text_pipeline_grid_search_beats_dummy(corpus, global_random_seed):
    """Counts, MUNMF(KL), logistic regression: a k and alpha grid beats chance."""
    cv = StratifiedKFold(3, shuffle=True, random_state=global_random_seed)
    pipeline = _text_pipeline(
        "munmf", MUNMF(beta_loss="kullback-leibler", max_iter=60, random_state=0)
    )
    grid = GridSearchCV(
        pipeline,
        {"munmf__n_components": [8, 16], "munmf__alpha_W": [0.0, 1e-3]},
        cv=cv,
        n_jobs=2,
    ).fit(corpus.data, corpus.target)

    assert grid.best_score_ >= _dummy_accuracy(corpus, cv) + MARGIN_OVER_DUMMY
    assert grid.best_estimator_["munmf"].n_components_ in (8, 16)
    assert grid.predict(corpus.data[:5]).shape == (5,)


def test_deepnmf_kl_text_pipeline_grid_search_over_depth(corpus, global_random_seed):
    """The same pipeline searches DeepNMF's ranks and depth in one parameter."""
    cv = StratifiedKFold(3, shuffle=True, random_state=global_random_seed)
    pipeline = _text_pipeline(
        "deep",
        DeepNMF(
            beta_loss="kullback-leibler",
            pretrain_max_iter=30,
            max_iter=30,
            random_state=0,
        ),
    )
    ranks = [(16,), (32, 16), (8,), (16, 8)]
    grid = GridSearchCV(pipeline, {"deep__n_components": ranks}, cv=cv, n_jobs=2)
    grid.fit(corpus.data, corpus.target)

    assert grid.best_score_ >= _dummy_accuracy(corpus, cv) + MARGIN_OVER_DUMMY
    best = grid.best_params_["deep__n_components"]
    deep = grid.best_estimator_["deep"]
    assert len(deep.layer_components_) == len(best)
    assert deep.n_components_ == best[-1]
    assert np.isfinite(grid.cv_results_["mean_test_score"]).all()


@pytest.mark.parametrize(
    "decomposer, prefix", [(MUNMF(2), "munmf"), (DeepNMF((3, 2)), "deepnmf")]
)
def test_decomposer_feature_names_out_are_readable(decomposer, prefix):
    """Output features are named after the estimator: munmf0, munmf1, ..."""
    X, _, _ = make_planted_nmf(30, 5, 2, random_state=0)
    decomposer = clone(decomposer).set_params(max_iter=20, random_state=0).fit(X)
    assert_array_equal(decomposer.get_feature_names_out(), [f"{prefix}0", f"{prefix}1"])


def test_munmf_column_transformer_pandas_output_end_to_end(global_random_seed):
    """With pandas output every step sees a DataFrame with readable names."""
    frame, y = _planted_frame(global_random_seed)
    pipeline = _column_pipeline().set_output(transform="pandas")
    pipeline.fit(frame, y)

    features = pipeline[:-1].transform(frame)
    expected = ["munmf__munmf0", "munmf__munmf1", "keep__other"]
    assert isinstance(features, pd.DataFrame)
    assert list(features.columns) == expected
    assert_array_equal(features.index, frame.index)
    assert_array_equal(pipeline[:-1].get_feature_names_out(), expected)
    assert_array_equal(pipeline["classify"].feature_names_in_, expected)

    codes = pipeline["columns"].transform(frame)
    alone = (
        pipeline["columns"]
        .named_transformers_["munmf"]
        .transform(frame[["a", "b", "c", "d"]])
    )
    assert isinstance(alone, pd.DataFrame)
    assert_allclose(codes[["munmf__munmf0", "munmf__munmf1"]], alone, rtol=0, atol=0)
    assert_array_equal(codes["keep__other"], frame["other"])
    assert pipeline.score(frame, y) > 0.5


def test_munmf_column_transformer_clone_is_unfitted_copy(global_random_seed):
    """clone gives the same parameters and no fitted state, fitted or not."""
    frame, y = _planted_frame(global_random_seed)
    pipeline = _column_pipeline().fit(frame, y)
    copy = clone(pipeline)

    assert copy.get_params(deep=False).keys() == pipeline.get_params(False).keys()
    assert (
        copy.get_params()["columns__munmf"].get_params()
        == pipeline.get_params()["columns__munmf"].get_params()
    )
    with pytest.raises(NotFittedError, match="not fitted"):
        check_is_fitted(copy)
    with pytest.raises(NotFittedError, match="not fitted"):
        check_is_fitted(copy["columns"])


def test_munmf_fitted_pipeline_pickle_round_trip(global_random_seed):
    """A fitted pipeline comes back from pickle with identical predictions."""
    frame, y = _planted_frame(global_random_seed)
    pipeline = _column_pipeline().set_output(transform="pandas").fit(frame, y)
    restored = pickle.loads(pickle.dumps(pipeline))

    assert_array_equal(restored.predict(frame), pipeline.predict(frame))
    assert_array_equal(restored.predict_proba(frame), pipeline.predict_proba(frame))
    assert_array_equal(restored[:-1].transform(frame), pipeline[:-1].transform(frame))
    munmf = restored["columns"].named_transformers_["munmf"]
    assert_array_equal(
        munmf.components_,
        pipeline["columns"].named_transformers_["munmf"].components_,
    )


def test_munmf_text_pipeline_pickle_round_trip(corpus):
    """A fitted text pipeline pickles with its vocabulary and components."""
    pipeline = _text_pipeline(
        "munmf",
        MUNMF(8, beta_loss="kullback-leibler", max_iter=30, random_state=0),
    ).fit(corpus.data, corpus.target)
    restored = pickle.loads(pickle.dumps(pipeline))

    assert_array_equal(
        restored.predict_proba(corpus.data), pipeline.predict_proba(corpus.data)
    )
    assert_array_equal(
        restored[:-1].get_feature_names_out(), [f"munmf{i}" for i in range(8)]
    )
