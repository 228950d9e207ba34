"""The gradient-descent engine: data, initial weights, backpropagation, training."""

import inspect
import math

import numpy as np
import pytest
import torch
from annlab.engines import gradient_descent as gd

# Rates that show the three regimes on the default seed and network.
DEFAULT_RATE = 3e-3
MINIMUM_RATE = 1e-7
DIVERGING_RATE = 10.0
DEFAULT_HIDDEN = [16, 8]


def train_all(learning_rate, epochs=100, seed=0, hidden=DEFAULT_HIDDEN):
    return list(gd.train(gd.prepare_run(seed, hidden), learning_rate, epochs))


def relative_error(actual: np.ndarray, expected: np.ndarray) -> float:
    scale = max(np.linalg.norm(expected), 1e-300)
    return float(np.linalg.norm(actual - expected) / scale)


def autograd_gradients(layers, inputs, targets):
    """Loss and gradients of the same network and loss computed by torch.autograd."""
    weights = [torch.tensor(layer.weights, requires_grad=True) for layer in layers]
    biases = [torch.tensor(layer.biases, requires_grad=True) for layer in layers]
    activation = torch.tensor(inputs)
    for index, (weight, bias) in enumerate(zip(weights, biases, strict=True)):
        activation = activation @ weight + bias
        if index < len(layers) - 1:
            activation = torch.relu(activation)
    loss = torch.mean((activation - torch.tensor(targets)) ** 2)
    loss.backward()
    return (
        loss.item(),
        [weight.grad.numpy() for weight in weights],
        [bias.grad.numpy() for bias in biases],
    )


@pytest.mark.parametrize("seed", range(8))
def test_backward_matches_autograd(seed):
    rng = np.random.default_rng(1000 + seed)
    num_hidden = int(rng.integers(1, 4))
    hidden = [int(units) for units in rng.integers(1, 33, size=num_hidden)]
    sizes = gd.layer_sizes(hidden)
    layers = gd.init_layers(sizes, rng)
    for layer in layers:
        # Non-zero biases move the ReLU kinks, so every branch of the rule is used.
        layer.biases = rng.normal(0.0, 1.0, size=layer.biases.shape)
    batch_size = int(rng.integers(1, 65))
    inputs = rng.uniform(-5.0, 5.0, size=(batch_size, 1))
    targets = rng.normal(0.0, 5.0, size=(batch_size, 1))

    output, cache = gd.forward(layers, inputs)
    gradients = gd.backward(layers, cache, output, targets)
    expected_loss, expected_weights, expected_biases = autograd_gradients(
        layers, inputs, targets
    )

    assert gd.mse_loss(output, targets) == pytest.approx(expected_loss, rel=1e-12)
    for index, gradient in enumerate(gradients):
        assert gradient.weights.dtype == np.float64
        assert relative_error(gradient.weights, expected_weights[index]) < 1e-10, index
        assert relative_error(gradient.biases, expected_biases[index]) < 1e-10, index


def test_backward_gradient_shapes_match_layers():
    rng = np.random.default_rng(3)
    layers = gd.init_layers([1, 5, 3, 1], rng)
    inputs = rng.uniform(-1.0, 1.0, size=(7, 1))
    output, cache = gd.forward(layers, inputs)
    gradients = gd.backward(layers, cache, output, np.zeros((7, 1)))
    for layer, gradient in zip(layers, gradients, strict=True):
        assert gradient.weights.shape == layer.weights.shape
        assert gradient.biases.shape == layer.biases.shape


def test_init_layers_he_normal_and_zero_biases():
    layers = gd.init_layers([1, 400, 300, 1], np.random.default_rng(0))
    for layer in layers:
        fan_in = layer.weights.shape[0]
        expected_std = math.sqrt(2.0 / fan_in)
        if layer.weights.size >= 1000:
            assert layer.weights.std() == pytest.approx(expected_std, rel=0.05)
        assert np.all(layer.biases == 0.0)


def test_make_dataset_range_and_noise():
    dataset = gd.make_dataset(np.random.default_rng(0))
    assert dataset.x.shape == (gd.NUM_POINTS,)
    assert dataset.y.shape == (gd.NUM_POINTS,)
    assert dataset.x.min() >= gd.X_MIN
    assert dataset.x.max() <= gd.X_MAX
    residuals = dataset.y - gd.target_function(dataset.x)
    assert residuals.std() == pytest.approx(gd.NOISE_STD, rel=0.1)
    assert abs(residuals.mean()) < 0.02


def test_train_default_run_fits():
    frames = train_all(DEFAULT_RATE)
    summary = gd.summarize(frames[-1])
    assert len(frames) == 101
    assert not summary.diverged
    assert summary.num_epochs == 100
    assert summary.num_steps == 4000
    assert frames[-1].loss < frames[0].loss / 100
    # The noise alone gives a loss of 0.01, so this is a close fit of the curve.
    assert frames[-1].loss < 0.5


def test_train_frame_fields_per_epoch():
    frames = train_all(DEFAULT_RATE, epochs=10)
    assert [frame.index for frame in frames] == list(range(11))
    assert [frame.kind for frame in frames] == ["initial"] + ["epoch"] * 10
    assert [frame.step for frame in frames] == [40 * epoch for epoch in range(11)]
    initial = frames[0]
    assert initial.step_losses == []
    assert initial.running_loss is None
    assert initial.gradient_norms is None
    for frame in frames[1:]:
        assert len(frame.step_losses) == 40
        assert frame.running_loss == pytest.approx(np.mean(frame.step_losses))
        assert len(frame.gradient_norms) == 3
        assert all(norm > 0 for norm in frame.gradient_norms)
        assert len(frame.curve) == gd.GRID_SIZE
        assert [layer.weights.shape for layer in frame.layers] == [
            (1, 16),
            (16, 8),
            (8, 1),
        ]


