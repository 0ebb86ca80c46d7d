"""PyTorch timing reference for bench/transformer.ts (not part of the product).

Same architecture as src/models/transformer (multi-hot x embedding summed per draw,
x sqrt(d_model), sinusoidal PE, post-norm nn.TransformerEncoder with a causal mask,
linear head over 45 numbers), same causal-chunk epoch over the shared history
(train/validation split 88/12, stride seq_len/2, batch 8, Adam), so epoch times
can be compared with the tfjs-wasm figures.

    /usr/bin/python3 bench/reference/torch_transformer.py [--threads 1] [--epochs 4]
"""
import argparse
import csv
import math
import os
import random
import statistics
import time

import torch
from torch import nn

PRESETS = {
    "small": dict(d_model=64, n_heads=4, n_layers=2, ffn=256, seq_len=20, dropout=0.1),
    "reference": dict(d_model=128, n_heads=8, n_layers=4, ffn=512, seq_len=50, dropout=0.1),
}
HERE = os.path.dirname(os.path.abspath(__file__))
DRAWS_CSV = os.path.join(HERE, "..", "..", "..", "shared", "data", "draws.csv")


def load_numbers():
    with open(DRAWS_CSV, newline="") as f:
        rows = list(csv.reader(f))[1:]
    return [[int(v) for v in r[2:8]] for r in rows]


class LotteryTransformer(nn.Module):
    def __init__(self, d_model, n_heads, n_layers, ffn, seq_len, dropout):
        super().__init__()
        self.d_model = d_model
        self.embedding = nn.Parameter(torch.randn(46, d_model) / math.sqrt(d_model))
        pe = torch.zeros(seq_len, d_model)
        pos = torch.arange(seq_len).unsqueeze(1)
        div = torch.pow(10000.0, torch.arange(0, d_model, 2) / d_model)
        pe[:, 0::2] = torch.sin(pos / div)
        pe[:, 1::2] = torch.cos(pos / div)
        self.register_buffer("pe", pe)
        self.drop = nn.Dropout(dropout)
        layer = nn.TransformerEncoderLayer(d_model, n_heads, ffn, dropout, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, n_layers, enable_nested_tensor=False)
        self.head = nn.Linear(d_model, 45)

    def forward(self, multi_hot):  # [B, L, 46]
        length = multi_hot.shape[1]
        x = multi_hot @ self.embedding * math.sqrt(self.d_model) + self.pe[:length]
        mask = torch.triu(torch.full((length, length), float("-inf")), diagonal=1)
        return self.head(self.encoder(self.drop(x), mask=mask))


def encode(windows, length):
    x = torch.zeros(len(windows), length, 46)
    for b, w in enumerate(windows):
        for p, nums in enumerate(w):
            x[b, p, nums] = 1.0
    return x


def chunk_starts(count, seq_len, stride):
    length = min(seq_len, count - 1)
    last = count - 1 - length
    starts = list(range(0, last + 1, stride))
    if starts[-1] != last:
        starts.append(last)
    return starts, length


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--batch", type=int, default=8)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    random.seed(42)
    draws = load_numbers()
    n = len(draws)
    val_count = int((n - 1) * 0.12)
    train_count = n - val_count
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, {n} draws, train draws {train_count}")
    for name, cfg in PRESETS.items():
        model = LotteryTransformer(**cfg)
        opt = torch.optim.Adam(model.parameters(), lr=5e-4)
        starts, length = chunk_starts(train_count, cfg["seq_len"], max(1, cfg["seq_len"] // 2))
        x_all = encode([draws[s : s + length] for s in starts], length)
        y_all = torch.zeros(len(starts), length, 45)
        for c, s in enumerate(starts):
            for p in range(length):
                y_all[c, p, [v - 1 for v in draws[s + p + 1]]] = 1 / 6
        half = math.ceil(cfg["seq_len"] / 2)
        val_windows = []
        e = train_count - 1
        while e <= n - 2:
            end = min(n - 2, e + half - 1)
            start = max(0, end - cfg["seq_len"] + 1)
            val_windows.append(draws[start : end + 1])
            e = end + 1
        x_val = encode(val_windows, max(len(w) for w in val_windows))
        times = []
        for _ in range(args.epochs):
            t0 = time.perf_counter()
            model.train()
            order = list(range(len(starts)))
            random.shuffle(order)
            for b in range(0, len(order), args.batch):
                idx = order[b : b + args.batch]
                logits = model(x_all[idx])
                loss = -(y_all[idx] * torch.log_softmax(logits, -1)).sum() / (len(idx) * length)
                opt.zero_grad()
                loss.backward()
                opt.step()
            model.eval()
            with torch.no_grad():
                model(x_val)
            times.append(time.perf_counter() - t0)
        steady = times[1:] if len(times) > 1 else times
        print(
            f"{name:9s} epoch: first {times[0]:.2f} s, median of next {len(steady)}: {statistics.median(steady):.2f} s "
            f"({len(starts)} chunks of {length}, batch {args.batch})"
        )
        model.eval()
        windows = [draws[n - i - cfg["seq_len"] : n - i] for i in range(100)]
        with torch.no_grad():
            x1 = encode(windows[:1], cfg["seq_len"])
            model(x1)
            t0 = time.perf_counter()
            for _ in range(20):
                torch.softmax(model(x1)[:, -1], -1)
            one = (time.perf_counter() - t0) / 20
            xb = encode(windows, cfg["seq_len"])
            t0 = time.perf_counter()
            for _ in range(3):
                torch.softmax(model(xb)[:, -1], -1)
            batch = (time.perf_counter() - t0) / 3
        print(f"{name:9s} inference: one window {one * 1000:.1f} ms, batch of 100 {batch * 1000:.1f} ms")


if __name__ == "__main__":
    main()
