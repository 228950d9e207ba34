"""The perceptron engine: update rule, data sets, stopping and seeding."""

import numpy as np
import pytest
from annlab.engines import perceptron


def run(features, labels, weights, learning_rate=0.5, max_epochs=10):
    return list(
        perceptron.train(
            np.array(features, float),
            np.array(labels),
            np.array(weights, float),
            learning_rate,
            max_epochs,
        )
    )


def test_update_rule_on_hand_computed_case():
    # Activation 1*0.1 + 2*(-0.2) = -0.3 <= 0, so the answer is 0; label 1 adds 0.5 * x.
    steps = run([[1.0, 2.0]], [1], [0.1, -0.2], max_epochs=1)
    assert steps[0].prediction == 0
    assert steps[0].changed is True
    assert steps[0].weights == pytest.approx([0.6, 0.8])


def test_update_rule_subtracts_for_false_positive():
    steps = run([[1.0, -1.0]], [0], [0.5, 0.0], max_epochs=1)
    assert steps[0].prediction == 1
    assert steps[0].weights == pytest.approx([0.0, 0.5])


def test_correct_prediction_changes_nothing():
    steps = run([[1.0, 1.0]], [1], [0.3, 0.3], max_epochs=1)
    assert steps[0].changed is False
    assert steps[0].weights == pytest.approx([0.3, 0.3])


def test_zero_init_predicts_zero_so_only_label_one_updates():
    features = [[1.0, 2.0], [1.0, -3.0], [1.0, 0.5]]
    steps = run(features, [0, 0, 1], [0.0, 0.0], learning_rate=1.0, max_epochs=1)
    assert [step.prediction for step in steps] == [0, 0, 0]
    assert [step.changed for step in steps] == [False, False, True]
    assert steps[-1].weights == pytest.approx([1.0, 0.5])


def test_zero_init_through_prepare_gives_zero_weights():
    setup = perceptron.prepare(
        "linear", 0.8, seed=1, bias=True, feature_engineering=False, init="zero"
    )
    assert setup.initial_weights.tolist() == [0.0, 0.0, 0.0]


def test_uniform_init_stays_within_scale():
    setup = perceptron.prepare(
        "linear", 0.8, seed=2, bias=True, feature_engineering=True, init="uniform"
    )
    assert setup.initial_weights.shape == (4,)
    assert np.all(np.abs(setup.initial_weights) <= perceptron.INIT_SCALE)
    assert np.any(setup.initial_weights != 0)


def test_training_stops_after_epoch_without_change():
    steps = run(
        [[1.0, 1.0], [1.0, -1.0]], [1, 0], [0.0, 0.0], learning_rate=1.0, max_epochs=50
    )
    last_epoch = steps[-1].epoch
    assert last_epoch < 50
    assert not any(step.changed for step in steps if step.epoch == last_epoch)
    assert len(steps) == 2 * last_epoch


@pytest.mark.parametrize(("name", "size"), [("linear", 30), ("xor", 24)])
def test_dataset_is_standardised_and_balanced(name, size):
    dataset = perceptron.make_dataset(name, 0.5, np.random.default_rng(0))
    assert dataset.inputs.shape == (size, 2)
    assert dataset.inputs.mean(axis=0) == pytest.approx([0.0, 0.0], abs=1e-12)
    assert dataset.inputs.std(axis=0) == pytest.approx([1.0, 1.0])
    assert dataset.labels.sum() == size // 2


def test_xor_labels_follow_corners():
    dataset = perceptron.make_dataset("xor", 0.1, np.random.default_rng(0))
    product_sign = np.sign(dataset.inputs[:, 0] * dataset.inputs[:, 1])
    assert np.all((product_sign < 0) == (dataset.labels == 1))


def test_unknown_dataset_raises():
    with pytest.raises(ValueError, match="Unknown dataset 'moons'"):
        perceptron.make_dataset("moons", 0.5, np.random.default_rng(0))


def train_setup(dataset, feature_engineering, bias, epochs=200, seed=0, std=None):
    setup = perceptron.prepare(
        dataset,
        std or perceptron.DEFAULT_STD[dataset],
        seed,
        bias,
        feature_engineering,
        "uniform",
    )
    steps = list(
        perceptron.train(
            setup.features, setup.dataset.labels, setup.initial_weights, 1e-3, epochs
        )
    )
    return perceptron.summarize(
        setup.features, setup.dataset.labels, steps, setup.initial_weights
    )


def test_linear_data_reaches_full_accuracy():
    result = train_setup("linear", feature_engineering=False, bias=True, std=0.3)
    assert result.accuracy == 1.0
    assert result.converged is True


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_xor_without_feature_stays_below_full_accuracy(seed):
    result = train_setup("xor", feature_engineering=False, bias=False, seed=seed)
    assert result.accuracy < 1.0
    assert result.converged is False


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_xor_with_product_feature_reaches_full_accuracy(seed):
    result = train_setup("xor", feature_engineering=True, bias=False, seed=seed)
    assert result.accuracy == 1.0
    assert result.converged is True


def test_same_seed_gives_same_trace():
    first = train_setup("linear", False, True, seed=7)
    second = train_setup("linear", False, True, seed=7)
    other = train_setup("linear", False, True, seed=8)
    assert first == second
    assert first.weights != other.weights


def test_feature_names_follow_options():
    assert perceptron.feature_names(bias=True, feature_engineering=True) == [
        "bias",
        "x1",
        "x2",
        "x1*x2",
    ]
    assert perceptron.feature_names(bias=False, feature_engineering=False) == [
        "x1",
        "x2",
    ]
