"""A scalar autograd engine that records backpropagation one node at a time.

Limitations: scalars only, and powers by a constant exponent only (x^2 is
supported, x^y is not). Every value and gradient must be a finite float;
anything else is rejected with an ExpressionError naming the node.
"""

from annlab.engines.backprop.expression import (
    ExpressionError,
    free_and_assigned_names,
    parse_program,
)
from annlab.engines.backprop.graph import Leaf, build_graph
from annlab.engines.backprop.trace import (
    DEFAULT_EXPRESSION,
    DEFAULT_LEARNING_RATE,
    DEFAULT_LEAVES,
    Trace,
    trace_expression,
)

__all__ = [
    "DEFAULT_EXPRESSION",
    "DEFAULT_LEARNING_RATE",
    "DEFAULT_LEAVES",
    "ExpressionError",
    "Leaf",
    "Trace",
    "build_graph",
    "free_and_assigned_names",
    "parse_program",
    "trace_expression",
]
