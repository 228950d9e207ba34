"""Build a scalar graph from an expression, then run its forward and backward pass."""

import math
from collections.abc import Mapping
from dataclasses import dataclass

from annlab.engines.backprop.expression import (
    Binary,
    Call,
    Expression,
    ExpressionError,
    Group,
    Name,
    Negate,
    Number,
    Power,
    Statement,
    parse_program,
)
from annlab.engines.backprop.value import (
    FUNCTIONS,
    LEAF_ROLES,
    OPERATIONS,
    DomainError,
    Node,
    compute,
    evaluate,
)

# A classroom graph fits on one screen well below this many nodes.
MAX_NODES = 200

_BINARY_OPERATIONS = {"+": "add", "-": "sub", "*": "mul", "/": "div"}


@dataclass(frozen=True)
class Leaf:
    """The value and role of a named leaf: "input", "target" or "trainable"."""

    value: float
    role: str = "input"


@dataclass(frozen=True)
class Contribution:
    """One chain-rule term of an input's gradient: `upstream_grad * local_grad`.

    `consumer.inputs[input_index]` is the node that receives the term.
    """

    consumer: Node
    input_index: int
    upstream_grad: float
    local_grad: float
    product: float


class Graph:
    """A built graph: nodes in creation order, the output, a topological order."""

    def __init__(self, source: str, nodes: list[Node], output: Node) -> None:
        self.source = source
        self.nodes = nodes
        self.output = output
        self.order = topological_order(output)

    @property
    def leaves(self) -> list[Node]:
        return [node for node in self.order if node.op is None]

    def forward(self) -> None:
        """Compute every operation node's data and local derivatives, inputs first."""
        for node in self.order:
            if node.op is None:
                continue
            try:
                compute(node)
            except DomainError as error:
                raise self._node_error(node, str(error)) from error

    def backward(self) -> dict[Node, list[Contribution]]:
        """Fill in `grad` = d output / d node for every node, by the chain rule.

        Returns each node's gradient terms in the order they were added, so a
        node used twice (a + a, x * x) lists both.
        """
        terms: dict[Node, list[Contribution]] = {node: [] for node in self.order}
        for node in self.order:
            node.grad = 0.0
        self.output.grad = 1.0

        # In reverse topological order every consumer of a node comes before
        # the node itself, so a node's gradient is complete when it is reached.
        for node in reversed(self.order):
            for index, (item, local_grad) in enumerate(
                zip(node.inputs, node.local_grads, strict=True)
            ):
                product = node.grad * local_grad
                item.grad += product
                terms[item].append(
                    Contribution(node, index, node.grad, local_grad, product)
                )

        for node in self.order:
            if not math.isfinite(node.grad):
                raise ExpressionError(
                    f"The gradient of the output with respect to {node.label} "
                    "is too large for a float.",
                    node.position,
                    self.source,
                    node=node.id,
                )
        return terms

    def _node_error(self, node: Node, reason: str) -> ExpressionError:
        return ExpressionError(
            f"Cannot compute {describe_node(node)} because {reason}.",
            node.position,
            self.source,
            node=node.id,
        )


def describe_node(node: Node) -> str:
    """Name a node for a message: "h1 = x1*w1 + b1", "1/(x - y)" or "w1"."""
    if node.text and node.text != node.label:
        return f"{node.label} = {node.text}"
    return node.label


def topological_order(output: Node) -> list[Node]:
    """List the nodes that `output` depends on, each after all of its inputs.

    An iterative depth-first search, so deep graphs do not hit the recursion
    limit. Shared nodes appear once.
    """
    order: list[Node] = []
    visited: set[int] = set()
    stack: list[tuple[Node, bool]] = [(output, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))
        for item in reversed(node.inputs):
            if id(item) not in visited:
                stack.append((item, False))
    return order


def build_graph(source: str, leaves: Mapping[str, Leaf]) -> Graph:
    """Parse `source`, build its graph with the given leaves and run the forward pass.

    The last statement's value is the output. Raises ExpressionError for bad
    syntax, an unknown name or function, a leaf that is missing or unused, or
    an assignment that is never used. It also raises for a value that is
    undefined at these leaf values, such as 1/0 or a fractional power of a
    negative number.
    """
    statements = parse_program(source)
    graph = _Builder(source, leaves).build(statements)
    graph.forward()
    return graph


