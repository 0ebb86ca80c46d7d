"""PyTorch inference timing for bench/onnx.ts (not part of the product).

The architecture of bench/reference/torch_transformer.py (the same as src/models/transformer),
in eval mode with untrained weights (latency does not depend on the values): the time to build
the model, one window, and a batch of 100 windows of the latest draws, for one preset.
Prints one JSON line: {"preset", "load_ms", "one_ms", "batch100_ms", "torch"}.

    /usr/bin/python3 bench/reference/torch_infer.py --preset small [--threads 1]
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_transformer import PRESETS, LotteryTransformer, encode, load_numbers  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", choices=sorted(PRESETS), default="small")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--reps", type=int, default=50)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    cfg = PRESETS[args.preset]
    draws = load_numbers()
    n = len(draws)
    t0 = time.perf_counter()
    model = LotteryTransformer(**cfg).eval()
    load = time.perf_counter() - t0
    windows = [draws[n - i - cfg["seq_len"] : n - i] for i in range(100)]
    with torch.no_grad():
        x1 = encode(windows[:1], cfg["seq_len"])
        model(x1)
        times = []
        for _ in range(args.reps):
            t0 = time.perf_counter()
            p = torch.softmax(model(x1)[:, -1], -1) * 6
            times.append(time.perf_counter() - t0)
        xb = encode(windows, cfg["seq_len"])
        model(xb)
        batch = []
        for _ in range(5):
            t0 = time.perf_counter()
            torch.softmax(model(xb)[:, -1], -1)
            batch.append(time.perf_counter() - t0)
    del p
    print(json.dumps({"preset": args.preset, "load_ms": load * 1000, "one_ms": statistics.median(times) * 1000, "batch100_ms": statistics.median(batch) * 1000, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
