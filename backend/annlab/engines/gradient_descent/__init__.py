"""A small fully connected network fitted to y = x + 0.5 x^2 by gradient descent.

`data` draws the data set, `network` contains the model with its forward and
backward passes written out in numpy, and `training` runs gradient descent and
yields one frame per epoch, or per step while the run blows up.
"""

from annlab.engines.gradient_descent.data import (
    NOISE_STD,
    NUM_POINTS,
    X_MAX,
    X_MIN,
    Dataset,
    make_dataset,
    target_function,
)
from annlab.engines.gradient_descent.network import (
    Layer,
    backward,
    count_parameters,
    forward,
    init_layers,
    layer_sizes,
    mse_loss,
    predict,
)
from annlab.engines.gradient_descent.training import (
    BATCH_SIZE,
    GRID_SIZE,
    Divergence,
    Frame,
    Run,
    curve_grid,
    prepare_run,
    summarize,
    train,
)

__all__ = [
    "BATCH_SIZE",
    "GRID_SIZE",
    "NOISE_STD",
    "NUM_POINTS",
    "X_MAX",
    "X_MIN",
    "Dataset",
    "Divergence",
    "Frame",
    "Layer",
    "Run",
    "backward",
    "count_parameters",
    "curve_grid",
    "forward",
    "init_layers",
    "layer_sizes",
    "make_dataset",
    "mse_loss",
    "predict",
    "prepare_run",
    "summarize",
    "target_function",
    "train",
]