class _Builder:
    def __init__(self, source: str, leaves: Mapping[str, Leaf]) -> None:
        self.source = source
        self.leaves = leaves
        self.nodes: list[Node] = []
        self.names: dict[str, Node] = {}
        self.used_names: set[str] = set()
        self.assigned_later: set[str] = set()

    def build(self, statements: list[Statement]) -> Graph:
        self.assigned_later = {item.target for item in statements if item.target}
        for index, statement in enumerate(statements):
            is_last = index == len(statements) - 1
            node = self.build_statement(statement, is_last)
        self.check_all_used(statements)
        if node.op is None:
            raise ExpressionError(
                f"The output is the leaf {node.label!r}. It must be computed by "
                "at least one operation.",
                statements[-1].value.start,
                self.source,
            )
        node.role = "loss"
        return Graph(self.source, self.nodes, node)

    def build_statement(self, statement: Statement, is_last: bool) -> Node:
        target = statement.target
        if target is None and not is_last:
            raise self.error(
                "This statement's value is never used. Assign it to a name "
                "that a later statement uses, or remove it.",
                statement.target_start,
            )
        if target is not None:
            self.check_assignable(target, statement.target_start)
            self.assigned_later.discard(target)
        num_nodes_before = len(self.nodes)
        node = self.build_expression(statement.value)
        if target is not None:
            # A node computed by this statement takes the name, but `h = x`
            # and `h = 2` only add another name for an existing node.
            if node.op is not None and node in self.nodes[num_nodes_before:]:
                node.label = target
            self.names[target] = node
        return node

    def check_assignable(self, target: str, position: int) -> None:
        if target in self.names:
            raise self.error(f"{target!r} is assigned twice.", position)
        if target in self.leaves:
            raise self.error(
                f"{target!r} is given as a leaf and also assigned.", position
            )
        if target in FUNCTIONS:
            raise self.error(
                f"{target!r} is a function and cannot be assigned.", position
            )

    def check_all_used(self, statements: list[Statement]) -> None:
        for statement in statements[:-1]:
            if statement.target not in self.used_names:
                raise self.error(
                    f"{statement.target!r} is assigned but never used.",
                    statement.target_start,
                )
        for name in self.leaves:
            if name not in self.used_names:
                raise ExpressionError(
                    f"Leaf {name!r} is not used in the expression. Remove it.",
                    field=f"leaves.{name}",
                )

    def build_expression(self, expression: Expression) -> Node:
        match expression:
            case Group(inner=inner):
                return self.build_expression(inner)
            case Number(value=value):
                return self.add_constant(value, expression)
            case Negate(operand=Number(value=value)):
                return self.add_constant(-value, expression)
            case Name(name=name):
                return self.resolve(name, expression.start)
            case Negate(operand=operand):
                return self.add_operation("neg", [operand], expression)
            case Binary(op=op, left=left, right=right):
                return self.add_operation(
                    _BINARY_OPERATIONS[op], [left, right], expression
                )
            case Power(base=base, exponent=exponent):
                value = self.constant_value(exponent)
                return self.add_operation("pow", [base], expression, exponent=value)
            case Call(function=function, arguments=arguments):
                self.check_call(function, len(arguments), expression.start)
                return self.add_operation(function, list(arguments), expression)
        raise TypeError(f"unexpected syntax node {expression!r}")

    def resolve(self, name: str, position: int) -> Node:
        self.used_names.add(name)
        if name in self.names:
            return self.names[name]
        if name in self.assigned_later:
            raise self.error(f"{name!r} is used before it is assigned.", position)
        if name in FUNCTIONS:
            raise self.error(
                f"{name!r} is a function. Call it with an argument, as in {name}(x).",
                position,
            )
        if name not in self.leaves:
            raise self.error(
                f"Unknown name {name!r}. Give it a value as a leaf, or assign it "
                "in an earlier statement.",
                position,
            )
        leaf = self.leaves[name]
        if leaf.role not in LEAF_ROLES:
            raise ExpressionError(
                f"Leaf {name!r} has the unknown role {leaf.role!r}. Use one of "
                + ", ".join(LEAF_ROLES)
                + ".",
                field=f"leaves.{name}",
            )
        node = self.add_node(Node(leaf.value, label=name, role=leaf.role), position)
        self.names[name] = node
        return node

    def check_call(self, function: str, num_arguments: int, position: int) -> None:
        if function not in FUNCTIONS:
            raise self.error(
                f"Unknown function {function!r}. The known functions are "
                + ", ".join(FUNCTIONS)
                + ".",
                position,
            )
        arity = OPERATIONS[function].arity
        if num_arguments != arity:
            plural = "argument" if arity == 1 else "arguments"
            raise self.error(
                f"{function} takes {arity} {plural}, got {num_arguments}.", position
            )

    def add_constant(self, value: float, expression: Expression) -> Node:
        node = Node(value, label=self.text(expression), role="constant")
        return self.add_node(node, expression.start)

    def add_operation(
        self,
        op: str,
        operands: list[Expression],
        expression: Expression,
        exponent: float | None = None,
    ) -> Node:
        inputs = tuple(self.build_expression(item) for item in operands)
        text = self.text(expression)
        node = Node(0.0, op=op, inputs=inputs, label=text, text=text, exponent=exponent)
        return self.add_node(node, expression.start)

    def add_node(self, node: Node, position: int) -> Node:
        if len(self.nodes) >= MAX_NODES:
            raise self.error(f"The graph has more than {MAX_NODES} nodes.", position)
        node.id = f"n{len(self.nodes)}"
        node.position = position
        self.nodes.append(node)
        return node

    def constant_value(self, expression: Expression) -> float:
        """Evaluate an exponent, which may use numbers and + - * / ^ only."""
        match expression:
            case Number(value=value):
                return value
            case Group(inner=inner):
                return self.constant_value(inner)
            case Negate(operand=operand):
                return -self.constant_value(operand)
            case Binary(op=op, left=left, right=right):
                values = (self.constant_value(left), self.constant_value(right))
                return self.fold(_BINARY_OPERATIONS[op], values, None, expression)
            case Power(base=base, exponent=exponent):
                values = (self.constant_value(base),)
                power = self.constant_value(exponent)
                return self.fold("pow", values, power, expression)
        raise self.error(
            f"The exponent must be a constant number, but {self.text(expression)!r} "
            "is not. Only powers by a constant are supported.",
            expression.start,
        )

    def fold(
        self,
        op: str,
        values: tuple[float, ...],
        exponent: float | None,
        expression: Expression,
    ) -> float:
        try:
            value = evaluate(op, values, exponent)
        except DomainError as error:
            raise self.error(
                f"The exponent is invalid because {error}.", expression.start
            ) from error
        if not math.isfinite(value):
            raise self.error("The exponent is too large for a float.", expression.start)
        return value

    def text(self, expression: Expression) -> str:
        return " ".join(self.source[expression.start : expression.end].split())

    def error(self, reason: str, position: int) -> ExpressionError:
        return ExpressionError(reason, position, self.source)
