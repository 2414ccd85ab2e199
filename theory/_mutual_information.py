"""Mutual information, conditional mutual information, and the explaining-away term."""

from __future__ import annotations

from ._combination import Variables, as_variables, combine, evaluate


def mutual_information(joint, x: Variables, y: Variables, given: Variables = None, base: object = 2):
    """I(x; y | given) = H(x,g) + H(y,g) - H(x,y,g) - H(g).

    XOR: X and Y are independent, yet fully dependent once Z = X xor Y is known.

    >>> from theory import Joint
    >>> xor = Joint.from_weights([[[1, 0], [0, 1]], [[0, 1], [1, 0]]], names=("X", "Y", "Z"))
    >>> mutual_information(xor, "X", "Y"), mutual_information(xor, "X", "Y", given="Z")
    (0, 1)
    >>> mutual_information(xor, "X", ("Y", "Z"))
    1
    """
    xs = as_variables(joint, x, "x")
    ys = as_variables(joint, y, "y")
    gs = as_variables(joint, given, "given", allow_empty=True)
    return evaluate(joint, combine((1, xs | gs), (1, ys | gs), (-1, xs | ys | gs), (-1, gs)), base)


def explaining_away(joint, a: Variables = "A", c: Variables = "C", x: Variables = "X", base: object = 2):
    """The explaining-away term I(A; C | X): how much the class still tells about the
    augmentation once the input (or a representation, pass ``x="Z"``) is seen.

    A is drawn independently of C, so I(A;C) = 0; X is a collider, so conditioning on it
    makes them dependent. Six/nine: a "6" glyph rotated by 180 degrees is a "9".

    >>> from theory import Joint
    >>> # C in {six, nine}, A in {0, 180}; X = the glyph seen: six/0 and nine/180 look alike
    >>> J = Joint.from_weights([[[1, 0], [0, 1]], [[0, 1], [1, 0]]], names=("C", "A", "X"))
    >>> explaining_away(J)
    1
    """
    return mutual_information(joint, a, c, given=x, base=base)
