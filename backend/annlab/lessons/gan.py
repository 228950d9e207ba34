"""Turn GAN parameter models into trainer settings and the networks into summaries."""

from functools import cache

from torch import nn

from annlab.engines.gan.models import (
    IMAGE_CHANNELS,
    IMAGE_SIZE,
    LATENT_DIM,
    build_discriminator,
    build_generator,
    count_parameters,
    summarize_layers,
)
from annlab.engines.gan.trainer import TrainingConfig
from annlab.schemas.gan import GanArchitecture, GanParams, LayerInfo, NetworkSummary


def training_config(params: GanParams) -> TrainingConfig:
    return TrainingConfig(
        epochs=params.epochs,
        batch_size=params.batch_size,
        generator_learning_rate=params.generator_learning_rate,
        generator_beta1=params.generator_beta1,
        discriminator_learning_rate=params.discriminator_learning_rate,
        seed=params.seed,
        batches_per_epoch=params.batches_per_epoch,
        test_batches=params.test_batches,
    )


@cache
def build_architecture() -> GanArchitecture:
    """Summarize both networks layer by layer, with their parameter counts."""
    generator = _summarize(build_generator(), (LATENT_DIM,), [LATENT_DIM])
    image_shape = (IMAGE_CHANNELS, IMAGE_SIZE, IMAGE_SIZE)
    discriminator = _summarize(
        build_discriminator(), image_shape, [IMAGE_SIZE, IMAGE_SIZE, IMAGE_CHANNELS]
    )
    return GanArchitecture(
        latent_dim=LATENT_DIM,
        generator=generator,
        discriminator=discriminator,
        total_parameters=generator.total_parameters + discriminator.total_parameters,
    )


def _summarize(
    network: nn.Sequential, input_shape: tuple[int, ...], shown_input_shape: list[int]
) -> NetworkSummary:
    layers = [
        LayerInfo(
            name=row.name,
            type=row.type,
            activation=row.activation,
            output_shape=list(row.output_shape),
            parameters=row.parameters,
        )
        for row in summarize_layers(network, input_shape)
    ]
    return NetworkSummary(
        input_shape=shown_input_shape,
        layers=layers,
        total_parameters=count_parameters(network),
    )
