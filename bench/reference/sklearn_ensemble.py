"""scikit-learn reference for bench/ensemble.ts: the same feature rows, the same time-ordered
holdout, the same member settings and the same normalisation of the 45 outputs per draw.

Usage: npx tsx bench/ensemble.ts              # writes X.f32 / y.f32 / shape.json / ours.json
       /usr/bin/python3 bench/reference/sklearn_ensemble.py [DATA_DIR] [small|reference|both]
Single-threaded throughout (n_jobs=1, one BLAS thread), like our wasm backend.
Differences that remain: scikit-learn's trees are exact (ours bin features into <=255 bins),
its MLP early-stopping split is a random 10% (ours is the last 10% by round), and its MLP
gets inputs standardised by a StandardScaler fitted on the same training rows (ours does this
inside the model).
"""
import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor  # noqa: E402
from sklearn.neural_network import MLPRegressor  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

data_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(tempfile.gettempdir(), "hogi-bench-ensemble")
which = sys.argv[2] if len(sys.argv) > 2 else "reference"
with open(os.path.join(data_dir, "shape.json")) as f:
    shape = json.load(f)
rows, cols, split = shape["rows"], shape["cols"], shape["split"]
X = np.fromfile(os.path.join(data_dir, "X.f32"), dtype="<f4").reshape(rows, cols)
y = np.fromfile(os.path.join(data_dir, "y.f32"), dtype="<f4")
ours = {}
ours_path = os.path.join(data_dir, "ours.json")
if os.path.exists(ours_path):
    with open(ours_path) as f:
        ours = json.load(f)
Xtr, ytr, Xva, yva = X[:split], y[:split], X[split:], y[split:]
print(f"data: {rows} x {cols}; training rows {split}, holdout rows {rows - split} ({(rows - split) // 45} draws)")

CONFIGS = {
    "reference": dict(rf=dict(n_estimators=100, max_depth=10), gb=dict(n_estimators=100, learning_rate=0.1, max_depth=6),
                      mlp=dict(hidden_layer_sizes=(100, 50), learning_rate_init=0.001, max_iter=500, batch_size="auto", n_iter_no_change=10)),
    "small": dict(rf=dict(n_estimators=20, max_depth=6), gb=dict(n_estimators=20, learning_rate=0.1, max_depth=4),
                  mlp=dict(hidden_layer_sizes=(32, 16), learning_rate_init=0.003, max_iter=50, batch_size=500, n_iter_no_change=5)),
}
SEED = 42
UNIFORM = 6 / 45


def to_probabilities(raw):
    """Clip to [1e-4, 1], rescale to sum 6, cap at 1 and spread the excess (as votingToProbabilities)."""
    d = np.clip(raw.astype(np.float64), 1e-4, 1.0)
    capped = np.zeros(45, dtype=bool)
    while True:
        target = 6 - capped.sum()
        free = d[~capped].sum()
        out = np.where(capped, 1.0, d * target / free)
        over = (~capped) & (out > 1)
        if not over.any():
            return out
        capped |= over


def score(raw):
    ll, br = [], []
    for k in range(len(raw) // 45):
        p = to_probabilities(raw[k * 45:(k + 1) * 45])
        t = yva[k * 45:(k + 1) * 45]
        q = np.clip(p, 1e-7, 1 - 1e-7)
        ll.append(-np.mean(t * np.log(q) + (1 - t) * np.log(1 - q)))
        br.append(np.mean((p - t) ** 2))
    return float(np.mean(ll)), float(np.mean(br))


def timed(fn):
    t0 = time.perf_counter()
    c0 = time.process_time()
    out = fn()
    return out, (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000


def fmt(ms):
    return f"{ms / 1000:.1f} s" if ms >= 10_000 else f"{ms:.0f} ms"


u = -(UNIFORM * np.log(UNIFORM) + (1 - UNIFORM) * np.log(1 - UNIFORM))
for name in (["small", "reference"] if which == "both" else [which]):
    c = CONFIGS[name]
    print(f"\n--- config {name}: members fitted on the {split} training rows")
    rf, rf_ms, rf_cpu = timed(lambda: RandomForestRegressor(random_state=SEED, n_jobs=1, **c["rf"]).fit(Xtr, ytr))
    gb, gb_ms, gb_cpu = timed(lambda: GradientBoostingRegressor(random_state=SEED + 1, **c["gb"]).fit(Xtr, ytr))
    mlp, mlp_ms, mlp_cpu = timed(lambda: make_pipeline(StandardScaler(), MLPRegressor(
        activation="relu", solver="adam", alpha=1e-4, early_stopping=True, validation_fraction=0.1, tol=1e-4,
        random_state=SEED + 2, **c["mlp"])).fit(Xtr, ytr))
    epochs = mlp[-1].n_iter_
    preds = {"rf": rf.predict(Xva), "gbm": gb.predict(Xva), "mlp": mlp.predict(Xva)}
    vote = 0.4 * preds["rf"] + 0.4 * preds["gbm"] + 0.2 * preds["mlp"]
    mine = ours.get(name, {}).get("holdout", {})
    mine_cpu = ours.get(name, {}).get("holdoutCpu", {})
    for label, ms, cpu, key in (("rf", rf_ms, rf_cpu, "rf"), ("gbm", gb_ms, gb_cpu, "gbm"), (f"mlp ({epochs} epochs)", mlp_ms, mlp_cpu, "mlp")):
        # CPU time is the fair figure on a shared machine; wall time includes waiting for a core.
        ratio = ""
        if key in mine:
            ratio = f"; ours/sklearn wall {mine[key] / ms:.2f}"
        if key in mine_cpu:
            ratio += f", CPU {mine_cpu[key] / cpu:.2f}"
        if key == "mlp" and key in mine_cpu and mine.get("mlpEpochs"):
            ratio += f", CPU per epoch {(mine_cpu[key] / mine['mlpEpochs']) / (cpu / epochs):.2f} (ours {mine['mlpEpochs']} epochs)"
        ll, br = score(preds[key])
        print(f"sklearn {label:<18} fit {fmt(ms):>8} wall, {fmt(cpu):>8} CPU; holdout log-loss {ll:.5f}, Brier {br:.5f}{ratio}")
    ll, br = score(vote)
    print(f"sklearn vote 0.4/0.4/0.2 holdout log-loss {ll:.5f}, Brier {br:.5f}  (uniform {u:.5f}, {UNIFORM * (1 - UNIFORM):.5f})")
    if "validation" in ours.get(name, {}) and ours[name]["validation"]:
        v = ours[name]["validation"]
        print(f"ours    vote 0.4/0.4/0.2 holdout log-loss {v['logLoss']:.5f}, Brier {v['brier']:.5f}")
print(f"\npeak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
