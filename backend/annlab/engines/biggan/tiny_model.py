"""A small BigGAN with random weights, saved like a pretrained model folder.

It has the architecture of pytorch-pretrained-biggan's generator (class
embedding, conditional batch norm, self-attention), with 32x32 output and
about half a million parameters, so that tests and benchmarks exercise the
real loading and sampling code without downloading weights. Its images are
coloured noise that changes with the class, the seed and the truncation.
"""

from pathlib import Path

import numpy as np
import torch
from pytorch_pretrained_biggan import BigGAN, BigGANConfig
from pytorch_pretrained_biggan.model import BigGANBatchNorm
from pytorch_pretrained_biggan.utils import one_hot_from_int, truncated_noise_sample

from annlab.engines.biggan.model_files import CONFIG_NAME, WEIGHTS_NAME

POWER_ITERATIONS = 20
CALIBRATION_BATCH = 8


def tiny_config() -> BigGANConfig:
    """Return a 32x32 configuration: 4 channels per width unit, five blocks."""
    # Each layer is (upsample, input width, output width) in units of
    # channel_width. The first input must be 16 units wide, because the
    # generator reshapes its first linear layer to 4x4x(16 * channel_width),
    # and the last output 1 unit wide, the width of the final batch norm. A
    # block that changes the width must halve it, as its shortcut keeps half
    # of the input channels.
    return BigGANConfig(
        output_dim=32,
        z_dim=128,
        class_embed_dim=128,
        channel_width=4,
        num_classes=1000,
        layers=[
            (True, 16, 8),
            (True, 8, 4),
            (False, 4, 4),
            (True, 4, 2),
            (False, 2, 1),
        ],
        attention_layer_position=2,
    )


def _calibrate(model: BigGAN, seed: int) -> None:
    """Give random weights the statistics that trained weights have.

    Spectral normalization divides each weight by an estimate of its largest
    singular value. The estimate is only right after power iterations, which
    run on each forward pass in training mode. The package leaves the final
    batch norm's scale and shift uninitialized, so they are set to 1 and 0.
    Each batch norm's stored mean and variance for truncation i/50 are set to
    those of its input at that truncation, so activations keep unit scale
    through the network.
    """
    num_classes = model.config.num_classes
    rng = np.random.RandomState(seed)
    classes = torch.from_numpy(
        one_hot_from_int(
            list(rng.randint(0, num_classes, CALIBRATION_BATCH)), CALIBRATION_BATCH
        )
    )
    with torch.no_grad():
        model.generator.bn.weight.fill_(1.0)
        model.generator.bn.bias.zero_()

        model.train()
        noise = torch.from_numpy(
            truncated_noise_sample(2, model.config.z_dim, 0.5, seed=seed)
        )
        for _ in range(POWER_ITERATIONS):
            model(noise, classes[:2], 0.5)
        model.eval()

        def record_statistics(module: BigGANBatchNorm, args: tuple) -> None:
            inputs, truncation = args[0], args[1]
            slot = round(truncation / module.step_size)
            module.running_means[slot] = inputs.mean(dim=(0, 2, 3))
            module.running_vars[slot] = inputs.var(dim=(0, 2, 3))

        norms = [
            module for module in model.modules() if isinstance(module, BigGANBatchNorm)
        ]
        hooks = [
            module.register_forward_pre_hook(record_statistics) for module in norms
        ]
        try:
            slots = norms[0].running_means.shape[0]
            for slot in range(1, slots):
                truncation = slot / (slots - 1)
                noise = truncated_noise_sample(
                    CALIBRATION_BATCH, model.config.z_dim, truncation, seed=seed + slot
                )
                model(torch.from_numpy(noise), classes, truncation)
        finally:
            for hook in hooks:
                hook.remove()
        for module in norms:
            # Truncation 0 is never drawn, but interpolation reads slot 0 below 0.02.
            module.running_means[0] = module.running_means[1]
            module.running_vars[0] = module.running_vars[1]


def save_random_model(
    folder: Path, seed: int = 0, config: BigGANConfig | None = None
) -> Path:
    """Write config.json and pytorch_model.bin of a random, calibrated BigGAN."""
    config = config or tiny_config()
    torch.manual_seed(seed)
    model = BigGAN(config)
    # One thread: the calibration runs dozens of small forward passes, and
    # several threads spin-waiting on a busy machine made them 50 times slower.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        _calibrate(model, seed)
    finally:
        torch.set_num_threads(threads)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / CONFIG_NAME).write_text(config.to_json_string(), encoding="utf-8")
    torch.save(model.state_dict(), folder / WEIGHTS_NAME)
    return folder
