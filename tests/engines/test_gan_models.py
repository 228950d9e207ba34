"""Generator and discriminator: parameter counts, shapes and seeded initialization."""

import math

import pytest
import torch
from annlab.engines.gan.models import (
    LATENT_DIM,
    FastConv2d,
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


def outputs_and_gradients(layer, inputs, grad_output=None):
    inputs = inputs.detach().requires_grad_()
    outputs = layer(inputs)
    if grad_output is None:
        grad_output = torch.randn_like(outputs)
    gradients = torch.autograd.grad(outputs, [inputs, *layer.parameters()], grad_output)
    return outputs, grad_output, gradients


@pytest.mark.parametrize(
    ("kernel", "padding", "bias"),
    [
        (3, 1, True),
        (3, 0, True),
        (3, 2, True),
        (5, 2, True),
        (1, 0, True),
        (4, 1, False),
    ],
)
@pytest.mark.parametrize("channels_last", [False, True])
def test_single_channel_conv_transpose_matches_builtin(
    kernel, padding, bias, channels_last
):
    torch.manual_seed(0)
    fast = FastConvTranspose2d(5, 1, kernel, padding=padding, bias=bias).double()
    builtin = nn.ConvTranspose2d(5, 1, kernel, padding=padding, bias=bias).double()
    builtin.load_state_dict(fast.state_dict())
    inputs = torch.randn(3, 5, 9, 11, dtype=torch.float64)
    if channels_last:
        inputs = inputs.contiguous(memory_format=torch.channels_last)

    fast_out, grad_output, fast_grads = outputs_and_gradients(fast, inputs)
    builtin_out, _, builtin_grads = outputs_and_gradients(builtin, inputs, grad_output)

    assert "SingleChannel" in fast_out.grad_fn.name()
    assert fast_out.shape == builtin_out.shape
    assert torch.allclose(fast_out, builtin_out)
    assert len(fast_grads) == len(builtin_grads) == (3 if bias else 2)
    for name, fast_grad, builtin_grad in zip(
        ("input", "weight", "bias"), fast_grads, builtin_grads, strict=False
    ):
        assert torch.allclose(fast_grad, builtin_grad), name


def test_generator_last_layer_matches_builtin_in_float32():
    torch.manual_seed(0)
    fast = build_generator(torch.Generator().manual_seed(0)).deconv3
    builtin = nn.ConvTranspose2d(32, 1, 3, padding=1)
    builtin.load_state_dict(fast.state_dict())
    fast = fast.to(memory_format=torch.channels_last)
    builtin = builtin.to(memory_format=torch.channels_last)
    inputs = torch.relu(torch.randn(16, 32, 28, 28))
    inputs = inputs.contiguous(memory_format=torch.channels_last)

    fast_out, grad_output, fast_grads = outputs_and_gradients(fast, inputs)
    builtin_out, _, builtin_grads = outputs_and_gradients(builtin, inputs, grad_output)

    assert "SingleChannel" in fast_out.grad_fn.name()
    assert fast_out.dtype == torch.float32
    torch.testing.assert_close(fast_out, builtin_out, rtol=1e-5, atol=1e-6)
    for name, fast_grad, builtin_grad in zip(
        ("input", "weight", "bias"), fast_grads, builtin_grads, strict=True
    ):
        torch.testing.assert_close(
            fast_grad,
            builtin_grad,
            rtol=1e-5,
            atol=1e-6,
            msg=lambda message, name=name: f"{name} gradient: {message}",
        )


@pytest.mark.parametrize(
    ("kernel", "stride", "padding", "size"),
    [(3, 2, 0, (28, 28)), (3, 2, 0, (27, 28)), (3, 1, 1, (9, 10)), (5, 3, 2, (11, 13))],
)
def test_single_channel_conv_matches_builtin(kernel, stride, padding, size):
    torch.manual_seed(0)
    fast = FastConv2d(1, 4, kernel, stride=stride, padding=padding).double()
    builtin = nn.Conv2d(1, 4, kernel, stride=stride, padding=padding).double()
    builtin.load_state_dict(fast.state_dict())
    inputs = torch.randn(3, 1, *size, dtype=torch.float64)

    fast_out, grad_output, fast_grads = outputs_and_gradients(fast, inputs)
    builtin_out, _, builtin_grads = outputs_and_gradients(builtin, inputs, grad_output)

    assert "SingleChannel" in fast_out.grad_fn.name()
    assert torch.allclose(fast_out, builtin_out)
    for name, fast_grad, builtin_grad in zip(
        ("input", "weight", "bias"), fast_grads, builtin_grads, strict=True
    ):
        assert fast_grad.shape == builtin_grad.shape, name
        assert torch.allclose(fast_grad, builtin_grad), name


def test_discriminator_first_layer_matches_builtin_in_float32():
    torch.manual_seed(0)
    fast = build_discriminator(torch.Generator().manual_seed(0)).conv1
    builtin = nn.Conv2d(1, 32, 3, stride=2)
    builtin.load_state_dict(fast.state_dict())
    fast = fast.to(memory_format=torch.channels_last)
    builtin = builtin.to(memory_format=torch.channels_last)
    images = torch.rand(16, 1, 28, 28)

    fast_out, grad_output, fast_grads = outputs_and_gradients(fast, images)
    builtin_out, _, builtin_grads = outputs_and_gradients(builtin, images, grad_output)

    assert "SingleChannel" in fast_out.grad_fn.name()
    torch.testing.assert_close(fast_out, builtin_out, rtol=1e-5, atol=1e-6)
    for name, fast_grad, builtin_grad in zip(
        ("input", "weight", "bias"), fast_grads, builtin_grads, strict=True
    ):
        torch.testing.assert_close(
            fast_grad,
            builtin_grad,
            rtol=1e-5,
            atol=1e-6,
            msg=lambda message, name=name: f"{name} gradient: {message}",
        )


def test_fast_conv_uses_builtin_for_several_channels():
    layer = FastConv2d(3, 4, 3)
    outputs = layer(torch.randn(2, 3, 8, 8, requires_grad=True))

    assert "SingleChannel" not in outputs.grad_fn.name()


def test_fast_conv_transpose_rejects_groups():
    with pytest.raises(ValueError, match="groups=1"):
        FastConvTranspose2d(4, 4, 3, groups=2)
