#!/usr/bin/env python3
"""jax.jit against Steepest at equal work: training the digits MLP as the page runs it.

The work: 200 Adam steps (lr 0.01, betas 0.9 / 0.999, eps 1e-8) on the digits-mlp preset's
network (64 inputs, 16 tanh units, 10 softmax outputs, L2 penalty 1e-4 on the weights: 1210
parameters), each step one gradient of the mean cross-entropy over a batch of 32 rows (its loss
recorded), from the same start, on the same training rows, in the same batch order; and at the
same 101 evaluation points (t = 0, 2, ..., 200) what a Steepest run measures there: the full
training loss and gradient, the gradient's l2, l1 and l_inf norms and density, the nuclear norms
of its two weight blocks (singular values), and the loss and accuracy on the training and the
test set. `cargo bench --bench network` times Steepest's real run path (`run_spec`) on that spec,
and writes the data, start, batches, evaluation points, its own end point and what its run
recorded to target/bench-network/adam_digits_mlp16.json; this script runs that bench, then
trains with jax in float64 and checks that both record the same losses and accuracies (so the
work really is the same).

jax is timed two ways: the whole run in one jit-compiled lax.scan with the evaluations under
lax.cond (its best case), and jit-compiled steps and evaluations called from a Python loop (how
training loops are usually written). The 200 steps alone are timed on both sides too.

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
BENCH = "adam_digits_mlp16/page run, 101 eval points (the jax.jit comparison)"
STEPS_ONLY = "adam_digits_mlp16/200 steps alone, batch 32"
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
    """Runs the criterion bench (which also writes the work file); its medians in seconds, for the
    run and for the steps alone."""
    subprocess.check_call(["cargo", "bench", "-q", "--bench", "network", "--", "adam_digits_mlp16/"], cwd=ROOT)

    def median(name):
        path = os.path.join(ROOT, "target", "criterion", *name.split("/"), "new", "estimates.json")
        with open(path) as f:
            return json.load(f)["median"]["point_estimate"] * 1e-9

    return median(BENCH), median(STEPS_ONLY)


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

    ours, ours_steps = steepest_seconds()
    with open(WORK) as f:
        w = json.load(f)
    nf, nh, nc, l2 = w["features"], w["hidden"], w["classes"], w["l2"]
    lr, b1, b2, eps = w["lr"], w["beta1"], w["beta2"], w["eps"]
    x = jnp.asarray(np.array(w["x"]).reshape(-1, nf))
    y = jnp.asarray(np.array(w["y"]))
    x_test = jnp.asarray(np.array(w["x_test"]).reshape(-1, nf))
    y_test = jnp.asarray(np.array(w["y_test"]))
    w0 = jnp.asarray(np.array(w["w0"]))
    d = w0.shape[0]
    batches = jnp.asarray(np.array(w["batches"]))
    steps = batches.shape[0]
    eval_t = w["eval_t"]
    is_eval = jnp.asarray(np.isin(np.arange(steps), eval_t))
    # Steepest's layout: per layer W (outputs x inputs, row-major) then b.
    cut = np.cumsum([nh * nf, nh, nc * nh])

    def layers(p):
        return p[:cut[0]].reshape(nh, nf), p[cut[0]:cut[1]], p[cut[1]:cut[2]].reshape(nc, nh), p[cut[2]:]

    def logits(p, xb):
        w1, c1, w2, c2 = layers(p)
        return jnp.tanh(xb @ w1.T + c1) @ w2.T + c2

    def cross_entropy(z, yb):
        return jax.nn.logsumexp(z, axis=1) - jnp.take_along_axis(z, yb[:, None], axis=1)[:, 0]

    def penalty(p):
        w1, _, w2, _ = layers(p)
        return 0.5 * l2 * (jnp.sum(w1 * w1) + jnp.sum(w2 * w2))

    def loss(p, xb, yb):
        return jnp.mean(cross_entropy(logits(p, xb), yb)) + penalty(p)

    batch_value_and_grad = jax.value_and_grad(lambda p, rows: loss(p, x[rows], y[rows]))
    full_value_and_grad = jax.value_and_grad(lambda p: loss(p, x, y))

    def loss_and_accuracy(p, xs, ys):
        z = logits(p, xs)
        return jnp.mean(cross_entropy(z, ys)), jnp.mean((jnp.argmax(z, axis=1) == ys).astype(z.dtype))

    def evaluate(p):
        """What a Steepest run measures at an evaluation point."""
        f, g = full_value_and_grad(p)
        n2, n1, ninf = jnp.linalg.norm(g), jnp.sum(jnp.abs(g)), jnp.max(jnp.abs(g))
        gw1, _, gw2, _ = layers(g)
        nuclear = jnp.sum(jnp.linalg.svd(gw1, compute_uv=False)) + jnp.sum(jnp.linalg.svd(gw2, compute_uv=False))
        train = loss_and_accuracy(p, x, y)
        test = loss_and_accuracy(p, x_test, y_test)
        return jnp.stack([f, n2, n1, ninf, n1 * n1 / (d * n2 * n2), nuclear, *train, *test])

    def adam(state, t, rows):
        p, m, v = state
        fb, g = batch_value_and_grad(p, rows)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        u = (m / (1 - b1**t)) / (jnp.sqrt(v / (1 - b2**t)) + eps)
        return (p - lr * u, m, v), fb

    def scan_body(state, t_rows_eval):
        t, rows, ev = t_rows_eval
        record = jax.lax.cond(ev, evaluate, lambda p: jnp.zeros(10, dtype=p.dtype), state[0])
        state, fb = adam(state, t, rows)
        return state, (record, fb)

    ts = jnp.arange(1, steps + 1, dtype=jnp.float64)
    zero = jnp.zeros_like(w0)

    def whole_run(p0):
        (p, _, _), (records, fbs) = jax.lax.scan(scan_body, (p0, zero, zero), (ts, batches, is_eval))
        return p, records, fbs, evaluate(p)

    scanned = jax.jit(whole_run)
    steps_alone = jax.jit(lambda p0: jax.lax.scan(lambda s, tr: adam(s, *tr), (p0, zero, zero), (ts, batches))[0][0])
    step = jax.jit(adam)
    evaluate_jit = jax.jit(evaluate)

    def python_loop():
        state = (w0, zero, zero)
        records, fbs = [], []
        for t in range(steps):
            if t in eval_t:
                records.append(evaluate_jit(state[0]))
            state, fb = step(state, ts[t], batches[t])
            fbs.append(fb)
        records.append(evaluate_jit(state[0]))
        return state[0].block_until_ready(), records, fbs

    def block(out):
        return jax.tree_util.tree_map(lambda a: a.block_until_ready(), out)

    end, records, fbs, last = block(scanned(w0))
    f = np.concatenate([np.array(records)[np.array(eval_t[:-1])][:, 0], [float(last[0])]])
    test_acc = np.concatenate([np.array(records)[np.array(eval_t[:-1])][:, 9], [float(last[9])]])
    loop_end, loop_records, loop_fbs = python_loop()
    ref = np.array(w["w_end"])
    rel = lambda a, b: np.max(np.abs(np.array(a) - np.array(b)) / np.maximum(np.abs(np.array(b)), 1e-300))
    for name, e in [("lax.scan", end), ("Python loop", loop_end)]:
        dev = np.max(np.abs(np.array(e) - ref)) / np.max(np.abs(ref))
        print(f"end point, jax ({name}) against steepest: max |difference| / max |w| = {dev:.1e}")
        assert dev < 1e-9, "not the same work: the two trainings end at different points"
    checks = [
        ("full training loss at the evaluation points", rel(f, w["f"])),
        ("  (Python loop)", rel(np.array(loop_records)[:, 0], w["f"])),
        ("test accuracy at the evaluation points", np.max(np.abs(test_acc - np.array(w["test_accuracy"])))),
        ("minibatch loss at every step", rel(fbs, w["batch_loss"])),
        ("  (Python loop)", rel(loop_fbs, w["batch_loss"])),
    ]
    for name, dev in checks:
        print(f"{name}, jax against steepest: max relative difference {dev:.1e}")
        assert dev < 1e-9, "not the same work: the two runs record different numbers"
    t_scan = median_time(lambda: block(scanned(w0)))
    t_loop = median_time(python_loop)
    t_steps = median_time(lambda: steps_alone(w0).block_until_ready())

    print(f"\nmachine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, load average "
          f"{' '.join(f'{v:.1f}' for v in os.getloadavg())}; jax {jax.__version__} on {jax.devices()[0].platform}, float64")
    print(f"work: {steps} Adam steps, batch {batches.shape[1]}, {d} parameters, full train and test loss and "
          f"accuracy (and the full gradient's norms) at {len(eval_t)} evaluation points")
    print(f"  steepest run_spec (criterion median)  {ours * 1e3:7.2f} ms")
    print(f"  jax.jit, whole run in lax.scan        {t_scan * 1e3:7.2f} ms  (steepest / jax = {ours / t_scan:.2f})")
    print(f"  jax.jit step and evaluation, Python   {t_loop * 1e3:7.2f} ms  (steepest / jax = {ours / t_loop:.2f})")
    print(f"the {steps} steps alone: steepest {ours_steps * 1e3:.2f} ms, jax.jit lax.scan {t_steps * 1e3:.2f} ms "
          f"(steepest / jax = {ours_steps / t_steps:.2f})")


if __name__ == "__main__":
    main()
