"""Generator and discriminator: parameter counts, shapes and seeded initialization."""

import math

import pytest
import torch
from annlab.engines.gan.models import (
    LATENT_DIM,
    FastConvTranspose2d,
    build_discriminator,
    build_generator,
    count_parameters,
    summarize_layers,
)
from torch import nn


def test_parameter_counts():
    generator = build_generator()
    discriminator = build_discriminator()

    assert count_parameters(generator) == 259_521
    assert count_parameters(discriminator) == 21_121
    assert count_parameters(generator) + count_parameters(discriminator) == 280_642


def test_generator_layer_table():
    rows = summarize_layers(build_generator(), (LATENT_DIM,))

    assert [(row.name, row.output_shape, row.parameters) for row in rows] == [
        ("dense", (3136,), 203_840),
        ("reshape", (7, 7, 64), 0),
        ("deconv1", (14, 14, 64), 36_928),
        ("deconv2", (28, 28, 32), 18_464),
        ("deconv3", (28, 28, 1), 289),
    ]
    assert [row.activation for row in rows] == ["relu", None, "relu", "relu", "sigmoid"]
    assert rows[2].type == "ConvTranspose2d"


def test_discriminator_layer_table():
    rows = summarize_layers(build_discriminator(), (1, 28, 28))

    assert [(row.name, row.output_shape, row.parameters) for row in rows] == [
        ("conv1", (13, 13, 32), 320),
        ("conv2", (6, 6, 64), 18_496),
        ("flatten", (2304,), 0),
        ("logit", (1,), 2_305),
    ]
    assert [row.activation for row in rows] == ["relu", "relu", None, None]


def test_forward_shapes_and_ranges():
    generator = build_generator(torch.Generator().manual_seed(1))
    discriminator = build_discriminator(torch.Generator().manual_seed(2))
    latents = torch.randn(5, LATENT_DIM, generator=torch.Generator().manual_seed(3))

    with torch.no_grad():
        images = generator(latents)
        logits = discriminator(images)

    assert images.shape == (5, 1, 28, 28)
    assert float(images.min()) >= 0.0
    assert float(images.max()) <= 1.0
    assert logits.shape == (5, 1)


def test_initialization_is_seeded_glorot():
    first = build_generator(torch.Generator().manual_seed(7))
    second = build_generator(torch.Generator().manual_seed(7))
    other = build_generator(torch.Generator().manual_seed(8))

    for (name, a), b, c in zip(
        first.named_parameters(), second.parameters(), other.parameters(), strict=True
    ):
        assert torch.equal(a, b), name
        if name.endswith("bias"):
            assert not a.any(), name
        else:
            assert not torch.equal(a, c), name

    dense = first.dense
    bound = math.sqrt(6.0 / (LATENT_DIM + 3136))
    assert float(dense.weight.detach().abs().max()) <= bound
    # Uniform on [-bound, bound]: the largest of 200,000 draws is close to the bound.
    assert float(dense.weight.detach().abs().max()) == pytest.approx(bound, rel=1e-3)


def test_conv_transpose_bound_counts_kernel():
    deconv = build_generator(torch.Generator().manual_seed(0)).deconv2
    assert isinstance(deconv, nn.ConvTranspose2d)

    bound = math.sqrt(6.0 / ((64 + 32) * 9))
    assert float(deconv.weight.detach().abs().max()) <= bound
    assert float(deconv.weight.detach().abs().max()) > 0.99 * bound


@pytest.mark.parametrize(("stride", "size"), [(2, 7), (2, 14), (1, 28)])
def test_fast_conv_transpose_matches_builtin(stride, size):
    torch.manual_seed(0)
    fast = FastConvTranspose2d(
        6, 4, 3, stride=stride, padding=1, output_padding=stride - 1
    )
    builtin = nn.ConvTranspose2d(
        6, 4, 3, stride=stride, padding=1, output_padding=stride - 1
    )
    fast = fast.double()
    builtin = builtin.double()
    builtin.load_state_dict(fast.state_dict())
    inputs = torch.randn(3, 6, size, size, dtype=torch.float64, requires_grad=True)

    fast_out = fast(inputs)
    builtin_out = builtin(inputs)
    assert fast_out.shape == (3, 4, size * stride, size * stride)
    assert torch.allclose(fast_out, builtin_out)

    grad_output = torch.randn_like(fast_out)
    fast_grads = torch.autograd.grad(
        fast_out, [inputs, *fast.parameters()], grad_output
    )
    builtin_grads = torch.autograd.grad(
        builtin_out, [inputs, *builtin.parameters()], grad_output
    )
    for name, fast_grad, builtin_grad in zip(
        ("input", "weight", "bias"), fast_grads, builtin_grads, strict=True
    ):
        assert torch.allclose(fast_grad, builtin_grad), name


def test_fast_conv_transpose_rejects_groups():
    with pytest.raises(ValueError, match="groups=1"):
        FastConvTranspose2d(4, 4, 3, groups=2)
