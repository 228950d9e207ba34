"""The Fashion-MNIST GAN: a small convolutional generator and discriminator.

Both networks follow the Keras definition that the lesson teaches: "same" or
"valid" padding as stated per layer, Glorot-uniform kernels and zero biases.
Images are NCHW tensors of floats in [0, 1].
"""

import math
from collections import OrderedDict
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

LATENT_DIM = 64
IMAGE_SIZE = 28
IMAGE_CHANNELS = 1

_ACTIVATION_NAMES = {nn.ReLU: "relu", nn.Sigmoid: "sigmoid"}


def build_generator(generator: torch.Generator | None = None) -> nn.Sequential:
    """Build the network that maps LATENT_DIM floats to a 1 x 28 x 28 image in [0, 1].

    PyTorch's ConvTranspose2d has no "same" padding. With a 3 x 3 kernel,
    padding=1 and output_padding=1 double the size at stride 2, and padding=1
    keeps it at stride 1, which is what Keras' padding="same" gives.
    """
    network = nn.Sequential(
        OrderedDict(
            [
                ("dense", nn.Linear(LATENT_DIM, 7 * 7 * 64)),
                ("dense_relu", nn.ReLU(inplace=True)),
                ("reshape", ReshapeToImage(7, 7, 64)),
                ("deconv1", _conv_transpose(64, 64, stride=2)),
                ("deconv1_relu", nn.ReLU(inplace=True)),
                ("deconv2", _conv_transpose(64, 32, stride=2)),
                ("deconv2_relu", nn.ReLU(inplace=True)),
                ("deconv3", _conv_transpose(32, IMAGE_CHANNELS, stride=1)),
                ("deconv3_sigmoid", nn.Sigmoid()),
            ]
        )
    )
    initialize_glorot(network, generator)
    return network


def build_discriminator(generator: torch.Generator | None = None) -> nn.Sequential:
    """Build the network that maps a 1 x 28 x 28 image to a logit (real > 0 > fake)."""
    network = nn.Sequential(
        OrderedDict(
            [
                ("conv1", FastConv2d(IMAGE_CHANNELS, 32, 3, stride=2)),
                ("conv1_relu", nn.ReLU(inplace=True)),
                ("conv2", nn.Conv2d(32, 64, 3, stride=2)),
                ("conv2_relu", nn.ReLU(inplace=True)),
                ("flatten", nn.Flatten()),
                ("logit", nn.Linear(6 * 6 * 64, 1)),
            ]
        )
    )
    initialize_glorot(network, generator)
    return network


class ReshapeToImage(nn.Module):
    """Read each row of features as a height x width x channels image, as Keras does.

    The result is an NCHW tensor whose memory is channels-last, so the
    convolutions after it need no copy to change the layout.
    """

    def __init__(self, height: int, width: int, channels: int) -> None:
        super().__init__()
        self.shape = (height, width, channels)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        return features.view(len(features), *self.shape).permute(0, 3, 1, 2)


def _conv_transpose(
    in_channels: int, out_channels: int, stride: int
) -> nn.ConvTranspose2d:
    return FastConvTranspose2d(
        in_channels,
        out_channels,
        kernel_size=3,
        stride=stride,
        padding=1,
        output_padding=stride - 1,
    )


class _ConvTransposeFunction(torch.autograd.Function):
    """A transposed convolution whose gradients are computed as plain convolutions.

    The transposed convolution is the adjoint of conv2d with the same weight,
    stride and padding. So the input gradient is conv2d(grad, weight), and the
    weight gradient is conv2d's weight gradient with input and output swapped.
    """

    @staticmethod
    def forward(ctx, inputs, weight, bias, stride, padding, output_padding):
        ctx.save_for_backward(inputs, weight)
        ctx.stride, ctx.padding = stride, padding
        return F.conv_transpose2d(inputs, weight, bias, stride, padding, output_padding)

    @staticmethod
    def backward(ctx, grad_output):
        inputs, weight = ctx.saved_tensors
        grad_inputs = grad_weight = grad_bias = None
        if ctx.needs_input_grad[0]:
            grad_inputs = F.conv2d(grad_output, weight, None, ctx.stride, ctx.padding)
        if ctx.needs_input_grad[1]:
            grad_weight = torch.nn.grad.conv2d_weight(
                grad_output, weight.shape, inputs, ctx.stride, ctx.padding
            )
        if ctx.needs_input_grad[2]:
            grad_bias = grad_output.sum((0, 2, 3))
        return grad_inputs, grad_weight, grad_bias, None, None, None


