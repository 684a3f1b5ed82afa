"""A generic, EDL-free batch function for the campaign tests: runs seeded by index, a little slow.

Run as a script (``python _campaign_task.py OUT N_RUNS CHUNK SEED DELAY_S``) it runs that campaign in its own
process, for the tests that kill it with SIGKILL."""

import sys
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


if __name__ == "__main__":
    from areo.campaign import compute_campaign

    out, n_runs, chunk, seed, delay_s = sys.argv[1:6]
    task = SeededTask(int(seed), float(delay_s))
    compute_campaign(task, int(n_runs), int(chunk), out, fingerprint={"seed": int(seed)})
