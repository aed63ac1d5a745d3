"""The registry behind ``manage.py demo``: each app adds fictional data for its own part.

A step is ``(order, name, function)``; functions take a :class:`DemoContext` and may read what
earlier steps put into it (``ctx.users``, ``ctx.organisations``...).
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class DemoContext:
    rng: random.Random
    progress: Callable[[str], None]
    data: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.data[name]
        except KeyError:
            raise AttributeError(name) from None


_STEPS: list[tuple[int, str, Callable[[DemoContext], None]]] = []


def step(order: int, name: str):
    def register(fn):
        _STEPS.append((order, name, fn))
        return fn

    return register


def steps():
    return sorted(_STEPS, key=lambda s: s[0])
