"""A fully connected network with ReLU hidden layers and a linear output, in numpy.

Layer l computes z_l = a_(l-1) W_l + b_l, where a_0 is the input batch of
shape (batch, 1). Hidden layers output a_l = relu(z_l), and the last layer
outputs z_L unchanged. The loss is the batch-mean squared error
L = mean((z_L - y)^2). `backward` applies the chain rule layer by layer, from
the output back to the input, and returns dL/dW_l and dL/db_l for every layer.
All arrays are float64.
"""

from dataclasses import dataclass
from itertools import pairwise

import numpy as np


@dataclass
class Layer:
    """Weights of shape (fan_in, fan_out) and biases of shape (fan_out,).

    The same class stores a layer's gradients, which have the same shapes.
    """

    weights: np.ndarray
    biases: np.ndarray

    def copy(self) -> "Layer":
        return Layer(weights=self.weights.copy(), biases=self.biases.copy())


@dataclass(frozen=True)
class ForwardCache:
    """Forward-pass values that `backward` reuses: each layer's a_(l-1) and z_l."""

    inputs: list[np.ndarray]
    pre_activations: list[np.ndarray]


def layer_sizes(hidden_units: list[int]) -> list[int]:
    """Units per layer from the input to the output, for example [1, 16, 8, 1]."""
    return [1, *hidden_units, 1]


def count_parameters(sizes: list[int]) -> int:
    return sum(fan_in * fan_out + fan_out for fan_in, fan_out in pairwise(sizes))


def init_layers(sizes: list[int], rng: np.random.Generator) -> list[Layer]:
    """He-normal weights, N(0, 2 / fan_in), and zero biases."""
    layers = []
    for fan_in, fan_out in pairwise(sizes):
        weights = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
        layers.append(Layer(weights=weights, biases=np.zeros(fan_out)))
    return layers


def forward(layers: list[Layer], inputs: np.ndarray) -> tuple[np.ndarray, ForwardCache]:
    """Run the network on `inputs` (batch, fan_in); return the output and the cache."""
    cache = ForwardCache(inputs=[], pre_activations=[])
    activation = inputs
    last = len(layers) - 1
    for index, layer in enumerate(layers):
        cache.inputs.append(activation)
        pre_activation = activation @ layer.weights + layer.biases
        cache.pre_activations.append(pre_activation)
        if index < last:
            activation = np.maximum(pre_activation, 0.0)
        else:
            activation = pre_activation
    return activation, cache


def predict(layers: list[Layer], x: np.ndarray) -> np.ndarray:
    """Network output for a 1-D array of inputs, as a 1-D array."""
    output, _ = forward(layers, x.reshape(-1, 1))
    return output[:, 0]


def mse_loss(output: np.ndarray, targets: np.ndarray) -> float:
    """Mean of the squared errors over the batch."""
    residuals = (output - targets).ravel()
    return float(np.dot(residuals, residuals)) / residuals.size


def backward(
    layers: list[Layer], cache: ForwardCache, output: np.ndarray, targets: np.ndarray
) -> list[Layer]:
    """Return dL/dW_l and dL/db_l of the batch-mean squared error, for every layer.

    `delta` is dL/dz_l of the layer being visited, one row per sample.
    """
    batch_size = output.shape[0]
    # L = (1/B) sum (z_L - y)^2, and the output layer is linear, so
    # dL/dz_L = 2 (z_L - y) / B.
    delta = 2.0 * (output - targets) / batch_size
    gradients: list[Layer] = []
    for index in range(len(layers) - 1, -1, -1):
        layer_input = cache.inputs[index]
        # z_l = a_(l-1) W_l + b_l: every sample adds a_(l-1)^T delta to dL/dW_l
        # and delta to dL/db_l.
        gradients.append(Layer(weights=layer_input.T @ delta, biases=delta.sum(axis=0)))
        if index == 0:
            break
        # Back through the weights: dL/da_(l-1) = delta W_l^T. Back through the
        # ReLU of layer l-1: its slope is 1 where z_(l-1) > 0 and 0 elsewhere.
        delta = (delta @ layers[index].weights.T) * (
            cache.pre_activations[index - 1] > 0
        )
    gradients.reverse()
    return gradients
