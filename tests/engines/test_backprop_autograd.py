"""Values and gradients agree with torch.autograd on random expressions.

Each random program assigns a few intermediate names and reuses names and
intermediates freely, so shared sub-expressions and repeated leaves are
common. The same program is built as text for our parser and as a torch
function, so the torch side never goes through our parser.
"""

import random

import pytest
import torch
from annlab.engines.backprop import Leaf, build_graph, trace_expression

LEAF_NAMES = ["a", "b", "c", "d"]
RELATIVE_TOLERANCE = 1e-9
ABSOLUTE_TOLERANCE = 1e-12


def random_term(rng, names, depth):
    """Return (text, torch function of an environment) for a random expression.

    Divisions and negative or fractional powers only take bases that are kept
    away from zero and negatives, so every generated expression is defined.
    """
    if depth == 0 or rng.random() < 0.2:
        if rng.random() < 0.15:
            number = rng.choice([0.5, 2.0, 3.0])
            return f"{number}", lambda env, number=number: torch.tensor(
                number, dtype=torch.float64
            )
        name = rng.choice(names)
        return name, lambda env, name=name: env[name]

    left_text, left = random_term(rng, names, depth - 1)
    right_text, right = random_term(rng, names, depth - 1)
    choice = rng.randrange(12)
    if choice == 0:
        return f"({left_text} + {right_text})", lambda env: left(env) + right(env)
    if choice == 1:
        return f"({left_text} - {right_text})", lambda env: left(env) - right(env)
    if choice == 2:
        return f"({left_text} * {right_text})", lambda env: left(env) * right(env)
    if choice == 3:
        return (
            f"({left_text} / (({right_text})^2 + 1))",
            lambda env: left(env) / (right(env) ** 2 + 1),
        )
    if choice == 4:
        return f"({left_text})^2", lambda env: left(env) ** 2
    if choice == 5:
        return (
            f"(sigmoid({left_text}) + 0.5)^(-1.5)",
            lambda env: (torch.sigmoid(left(env)) + 0.5) ** -1.5,
        )
    if choice == 6:
        return f"relu({left_text})", lambda env: torch.relu(left(env))
    if choice == 7:
        return f"sigmoid({left_text})", lambda env: torch.sigmoid(left(env))
    if choice == 8:
        return f"tanh({left_text})", lambda env: torch.tanh(left(env))
    if choice == 9:
        return f"-{left_text}", lambda env: -left(env)
    if choice == 10:
        return (
            f"squared_error({left_text}, {right_text})",
            lambda env: (left(env) - right(env)) ** 2,
        )
    # A negative base (at most -1) with a negative integer exponent.
    return (
        f"((-({left_text})^2 - 1)^(-3) + ({right_text})^3)",
        lambda env: (-(left(env) ** 2) - 1) ** -3 + right(env) ** 3,
    )


def random_program(seed):
    """Return (source, leaf values, torch function) for a random program."""
    rng = random.Random(seed)
    names = list(LEAF_NAMES)
    statements = []
    steps = []
    for index in range(rng.randint(1, 3)):
        text, function = random_term(rng, names, rng.randint(1, 3))
        target = f"h{index}"
        statements.append(f"{target} = {text}")
        steps.append((target, function))
        names.append(target)
    # The output uses every intermediate, so none is left unused.
    intermediates = [target for target, _ in steps]
    text, function = random_term(rng, names, 2)
    statements.append(f"loss = {text} + " + " + ".join(intermediates))

    def evaluate(env):
        env = dict(env)
        for target, step in steps:
            env[target] = step(env)
        return function(env) + sum(env[target] for target in intermediates)

    return "\n".join(statements), evaluate, rng


def used_leaves(source):
    from annlab.engines.backprop import free_and_assigned_names, parse_program

    leaves, _ = free_and_assigned_names(parse_program(source))
    return leaves


@pytest.mark.parametrize("seed", range(60))
def test_random_expression_matches_autograd(seed):
    source, evaluate, rng = random_program(seed)
    names = used_leaves(source)
    values = {name: rng.uniform(-2.0, 2.0) for name in names}

    graph = build_graph(
        source, {name: Leaf(value, "trainable") for name, value in values.items()}
    )
    graph.backward()
    ours = {node.label: node.grad for node in graph.leaves if node.role == "trainable"}

    tensors = {
        name: torch.tensor(value, dtype=torch.float64, requires_grad=True)
        for name, value in values.items()
    }
    output = evaluate(tensors)
    output.backward()

    assert graph.output.data == pytest.approx(
        output.item(), rel=RELATIVE_TOLERANCE, abs=ABSOLUTE_TOLERANCE
    ), source
    for name in names:
        assert ours[name] == pytest.approx(
            tensors[name].grad.item(), rel=RELATIVE_TOLERANCE, abs=ABSOLUTE_TOLERANCE
        ), f"d loss / d {name} in\n{source}"


def test_shared_subexpression_matches_autograd():
    source = "h = tanh(a*b) + a\ng = h*h - h/(b^2 + 1)\nloss = relu(g) + sigmoid(g)*h"
    values = {"a": 0.8, "b": -1.3}
    trace = trace_expression(
        source, {name: Leaf(value, "trainable") for name, value in values.items()}, None
    )

    a = torch.tensor(values["a"], dtype=torch.float64, requires_grad=True)
    b = torch.tensor(values["b"], dtype=torch.float64, requires_grad=True)
    h = torch.tanh(a * b) + a
    g = h * h - h / (b**2 + 1)
    loss = torch.relu(g) + torch.sigmoid(g) * h
    loss.backward()

    assert trace.loss == pytest.approx(loss.item(), rel=RELATIVE_TOLERANCE)
    assert trace.gradients["a"] == pytest.approx(a.grad.item(), rel=RELATIVE_TOLERANCE)
    assert trace.gradients["b"] == pytest.approx(b.grad.item(), rel=RELATIVE_TOLERANCE)


def test_random_programs_reuse_names():
    """Guard that the generator really produces shared nodes."""
    reused = 0
    for seed in range(60):
        source, _, _ = random_program(seed)
        graph = build_graph(
            source, {name: Leaf(0.5, "trainable") for name in used_leaves(source)}
        )
        consumers = {}
        for node in graph.order:
            for item in node.inputs:
                consumers[item.id] = consumers.get(item.id, 0) + 1
        if any(count > 1 for count in consumers.values()):
            reused += 1
    assert reused >= 40
