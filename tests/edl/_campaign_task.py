"""A generic, EDL-free batch function for the campaign tests: runs seeded by index, a little slow."""

import time

import numpy as np


class SeededTask:
    def __init__(self, seed: int, delay_s: float = 0.0):
        self.seed, self.delay_s = seed, delay_s
        self.calls = []

    def __call__(self, start: int, stop: int):
        self.calls.append((start, stop))
        time.sleep(self.delay_s)
        x = np.array([np.random.default_rng([self.seed, i]).normal() for i in range(start, stop)])
        return {"x": x, "y": np.sin(x) * np.arange(start, stop), "ok": (x > 0).astype(np.int8)}
