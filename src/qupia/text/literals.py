"""What a regex's matches must start with or contain, read off Python's own regex parse tree
(``re._parser``): the literal anchors and needles that let a matcher try a pattern only where
it can match."""

from __future__ import annotations


def starts_with_digit(pattern: str) -> bool:
    """Whether every match of *pattern* starts with a digit (``\\d``, ``[0-9]``), read off
    Python's regex parse tree; assertions before it (``\\b``) are passed over."""
    from re import _constants as c
    from re import _parser as parser

    def first(seq: list) -> bool:
        for op, av in seq:
            if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
                continue
            if op is c.IN:
                return all((kind is c.CATEGORY and value is c.CATEGORY_DIGIT)
                           or (kind is c.RANGE and 48 <= value[0] <= value[1] <= 57)
                           or (kind is c.LITERAL and chr(value).isdigit())
                           for kind, value in av)
            if op is c.LITERAL:
                return chr(av).isdigit()
            if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                return av[0] >= 1 and first(list(av[2]))
            if op is c.SUBPATTERN:
                return first(list(av[-1]))
            if op is c.BRANCH:
                return all(first(list(branch)) for branch in av[1])
            return False
        return False

    try:
        return first(list(parser.parse(pattern)))
    except Exception:
        return False


def literal_prefixes(pattern: str, limit: int = 64) -> set[str] | None:
    """Literal strings one of which every match of *pattern* starts with (at least two
    characters each), or None when the pattern can start otherwise (with ``\\d``, ``\\w``…).

    Read off Python's own regex parse tree (``re._parser``): literals, small character classes
    and alternations are followed; anything else ends the prefix.
    """
    from re import _constants as c
    from re import _parser as parser

    def walk(seq: list) -> tuple[set[str], bool]:  # (prefixes, may continue after)
        out = {""}
        for op, av in seq:
            if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
                continue
            if op is c.LITERAL:
                out = {p + chr(av) for p in out}
                continue
            if op is c.IN and all(kind is c.LITERAL for kind, _ in av) and len(av) <= 4:
                out = {p + chr(v) for p in out for _, v in av}
            elif op is c.SUBPATTERN:
                sub, whole = walk(list(av[-1]))
                out = {p + q for p in out for q in sub}
                if whole:
                    continue
                return out, False
            elif op is c.BRANCH:
                sub = set()
                for branch in av[1]:
                    sub |= walk(list(branch))[0]
                return {p + q for p in out for q in sub}, False
            else:
                return out, False
            if len(out) > limit:
                return out, False
        return out, True

    try:
        found, _ = walk(list(parser.parse(pattern)))
    except Exception:  # an unusual construct: search for the cue everywhere
        return None
    if not found or len(found) > limit or any(len(p) < 2 for p in found):
        return None
    return found


def required_literals(pattern: str, shortest: int = 3) -> set[str] | None:
    """Literal strings one of which every match of *pattern* contains (each at least
    *shortest* characters, or a symbol such as "°" or "+"), or None when no such set can be
    read off the parse tree."""
    from re import _constants as c
    from re import _parser as parser

    def seq_literals(seq: list) -> set[str] | None:
        best: set[str] | None = None
        run = ""

        def consider(candidate: set[str] | None) -> None:
            nonlocal best
            if candidate and all(len(x) >= shortest or _rare(x) for x in candidate) and (
                best is None or min(map(len, candidate)) > min(map(len, best))
            ):
                best = candidate

        for op, av in seq:
            if op is c.LITERAL:
                run += chr(av)
                continue
            consider({run} if run else None)
            run = ""
            if op is c.SUBPATTERN:
                consider(seq_literals(list(av[-1])))
            elif op is c.BRANCH:
                parts = [seq_literals(list(branch)) for branch in av[1]]
                if all(parts):
                    consider(set().union(*parts))  # type: ignore[arg-type]
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
                consider(seq_literals(list(av[2])))
        consider({run} if run else None)
        return best

    try:
        return seq_literals(list(parser.parse(pattern)))
    except Exception:
        return None


def _rare(literal: str) -> bool:
    """A literal made of uncommon symbols only ("°", "+", "№"): rare enough to look for."""
    return bool(literal) and not any(ch.isalnum() or ch.isspace() or ch in _COMMON
                                     for ch in literal)


_COMMON = set(".,;:-/()\"'!?")