def test_train_frame_curve_matches_layers():
    frames = train_all(DEFAULT_RATE, epochs=10)
    grid = gd.curve_grid()
    for frame in (frames[0], frames[-1]):
        assert np.allclose(frame.curve, gd.predict(frame.layers, grid), rtol=0, atol=0)


def test_train_frames_keep_own_weights():
    frames = train_all(DEFAULT_RATE, epochs=10)
    first = frames[1].layers[0].weights
    last = frames[-1].layers[0].weights
    assert not np.array_equal(first, last)


def test_train_is_lazy_generator():
    run = gd.prepare_run(0, DEFAULT_HIDDEN)
    frames = gd.train(run, DEFAULT_RATE, 200)
    assert inspect.isgenerator(frames)
    assert next(frames).kind == "initial"
    assert next(frames).epoch == 1


def test_train_leaves_initial_layers_unchanged():
    run = gd.prepare_run(0, DEFAULT_HIDDEN)
    before = [layer.copy() for layer in run.initial_layers]
    list(gd.train(run, DEFAULT_RATE, 10))
    for original, layer in zip(before, run.initial_layers, strict=True):
        assert np.array_equal(original.weights, layer.weights)


def test_train_rate_10_diverges():
    frames = train_all(DIVERGING_RATE)
    summary = gd.summarize(frames[-1])
    last = frames[-1]
    assert summary.diverged
    assert last.diverged
    assert summary.diverged_at == gd.Divergence(epoch=last.epoch, step=last.step)
    assert summary.num_epochs == last.epoch - 1
    assert not math.isfinite(last.step_losses[-1]) or not all(
        math.isfinite(value) for value in last.curve
    )
    assert not any(frame.diverged for frame in frames[:-1])


def test_train_divergence_keeps_steps_of_last_epoch():
    frames = train_all(DIVERGING_RATE)
    last = frames[-1]
    step_frames = [frame for frame in frames if frame.kind == "step"]
    first_step = (last.epoch - 1) * 40 + 1
    assert [frame.step for frame in step_frames] == list(
        range(first_step, last.step + 1)
    )
    assert all(frame.epoch == last.epoch for frame in step_frames)
    assert all(len(frame.step_losses) == 1 for frame in step_frames)
    assert all(frame.kind != "step" for frame in frames[: -len(step_frames)])
    # The blow-up is visible: the batch loss grows until it is no longer finite.
    finite_losses = [
        frame.step_losses[0]
        for frame in step_frames
        if math.isfinite(frame.step_losses[0])
    ]
    assert finite_losses[-1] > 1e6 * frames[0].loss


def test_train_divergence_after_good_epochs():
    frames = train_all(3.0)
    summary = gd.summarize(frames[-1])
    assert summary.diverged
    assert summary.diverged_at.epoch > 1
    epoch_frames = [frame for frame in frames if frame.kind == "epoch"]
    assert [frame.epoch for frame in epoch_frames] == list(
        range(1, summary.diverged_at.epoch)
    )


def test_train_minimum_rate_barely_moves():
    frames = train_all(MINIMUM_RATE)
    summary = gd.summarize(frames[-1])
    assert not summary.diverged
    assert frames[-1].loss > 0.8 * frames[0].loss


def test_train_same_seed_same_frames():
    first = train_all(DEFAULT_RATE, epochs=20, seed=7)
    second = train_all(DEFAULT_RATE, epochs=20, seed=7)
    assert len(first) == len(second)
    for a, b in zip(first, second, strict=True):
        assert a.loss == b.loss
        assert a.step_losses == b.step_losses
        assert a.curve == b.curve
        for layer_a, layer_b in zip(a.layers, b.layers, strict=True):
            assert np.array_equal(layer_a.weights, layer_b.weights)
            assert np.array_equal(layer_a.biases, layer_b.biases)


def test_train_same_seed_same_divergence():
    first = train_all(DIVERGING_RATE, seed=3)
    second = train_all(DIVERGING_RATE, seed=3)
    assert gd.summarize(first[-1]).diverged_at == gd.summarize(second[-1]).diverged_at
    assert len(first) == len(second)
    for a, b in zip(first, second, strict=True):
        assert np.array_equal(a.step_losses, b.step_losses, equal_nan=True)
        assert np.array_equal(a.curve, b.curve, equal_nan=True)


def test_train_other_seed_other_frames():
    first = train_all(DEFAULT_RATE, epochs=2, seed=1)
    second = train_all(DEFAULT_RATE, epochs=2, seed=2)
    assert first[0].curve != second[0].curve
    assert first[-1].step_losses != second[-1].step_losses


def test_prepare_run_hidden_size_keeps_data():
    small = gd.prepare_run(5, [2, 3])
    large = gd.prepare_run(5, [32, 32])
    assert np.array_equal(small.dataset.x, large.dataset.x)
    assert np.array_equal(small.dataset.y, large.dataset.y)
    assert small.sizes == [1, 2, 3, 1]
    assert large.sizes == [1, 32, 32, 1]


def test_count_parameters_default_network():
    assert gd.count_parameters([1, 16, 8, 1]) == 16 + 16 + 128 + 8 + 8 + 1