def _conv_transpose_by_product(
    inputs: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None,
    stride: tuple[int, int],
    padding: tuple[int, int],
    output_padding: tuple[int, int],
) -> torch.Tensor:
    """Compute F.conv_transpose2d (groups=1, dilation=1) as a matrix product and col2im.

    The product weight^T @ inputs^T gives, for every input pixel and kernel
    position, that pixel's contribution to each output channel. Adding these
    planes at their kernel offsets and cropping the padding gives the output.
    With channels-last inputs the pixels are already rows of `in_channels`
    floats, so the product reads the inputs once without a copy. oneDNN 3.12
    computes a transposed convolution with one output channel slowly, and
    only that case has been measured faster this way.
    """
    batch, in_channels, height, width = inputs.shape
    out_channels, kernel_height, kernel_width = weight.shape[1:]
    stride_height, stride_width = stride
    pad_height, pad_width = padding
    pixels = inputs.permute(0, 2, 3, 1).reshape(-1, in_channels)
    # One row per (output channel, kernel row, kernel column), one column per pixel.
    contributions = torch.mm(weight.reshape(in_channels, -1).t(), pixels.t())
    contributions = contributions.view(
        out_channels, kernel_height, kernel_width, batch, height, width
    )
    spread_height = (height - 1) * stride_height + 1
    spread_width = (width - 1) * stride_width + 1
    full = inputs.new_zeros(
        batch,
        out_channels,
        spread_height + kernel_height - 1 + output_padding[0],
        spread_width + kernel_width - 1 + output_padding[1],
    )
    for row in range(kernel_height):
        for column in range(kernel_width):
            target = full[
                :,
                :,
                row : row + spread_height : stride_height,
                column : column + spread_width : stride_width,
            ]
            target += contributions[:, row, column].transpose(0, 1)
    outputs = full[
        :,
        :,
        pad_height : full.shape[2] - pad_height,
        pad_width : full.shape[3] - pad_width,
    ]
    if bias is None:
        return outputs.contiguous()
    return outputs + bias.view(1, -1, 1, 1)


class _SingleChannelConvTransposeFunction(torch.autograd.Function):
    """A stride-1 transposed convolution whose forward pass is a matrix product.

    The backward pass is PyTorch's own.
    """

    @staticmethod
    def forward(ctx, inputs, weight, bias, padding):
        ctx.save_for_backward(inputs, weight)
        ctx.padding = padding
        return _conv_transpose_by_product(inputs, weight, bias, (1, 1), padding, (0, 0))

    @staticmethod
    def backward(ctx, grad_output):
        inputs, weight = ctx.saved_tensors
        bias_sizes = [weight.shape[1]] if ctx.needs_input_grad[2] else None
        grad_inputs, grad_weight, grad_bias = torch.ops.aten.convolution_backward(
            grad_output,
            inputs,
            weight,
            bias_sizes,
            [1, 1],
            list(ctx.padding),
            [1, 1],
            True,
            [0, 0],
            1,
            list(ctx.needs_input_grad[:3]),
        )
        return grad_inputs, grad_weight, grad_bias, None


