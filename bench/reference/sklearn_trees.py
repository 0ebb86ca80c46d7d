"""scikit-learn reference timings for bench/trees.ts (same data, same model settings).

Usage: npx tsx bench/trees.ts --sklearn  # writes the data, runs this script, prints ours/theirs
   or: npx tsx bench/trees.ts            # writes X.f32 / y.f32 / shape.json to $TMPDIR/hogi-bench-trees
       /usr/bin/python3 bench/reference/sklearn_trees.py [DATA_DIR]
Timings go to stdout and to DATA_DIR/sklearn_results.json.
If the data files are missing, a synthetic matrix of the same shape is generated instead.
n_jobs=1 throughout: a like-for-like single-core comparison with our trees.
"""
import json
import os
import resource
import sys
import tempfile
import time

import numpy as np
from sklearn.ensemble import GradientBoostingRegressor, HistGradientBoostingRegressor, RandomForestRegressor

data_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(tempfile.gettempdir(), "hogi-bench-trees")
shape_path = os.path.join(data_dir, "shape.json")
if os.path.exists(shape_path):
    with open(shape_path) as f:
        shape = json.load(f)
    rows, cols = shape["rows"], shape["cols"]
    X = np.fromfile(os.path.join(data_dir, "X.f32"), dtype="<f4").reshape(rows, cols)
    y = np.fromfile(os.path.join(data_dir, "y.f32"), dtype="<f4")
    print(f"data: {rows} x {cols} from {data_dir}")
else:
    rows, cols = 56000, 30
    rng = np.random.default_rng(42)
    X = rng.normal(size=(rows, cols)).astype(np.float32)
    y = (rng.random(rows) < 1 / (1 + np.exp(-(-2.1 + 0.6 * X[:, 3] + 0.5 * X[:, 4] * X[:, 2])))).astype(np.float32)
    print(f"data: {rows} x {cols} generated (run bench/trees.ts first for identical data)")

n_trees = int(os.environ.get("TREES", "100"))


results = {}


def timed(label, fn, repeat=1, key=None):
    """Median of `repeat` runs (robust to other load on a shared machine)."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        runs.append((time.perf_counter() - t0) * 1000)
    runs.sort()
    ms = runs[len(runs) // 2]
    fmt = lambda v: f"{v:.2f}" if v < 10 else f"{v:.0f}"
    print(f"{label:<52} {fmt(ms)} ms" + (f" (median of {repeat}, min {fmt(runs[0])})" if repeat > 1 else ""))
    if key:
        results[key] = ms
    return out


rf = timed(f"sklearn RandomForestRegressor fit ({n_trees}, depth 10)",
           lambda: RandomForestRegressor(n_estimators=n_trees, max_depth=10, random_state=42, n_jobs=1).fit(X, y),
           key="rfFit")
gb = timed(f"sklearn GradientBoostingRegressor fit ({n_trees}, lr .1, depth 6)",
           lambda: GradientBoostingRegressor(n_estimators=n_trees, learning_rate=0.1, max_depth=6, random_state=42).fit(X, y),
           key="gbFit")
if os.environ.get("HGB"):
    timed(f"sklearn HistGradientBoostingRegressor fit ({n_trees}, lr .1, depth 6)",
          lambda: HistGradientBoostingRegressor(max_iter=n_trees, learning_rate=0.1, max_depth=6, max_leaf_nodes=None,
                                                early_stopping=False, random_state=42).fit(X, y),
          key="hgbFit")
X45, X4500 = X[:45], X[:4500]
timed("sklearn RF predict 45 rows", lambda: rf.predict(X45), 51, key="rfPredict45")
timed("sklearn RF predict 4,500 rows", lambda: rf.predict(X4500), 11, key="rfPredict4500")
timed("sklearn GB predict 45 rows", lambda: gb.predict(X45), 51, key="gbPredict45")
timed("sklearn GB predict 4,500 rows", lambda: gb.predict(X4500), 11, key="gbPredict4500")
print(f"RF train MSE {np.mean((rf.predict(X) - y) ** 2):.5f}; GB train MSE {np.mean((gb.predict(X) - y) ** 2):.5f}")
print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
results.update(rows=rows, cols=cols, trees=n_trees, sklearn=__import__("sklearn").__version__)
with open(os.path.join(data_dir, "sklearn_results.json"), "w") as f:
    json.dump(results, f)
