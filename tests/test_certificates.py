"""The convergence certificate of a run: the exact optimum of its training distribution, and
feature health. The optimum is H(target | X) under the rows' weights: the Bayes posterior
reaches it, and no predictor goes below it."""

import numpy as np
import pytest

from essl_testbed.experiments.downstream import entropy_given_images, feature_health
from synthetic.training import weighted_cross_entropy_bits
from synthetic.worlds import presets


def _posterior(dataset) -> np.ndarray:
    """p(a | x) of the weighted rows, one row per dataset row."""
    from theory import outcome_ids

    x_ids, _ = outcome_ids(dataset.x.reshape(len(dataset), -1))
    table = np.zeros((x_ids.max() + 1, dataset.n_actions))
    np.add.at(table, (x_ids, dataset.a), dataset.weights)
    return (table / table.sum(1, keepdims=True))[x_ids]


@pytest.fixture(scope="module")
def skewed():
    """A world's rot4 rows with uneven weights, renormalised: the optimum must use them (the
    occluder leaves A ambiguous in some images: H(A|X) = 0.14 bits under even weights)."""
    ds = presets.get("occluded").dataset("rot4")
    rng = np.random.default_rng(0)
    weights = ds.weights * rng.uniform(0.2, 5.0, size=len(ds))
    return type(ds)(**{**ds.__dict__, "weights": weights / weights.sum()})


def test_the_bayes_posterior_reaches_the_optimum(skewed):
    ce = weighted_cross_entropy_bits(_posterior(skewed), skewed.a, skewed.weights)
    assert ce == pytest.approx(entropy_given_images(skewed), abs=1e-9)
    assert entropy_given_images(skewed) > 0.01  # some images leave A ambiguous: the check is not 0 = 0


def test_no_predictor_goes_below_the_optimum(skewed):
    rng = np.random.default_rng(1)
    optimum = entropy_given_images(skewed)
    posterior = _posterior(skewed)
    for _ in range(5):
        noise = rng.dirichlet(np.ones(skewed.n_actions), size=len(skewed))
        mixed = 0.7 * posterior + 0.3 * noise
        assert weighted_cross_entropy_bits(mixed, skewed.a, skewed.weights) > optimum


def test_feature_health_counts_dead_units_and_spread():
    features = np.zeros((10, 5))
    features[:, 0] = np.arange(10)
    features[:, 1] = 2 * np.arange(10)
    health = feature_health(features)
    assert health["feature_dead_units"] == 3
    assert health["feature_effective_rank"] == pytest.approx(1.0)  # two collinear live units
    assert health["feature_std"] == pytest.approx(np.std(np.arange(10)) * 3 / 5)


def test_a_run_records_its_gap_and_feature_health():
    from essl_testbed.experiments.records import undeclared_keys
    from essl_testbed.experiments.run import run_one
    from essl_testbed.experiments.spec import Experiment
    from synthetic.config import TrainConfig

    run = run_one(Experiment("six-nine", "rot4", TrainConfig(model="mlp", steps=3)), seed=0)
    assert run["pretext_gap_train_bits"] == pytest.approx(
        run["pretext_ce_train_bits"] - run["pretext_optimum_train_bits"]
    )
    assert run["pretext_gap_train_bits"] >= -1e-9
    assert {"feature_dead_units", "feature_std_random_init"} <= set(run) and not undeclared_keys(run)


def test_the_codes_sharpness_is_its_mean_entropy_given_the_image():
    """H(Z|X) from the joint with the latents equals the image-weighted mean entropy of q(z|x)."""
    from essl_testbed.experiments.checks import bottleneck_information, code_table
    from synthetic.config import TrainConfig
    from synthetic.training import build_model

    world, transform = presets.get("six-nine"), "rot4"
    dataset = world.dataset(transform)
    model = build_model(TrainConfig(model="bottleneck", n_codes=4), dataset, seed=0)
    q = code_table(world, transform, dataset, model)
    x_ids = world.x_ids(transform)[0]
    latents = world.latent_table(transform).astype(np.float64)
    p_x = np.bincount(x_ids.ravel(), weights=latents.ravel(), minlength=len(q))
    rows = q[p_x > 0]
    expected = float(p_x[p_x > 0] @ -(rows * np.log2(np.where(rows > 0, rows, 1))).sum(1)) / p_x.sum()
    sharpness = bottleneck_information(world, transform, dataset, model)["H_Z_given_X"]
    assert sharpness == pytest.approx(expected, abs=1e-9) and 0.01 < sharpness <= 2.0
