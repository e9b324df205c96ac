"""The draws the generator makes: weighted choices prepared once, chances, days and decimals as text."""

import random
from bisect import bisect
from datetime import timedelta


class Weighted:
    """A weighted choice over a dict's keys, prepared once (the generator draws millions)."""

    __slots__ = ("keys", "cumulative", "total")

    def __init__(self, weights: dict):
        self.keys = [k for k, w in weights.items() if w > 0]
        self.cumulative, running = [], 0.0
        for key in self.keys:
            running += weights[key]
            self.cumulative.append(running)
        self.total = running

    def pick(self, rng: random.Random):
        return self.keys[bisect(self.cumulative, rng.random() * self.total)]

    def sample(self, rng: random.Random, count: int, exclude=()) -> list:
        """Up to ``count`` different keys, heavier ones more often."""
        chosen: list = []
        count = min(count, len(self.keys) - len([key for key in exclude if key in self.keys]))
        while len(chosen) < count:
            key = self.pick(rng)
            if key not in chosen and key not in exclude:
                chosen.append(key)
        return chosen


_cache: dict[int, Weighted] = {}


def weighted(weights: dict) -> Weighted:
    # Only for module-level constants (the profiles): their identity is a stable cache key,
    # whereas a dict literal built per call may reuse the id of one already collected.
    found = _cache.get(id(weights))
    if found is None:
        found = _cache[id(weights)] = Weighted(weights)
    return found


def chance(rng: random.Random, p: float) -> bool:
    return rng.random() < p


def between(rng: random.Random, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high`` (randint without its checks: the generator draws millions)."""
    return low + int(rng.random() * (high - low + 1))


def some(rng: random.Random, items, count: int) -> list:
    """``count`` different items in random order (random.sample without its checks)."""
    pool = list(items)
    for i in range(count):
        j = i + int(rng.random() * (len(pool) - i))
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:count]


def ordered(codes, order: dict[str, int]) -> list:
    """A list of codes in the one order the services keep it in (the choices' or the vocabulary's)."""
    return sorted(codes, key=order.__getitem__)


def days(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(days=between(rng, low, high))


def decimal(value: float, places: int) -> str:
    return f"{value:.{places}f}"