class FastConvTranspose2d(nn.ConvTranspose2d):
    """nn.ConvTranspose2d with faster CPU kernels for the cases of this GAN.

    At strides above 1 the backward pass runs as plain convolutions. At
    stride 1 with one output channel the forward pass is a matrix product
    followed by col2im. Other devices and other cases use the built-in layer.
    Only groups=1 and dilation=1 are supported.

    NOTE: Measured with PyTorch 2.14 (oneDNN 3.12) on a 2-core AVX-512 CPU,
    per training step of this GAN at batch size 512: the stride-2 backward
    took 206 ms against 274 ms with the built-in one. The stride-1 forward
    of the last layer took 195 ms against 208 ms with the built-in one
    (medians of 5 interleaved rounds of 6 steps, load average 1.3 to 1.7).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.groups != 1 or self.dilation != (1, 1):
            raise ValueError(
                "FastConvTranspose2d supports only groups=1 and dilation=1."
            )

    def forward(
        self, inputs: torch.Tensor, output_size: list[int] | None = None
    ) -> torch.Tensor:
        if inputs.device.type != "cpu" or output_size is not None:
            return super().forward(inputs, output_size)
        if self.stride != (1, 1):
            return _ConvTransposeFunction.apply(
                inputs,
                self.weight,
                self.bias,
                self.stride,
                self.padding,
                self.output_padding,
            )
        fits_kernel = all(
            pad < size for pad, size in zip(self.padding, self.kernel_size, strict=True)
        )
        if self.out_channels == 1 and inputs.dim() == 4 and fits_kernel:
            return _SingleChannelConvTransposeFunction.apply(
                inputs, self.weight, self.bias, self.padding
            )
        return super().forward(inputs, output_size)


class _SingleChannelConvFunction(torch.autograd.Function):
    """A convolution of one-channel images whose input gradient is a matrix product.

    The input gradient of a convolution is the transposed convolution of the
    output gradient with the same weight, here with one output channel, so
    it runs through _conv_transpose_by_product. The forward pass and the
    weight and bias gradients are PyTorch's own.
    """

    @staticmethod
    def forward(ctx, inputs, weight, bias, stride, padding):
        ctx.save_for_backward(inputs, weight)
        ctx.stride, ctx.padding = stride, padding
        return F.conv2d(inputs, weight, bias, stride, padding)

    @staticmethod
    def backward(ctx, grad_output):
        inputs, weight = ctx.saved_tensors
        grad_inputs = grad_weight = grad_bias = None
        if ctx.needs_input_grad[0]:
            # The rows and columns that no kernel window reached get zero gradient.
            output_padding = tuple(
                size - ((grad_size - 1) * step - 2 * pad + kernel)
                for size, grad_size, step, pad, kernel in zip(
                    inputs.shape[2:],
                    grad_output.shape[2:],
                    ctx.stride,
                    ctx.padding,
                    weight.shape[2:],
                    strict=True,
                )
            )
            grad_inputs = _conv_transpose_by_product(
                grad_output, weight, None, ctx.stride, ctx.padding, output_padding
            )
        if ctx.needs_input_grad[1] or ctx.needs_input_grad[2]:
            bias_sizes = [weight.shape[0]] if ctx.needs_input_grad[2] else None
            _, grad_weight, grad_bias = torch.ops.aten.convolution_backward(
                grad_output,
                inputs,
                weight,
                bias_sizes,
                list(ctx.stride),
                list(ctx.padding),
                [1, 1],
                False,
                [0, 0],
                1,
                [False, ctx.needs_input_grad[1], ctx.needs_input_grad[2]],
            )
        return grad_inputs, grad_weight, grad_bias, None, None


class FastConv2d(nn.Conv2d):
    """nn.Conv2d with a faster input gradient on the CPU for one-channel images.

    Other devices, more input channels, string padding ("same", "valid"),
    padding modes other than zeros, groups and dilation use the built-in
    layer.

    NOTE: As the discriminator's first layer, it brought a training step of
    this GAN at batch size 512 from 202 ms to 195 ms. Measured with PyTorch
    2.14 (oneDNN 3.12) on a 2-core AVX-512 CPU: medians of 5 interleaved
    rounds of 6 steps, load average 1.3 to 1.7.
    """

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        if (
            inputs.device.type != "cpu"
            or inputs.dim() != 4
            or self.in_channels != 1
            or self.groups != 1
            or self.dilation != (1, 1)
            or self.padding_mode != "zeros"
            or isinstance(self.padding, str)
        ):
            return super().forward(inputs)
        return _SingleChannelConvFunction.apply(
            inputs, self.weight, self.bias, self.stride, self.padding
        )


def initialize_glorot(network: nn.Module, generator: torch.Generator | None) -> None:
    """Draw every kernel from Glorot's uniform distribution and set every bias to 0.

    These are Keras' defaults. The bound is sqrt(6 / (fan_in + fan_out)), where
    a convolution's fans count its kernel positions times its input or output
    channels.
    """
    with torch.no_grad():
        for module in network.modules():
            if not isinstance(module, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
                continue
            weight = module.weight
            receptive_field = math.prod(weight.shape[2:])
            fan_sum = (weight.shape[0] + weight.shape[1]) * receptive_field
            bound = math.sqrt(6.0 / fan_sum)
            weight.uniform_(-bound, bound, generator=generator)
            module.bias.zero_()


@dataclass(frozen=True)
class LayerRow:
    """One line of a model summary.

    `output_shape` leaves out the batch dimension. Image shapes are given as
    (height, width, channels), as Keras prints them, although the tensors
    themselves are NCHW.
    """

    name: str
    type: str
    activation: str | None
    output_shape: tuple[int, ...]
    parameters: int


def summarize_layers(
    network: nn.Sequential, input_shape: tuple[int, ...]
) -> list[LayerRow]:
    """List the layers of `network` by running one zero input through it.

    An activation module is folded into the row of the layer before it.
    """
    rows: list[LayerRow] = []
    values = torch.zeros((1, *input_shape))
    with torch.no_grad():
        for name, module in network.named_children():
            values = module(values)
            activation = _ACTIVATION_NAMES.get(type(module))
            if activation is not None and rows:
                rows[-1] = LayerRow(
                    name=rows[-1].name,
                    type=rows[-1].type,
                    activation=activation,
                    output_shape=rows[-1].output_shape,
                    parameters=rows[-1].parameters,
                )
                continue
            rows.append(
                LayerRow(
                    name=name,
                    type=_torch_class_name(module),
                    activation=None,
                    output_shape=_keras_shape(values.shape[1:]),
                    parameters=count_parameters(module),
                )
            )
    return rows


def _torch_class_name(module: nn.Module) -> str:
    """Name the torch.nn layer class a module is or extends, e.g. ConvTranspose2d.

    A module of this file that extends only nn.Module keeps its own name.
    """
    for cls in type(module).__mro__:
        if cls is nn.Module:
            break
        if cls.__module__.startswith("torch.nn."):
            return cls.__name__
    return type(module).__name__


def _keras_shape(shape: torch.Size) -> tuple[int, ...]:
    if len(shape) == 3:
        channels, height, width = shape
        return (height, width, channels)
    return tuple(shape)


def count_parameters(module: nn.Module) -> int:
    return sum(parameter.numel() for parameter in module.parameters())
