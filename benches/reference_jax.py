#!/usr/bin/env python3
"""jax.jit against Steepest at equal work: Adam on the digits MLP, side by side in one run.

The work: 200 Adam steps (lr 0.01, betas 0.9 / 0.999, eps 1e-8) on the digits-mlp preset's
network (64 inputs, 16 tanh units, 10 softmax outputs, L2 penalty 1e-4 on the weights: 1210
parameters), each step one gradient of the mean cross-entropy over a batch of 32 rows, from the
same start, on the same training rows, in the same batch order. No full-data loss is evaluated
in either. `cargo bench --bench network` writes the data, start, batches and its own end point to
target/bench-network/adam_digits_mlp16.json; this script runs that bench, then trains with jax in
float64 and checks that both reach the same point (so the work really is the same).

jax is timed two ways: the whole loop in one jit-compiled lax.scan (its best case), and a
jit-compiled step called from a Python loop (how training loops are usually written).

The script installs jax into a throwaway virtual environment (benches/.venv); it is never a
dependency of the project. Run: python3 benches/reference_jax.py
"""
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import venv

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VENV = os.path.join(HERE, ".venv")
PY = os.path.join(VENV, "bin", "python")
WORK = os.path.join(ROOT, "target", "bench-network", "adam_digits_mlp16.json")
BENCH = "adam_digits_mlp16/200 steps, batch 32 (the jax.jit comparison)"
REPEATS = 30


def ensure_venv():
    if os.path.abspath(sys.prefix) != os.path.abspath(VENV):
        if not os.path.exists(PY):
            venv.create(VENV, with_pip=True)
        os.execv(PY, [PY] + sys.argv)
    try:
        import jax  # noqa: F401
    except ImportError:
        print("installing jax into benches/.venv ...", flush=True)
        subprocess.check_call([PY, "-m", "pip", "install", "-q", "jax"])
        os.execv(PY, [PY] + sys.argv)


def steepest_seconds():
    """Runs the criterion bench (which also writes the work file); its median in seconds."""
    subprocess.check_call(["cargo", "bench", "-q", "--bench", "network", "--", "--exact", BENCH], cwd=ROOT)
    path = os.path.join(ROOT, "target", "criterion", *BENCH.split("/"), "new", "estimates.json")
    with open(path) as f:
        return json.load(f)["median"]["point_estimate"] * 1e-9


def median_time(fn):
    times = []
    for _ in range(REPEATS):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    ensure_venv()
    import jax

    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    import numpy as np

    ours = steepest_seconds()
    with open(WORK) as f:
        w = json.load(f)
    nf, nh, nc, l2 = w["features"], w["hidden"], w["classes"], w["l2"]
    lr, b1, b2, eps = w["lr"], w["beta1"], w["beta2"], w["eps"]
    x = jnp.asarray(np.array(w["x"]).reshape(-1, nf))
    y = jnp.asarray(np.array(w["y"]))
    w0 = jnp.asarray(np.array(w["w0"]))
    batches = jnp.asarray(np.array(w["batches"]))
    steps = batches.shape[0]
    # Steepest's layout: per layer W (outputs x inputs, row-major) then b.
    cut = np.cumsum([nh * nf, nh, nc * nh])

    def loss(p, rows):
        w1, c1, w2, c2 = (p[:cut[0]].reshape(nh, nf), p[cut[0]:cut[1]], p[cut[1]:cut[2]].reshape(nc, nh), p[cut[2]:])
        xb, yb = x[rows], y[rows]
        z = jnp.tanh(xb @ w1.T + c1) @ w2.T + c2
        ce = jax.nn.logsumexp(z, axis=1) - jnp.take_along_axis(z, yb[:, None], axis=1)[:, 0]
        return jnp.mean(ce) + 0.5 * l2 * (jnp.sum(w1 * w1) + jnp.sum(w2 * w2))

    grad = jax.grad(loss)

    def adam(state, t, rows):
        p, m, v = state
        g = grad(p, rows)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        u = (m / (1 - b1**t)) / (jnp.sqrt(v / (1 - b2**t)) + eps)
        return p - lr * u, m, v

    def scan_body(state, t_rows):
        return adam(state, *t_rows), None

    ts = jnp.arange(1, steps + 1, dtype=jnp.float64)
    zero = jnp.zeros_like(w0)
    scanned = jax.jit(lambda p0: jax.lax.scan(scan_body, (p0, zero, zero), (ts, batches))[0][0])
    step = jax.jit(adam)

    def python_loop():
        state = (w0, zero, zero)
        for t in range(steps):
            state = step(state, ts[t], batches[t])
        return state[0].block_until_ready()

    end = scanned(w0).block_until_ready()
    loop_end = python_loop()
    ref = np.array(w["w_end"])
    for name, e in [("lax.scan", end), ("Python loop", loop_end)]:
        dev = np.max(np.abs(np.array(e) - ref)) / np.max(np.abs(ref))
        print(f"end point, jax ({name}) against steepest: max |difference| / max |w| = {dev:.1e}")
        assert dev < 1e-9, "not the same work: the two trainings end at different points"
    t_scan = median_time(lambda: scanned(w0).block_until_ready())
    t_loop = median_time(python_loop)

    print(f"\nmachine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
          f"jax {jax.__version__} on {jax.devices()[0].platform}, float64")
    print(f"work: {steps} Adam steps, batch {batches.shape[1]}, {w0.shape[0]} parameters, no full-data loss")
    print(f"  steepest (criterion median)          {ours * 1e3:7.2f} ms")
    print(f"  jax.jit, whole loop in lax.scan      {t_scan * 1e3:7.2f} ms  (steepest / jax = {ours / t_scan:.2f})")
    print(f"  jax.jit step, Python loop            {t_loop * 1e3:7.2f} ms  (steepest / jax = {ours / t_loop:.2f})")


if __name__ == "__main__":
    main()
