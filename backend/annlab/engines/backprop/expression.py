"""A small expression language for scalar graphs, parsed without eval.

A program is one or more statements separated by newlines or semicolons:

    h1 = x1*w1 + b1
    y_hat = h1*w2 + b2
    loss = (y_hat - y)^2

Grammar, from the loosest binding to the tightest:

    statement := NAME "=" sum | sum
    sum       := product (("+" | "-") product)*
    product   := unary (("*" | "/") unary)*
    unary     := ("-" | "+") unary | power
    power     := primary (("^" | "**") unary)?
    primary   := NUMBER | NAME | NAME "(" sum ("," sum)* ")" | "(" sum ")"

So `-x^2` is -(x^2), `2^-3` is 2^(-3) and `2^3^2` is 2^(3^2), as in
mathematics. Newlines inside parentheses are ignored. Every syntax error is an
ExpressionError with the character offset where it was found.
"""

import math
import re
from dataclasses import dataclass

# Both limits keep the recursive parser and graph builder well inside Python's
# default recursion limit of 1000 frames: a chain of operations such as
# a+a+...+a nests one syntax node per operation.
MAX_NESTING_DEPTH = 60
MAX_OPERATIONS = 150


class ExpressionError(ValueError):
    """An expression that cannot be parsed or evaluated.

    `position` is the 0-based character offset of the problem in the source,
    `field` the request field it concerns ("expression", or "leaves.<name>"),
    and `node` the id of the graph node where evaluation failed, if any.
    """

    def __init__(
        self,
        reason: str,
        position: int | None = None,
        source: str = "",
        field: str = "expression",
        node: str | None = None,
    ) -> None:
        self.reason = reason
        self.position = position
        self.field = field
        self.node = node
        self.line, self.column = _line_and_column(source, position)
        super().__init__(self._describe())

    def _describe(self) -> str:
        if self.position is None:
            return self.reason
        return f"{_locate(self.line, self.column).capitalize()}: {self.reason}"


def _line_and_column(
    source: str, position: int | None
) -> tuple[int | None, int | None]:
    """Return the 1-based line and column of a 0-based offset."""
    if position is None:
        return None, None
    before = source[:position]
    line = before.count("\n") + 1
    column = position - (before.rfind("\n") + 1) + 1
    return line, column


def _locate(line: int, column: int) -> str:
    return f"line {line}, column {column}"


@dataclass(frozen=True)
class Token:
    kind: str  # "number", "name", "op", "separator" or "end"
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


_TOKEN_PATTERN = re.compile(
    r"(?P<space>[ \t\r]+)"
    r"|(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|[-+*/^(),=])"
    r"|(?P<separator>[;\n])"
)


def tokenize(source: str) -> list[Token]:
    """Split `source` into tokens, skipping newlines inside parentheses."""
    tokens: list[Token] = []
    depth = 0
    position = 0
    while position < len(source):
        match = _TOKEN_PATTERN.match(source, position)
        if match is None:
            raise ExpressionError(
                f"Unexpected character {source[position]!r}.", position, source
            )
        kind, text = match.lastgroup, match.group()
        position = match.end()
        if kind == "space" or (kind == "separator" and text == "\n" and depth > 0):
            continue
        if text == "(":
            depth += 1
        elif text == ")":
            depth = max(0, depth - 1)
        tokens.append(Token(kind, text, match.start()))
    tokens.append(Token("end", "", len(source)))
    return tokens


# Syntax tree. `start` and `end` delimit the node's own text in the source;
# a parenthesised expression is a Group whose span includes the parentheses.


@dataclass(frozen=True)
class Number:
    value: float
    start: int
    end: int


@dataclass(frozen=True)
class Name:
    name: str
    start: int
    end: int


@dataclass(frozen=True)
class Negate:
    operand: "Expression"
    start: int
    end: int


@dataclass(frozen=True)
class Binary:
    op: str  # one of + - * /
    left: "Expression"
    right: "Expression"
    start: int
    end: int


@dataclass(frozen=True)
class Power:
    base: "Expression"
    exponent: "Expression"
    start: int
    end: int


@dataclass(frozen=True)
class Call:
    function: str
    arguments: tuple["Expression", ...]
    start: int
    end: int


@dataclass(frozen=True)
class Group:
    inner: "Expression"
    start: int
    end: int


Expression = Number | Name | Negate | Binary | Power | Call | Group


@dataclass(frozen=True)
class Statement:
    """`target = value`, or a bare expression when `target` is None."""

    target: str | None
    target_start: int
    value: Expression


def parse_program(source: str) -> list[Statement]:
    """Parse `source` into statements, or raise ExpressionError on bad syntax."""
    return _Parser(source).parse_program()


