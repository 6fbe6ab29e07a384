#!/usr/bin/env python3
"""Reference figures for the smoothness estimators, on this machine, in one run.

The same SDP, max { tr(H X) : X PSD, diag X = 1 } (whose value is L_sep), solved by a
general-purpose solver (cvxpy with Clarabel and with SCS), and numpy's eigvalsh, against
`steepest smoothness` on the very same matrices (exported by `steepest hessian-matrix`).

The script installs numpy and cvxpy into a throwaway virtual environment (benches/.venv); they
are never dependencies of the project. Run: python3 benches/reference_sdp.py [d ...]
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import venv

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VENV = os.path.join(HERE, ".venv")
PY = os.path.join(VENV, "bin", "python")
STEEPEST = os.path.join(ROOT, "target", "release", "steepest")
CLARABEL_MAX_D = 100


def ensure_venv():
    if os.path.abspath(sys.prefix) == os.path.abspath(VENV):
        return
    if not os.path.exists(PY):
        print("creating benches/.venv and installing numpy, cvxpy, clarabel, scs, threadpoolctl ...", flush=True)
        venv.create(VENV, with_pip=True)
        subprocess.check_call([PY, "-m", "pip", "install", "-q", "numpy", "cvxpy", "clarabel", "scs", "threadpoolctl"])
    os.execv(PY, [PY] + sys.argv)


def steepest(*args, stdin=None):
    out = subprocess.run([STEEPEST, *args], input=stdin, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def best_time(fn, repeats):
    best, value = float("inf"), None
    for _ in range(repeats):
        t = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t)
    return best, value


def main():
    ensure_venv()
    import numpy as np
    import cvxpy as cp
    from threadpoolctl import threadpool_info

    subprocess.check_call(["cargo", "build", "--release", "-q", "--bin", "steepest"], cwd=ROOT)
    sizes = [int(a) for a in sys.argv[1:]] or [100, 200, 500]
    print(f"numpy {np.__version__}, cvxpy {cp.__version__}, BLAS: "
          f"{[(i.get('internal_api'), i.get('num_threads')) for i in threadpool_info()]}")
    rows = []
    for d in sizes:
        spec = json.dumps({"problem": {"d": d, "rotation": 1, "outliers": max(1, d // 10), "seed": 2}})
        h = np.array(steepest("hessian-matrix", "--spec", "-", stdin=spec)["matrix"])
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump({"matrix": h.tolist()}, f)
            path = f.name
        reports = [steepest("smoothness", "--matrix", path, "--exact", "never") for _ in range(3)]
        ours = min(r["seconds"] for r in reports)
        rep = reports[0]
        eig_t, _ = best_time(lambda: np.linalg.eigvalsh(h), 5)

        x = cp.Variable((d, d), PSD=True)
        prob = cp.Problem(cp.Maximize(cp.trace(h @ x)), [cp.diag(x) == 1])
        results = {}
        solvers = [("SCS", {"eps": 1e-7, "max_iters": 100000})]
        # Clarabel (interior point) took 23 s at d = 100 here and over 10 minutes at d = 200.
        if d <= CLARABEL_MAX_D:
            solvers.insert(0, ("CLARABEL", {}))
        for name, kwargs in solvers:
            try:
                t, val = best_time(lambda: prob.solve(solver=name, **kwargs), 1)
                results[name] = (t, val)
            except Exception as e:  # a solver missing or failing is reported, not fatal
                results[name] = (float("nan"), f"failed: {e}")
        os.unlink(path)
        rows.append((d, rep, ours, eig_t, results))
        lo, hi = rep["sdp_primal"], rep["l_sep"]
        print(f"\nd = {d}: steepest full report {ours*1e3:.1f} ms (L_sep in [{lo:.10g}, {hi:.10g}], "
              f"gap {rep['gap']:.1e}, certificate {rep['certificate']['valid']})")
        print(f"  numpy eigvalsh {eig_t*1e3:.1f} ms")
        for name, (t, val) in results.items():
            if isinstance(val, float):
                rel = (val - hi) / hi
                print(f"  cvxpy {name}: {t*1e3:.0f} ms, value {val:.10g} (relative to our certified L_sep: {rel:+.1e}); "
                      f"steepest is {t/ours:.0f}x faster")
            else:
                print(f"  cvxpy {name}: {val}")


if __name__ == "__main__":
    main()
