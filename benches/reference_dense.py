#!/usr/bin/env python3
"""numpy's figures for the dense kernels of benches/dense.rs, on this machine, in one run.

- eigenvalues: numpy.linalg.eigvalsh (LAPACK dsyevd) of a symmetric d x d matrix, d = 1210, 1960;
- GD steps: 1000 steps x <- x - lr (H x) at d = 1000, the loop in numpy (BLAS dgemv per step);
- generation: the rotated quadratic Q diag(lambda) Q^T at d = 2000, Q from numpy.linalg.qr of a
  Gaussian matrix (Householder QR, LAPACK dgeqrf + dorgqr).

Each figure is the median of a few repetitions, with BLAS on one thread (OPENBLAS_NUM_THREADS=1,
set below before numpy loads) and, for the eigenvalues, also on every core. numpy is not a
dependency of the project: `pip install numpy`, then python3 benches/reference_dense.py.
"""
import os
import subprocess
import sys
import time

CASES = ["eigvalsh 1210", "eigvalsh 1960", "gd 1000", "generate 2000"]


def median_time(fn, reps):
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    times.sort()
    return times[len(times) // 2]


def run(case):
    import numpy as np

    kind, d = case.split()
    d = int(d)
    rng = np.random.default_rng(1)
    if kind == "eigvalsh":
        a = rng.standard_normal((d, d))
        h = (a + a.T) / 2
        return median_time(lambda: np.linalg.eigvalsh(h), 5)
    if kind == "gd":
        a = rng.standard_normal((d, d))
        h = a @ a.T / d
        x0 = rng.standard_normal(d)

        def loop():
            x = x0.copy()
            for _ in range(1000):
                x -= 0.1 * (h @ x)
            return x

        return median_time(loop, 5)
    if kind == "generate":
        lam = np.geomspace(0.01, 100.0, d)

        def generate():
            q, _ = np.linalg.qr(rng.standard_normal((d, d)))
            return (q * lam) @ q.T

        return median_time(generate, 3)
    raise ValueError(case)


if __name__ == "__main__":
    if len(sys.argv) == 2:
        print(f"{run(sys.argv[1]):.4f}")
        sys.exit(0)
    for case in CASES:
        for threads in ["1", "all"] if case.startswith("eigvalsh") else ["1"]:
            env = dict(os.environ)
            if threads == "1":
                env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
            out = subprocess.run([sys.executable, __file__, case], env=env, capture_output=True, text=True, check=True)
            print(f"{case:16s} threads={threads:3s} {float(out.stdout):.4f} s")