class _Parser:
    """Recursive descent over the token list, one method per grammar rule."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = tokenize(source)
        self.index = 0
        self.depth = 0
        self.num_operations = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def error(self, reason: str, token: Token | None = None) -> ExpressionError:
        token = token or self.current
        return ExpressionError(reason, token.start, self.source)

    def count_operation(self, token: Token) -> None:
        self.num_operations += 1
        if self.num_operations > MAX_OPERATIONS:
            raise self.error(
                f"The expression has more than {MAX_OPERATIONS} operations.", token
            )

    def describe(self, token: Token) -> str:
        if token.kind == "end":
            return "the end of the expression"
        if token.text == "\n":
            return "the end of the line"
        return repr(token.text)

    def parse_program(self) -> list[Statement]:
        statements = []
        while True:
            while self.current.kind == "separator":
                self.advance()
            if self.current.kind == "end":
                break
            statements.append(self.parse_statement())
            if self.current.kind not in ("separator", "end"):
                raise self.error(
                    f"Expected an operator or the end of the statement, "
                    f"found {self.describe(self.current)}."
                )
        if not statements:
            raise ExpressionError("The expression is empty.", 0, self.source)
        return statements

    def parse_statement(self) -> Statement:
        following = self.tokens[self.index + 1]
        if self.current.kind == "name" and following.text == "=":
            target = self.advance()
            self.advance()
            return Statement(target.text, target.start, self.parse_sum())
        return Statement(None, self.current.start, self.parse_sum())

    def parse_sum(self) -> Expression:
        left = self.parse_product()
        while self.current.text in ("+", "-"):
            self.count_operation(self.current)
            op = self.advance().text
            right = self.parse_product()
            left = Binary(op, left, right, left.start, right.end)
        return left

    def parse_product(self) -> Expression:
        left = self.parse_unary()
        while self.current.text in ("*", "/"):
            self.count_operation(self.current)
            op = self.advance().text
            right = self.parse_unary()
            left = Binary(op, left, right, left.start, right.end)
        return left

    def parse_unary(self) -> Expression:
        self.depth += 1
        if self.depth > MAX_NESTING_DEPTH:
            raise self.error(
                f"The expression is nested more than {MAX_NESTING_DEPTH} levels deep."
            )
        if self.current.text in ("-", "+"):
            sign = self.advance()
            if sign.text == "-":
                self.count_operation(sign)
            operand = self.parse_unary()
            result = (
                operand
                if sign.text == "+"
                else Negate(operand, sign.start, operand.end)
            )
        else:
            result = self.parse_power()
        self.depth -= 1
        return result

    def parse_power(self) -> Expression:
        base = self.parse_primary()
        if self.current.text not in ("^", "**"):
            return base
        self.count_operation(self.current)
        self.advance()
        exponent = self.parse_unary()
        return Power(base, exponent, base.start, exponent.end)

    def parse_primary(self) -> Expression:
        token = self.current
        if token.kind == "number":
            value = float(token.text)
            if not math.isfinite(value):
                raise self.error(f"The number {token.text} is too large for a float.")
            self.advance()
            return Number(value, token.start, token.end)
        if token.kind == "name":
            self.advance()
            if self.current.text == "(":
                return self.parse_call(token)
            return Name(token.text, token.start, token.end)
        if token.text == "(":
            self.advance()
            inner = self.parse_sum()
            closing = self.expect_closing(token)
            return Group(inner, token.start, closing.end)
        raise self.error(
            f"Expected a number, a name or '(', found {self.describe(token)}."
        )

    def parse_call(self, name: Token) -> Call:
        self.count_operation(name)
        opening = self.advance()
        arguments = [self.parse_sum()]
        while self.current.text == ",":
            self.advance()
            arguments.append(self.parse_sum())
        closing = self.expect_closing(opening)
        return Call(name.text, tuple(arguments), name.start, closing.end)

    def expect_closing(self, opening: Token) -> Token:
        if self.current.text != ")":
            where = _locate(*_line_and_column(self.source, opening.start))
            raise self.error(
                f"Expected ')' to close the '(' at {where}, "
                f"found {self.describe(self.current)}."
            )
        return self.advance()


def free_and_assigned_names(statements: list[Statement]) -> tuple[list[str], list[str]]:
    """Return the names used before any assignment (the leaves) and the assigned names.

    Both lists are in order of first appearance. Function names in calls are
    not names.
    """
    free: list[str] = []
    assigned: list[str] = []
    for statement in statements:
        for name in _names_in(statement.value):
            if name not in assigned and name not in free:
                free.append(name)
        if statement.target and statement.target not in assigned:
            assigned.append(statement.target)
    return free, assigned


def _names_in(expression: Expression) -> list[str]:
    match expression:
        case Name(name=name):
            return [name]
        case Negate(operand=operand) | Group(inner=operand):
            return _names_in(operand)
        case Binary(left=left, right=right):
            return _names_in(left) + _names_in(right)
        case Power(base=base, exponent=exponent):
            return _names_in(base) + _names_in(exponent)
        case Call(arguments=arguments):
            return [name for item in arguments for name in _names_in(item)]
    return []
