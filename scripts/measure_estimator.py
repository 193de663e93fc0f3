#!/usr/bin/env python3
"""Measures precis's token estimator against a real BPE tokenizer (cl100k_base).

It asks the built `precis extract --json` for the text precis chunks and the estimate its budgets
use, counts the same text with cl100k_base, and prints per file the ratio estimate / real; a ratio
below 1.0 is an under-count. Nothing is mirrored here, so the figures are those of the Swift code.

    python3 scripts/measure_estimator.py [--precis BIN] [--worst N] [--json OUT] INPUT...

Needs `pip install bpe-openai` (it ships the cl100k vocabulary, so it works offline). Counts are
cached by text hash in .build/estimator-cache.json, so reruns after an estimator change are fast.
Exit status 1 when some file is under-counted by more than 2%.
"""
import argparse
import hashlib
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

import bpe_openai

LIMIT = 0.98


def count(enc, text):
    """cl100k tokens of `text`, encoded paragraph by paragraph: the tokenizer refuses very long
    inputs, and its pre-tokenizer never joins text across a blank line anyway."""
    total = 0
    for para in text.split("\n\n"):
        while para:
            head, para = para[:4096], para[4096:]
            total += len(enc.encode(head))
    return total + text.count("\n\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--precis", default=".build/release/precis")
    parser.add_argument("--worst", type=int, default=15, help="files to list, lowest ratio first")
    parser.add_argument("--json", help="write the summary here as JSON")
    parser.add_argument("--cache", default=".build/estimator-cache.json")
    parser.add_argument("inputs", nargs="+")
    args = parser.parse_args()

    started = time.monotonic()
    extract = subprocess.run([args.precis, "extract", "--json", *args.inputs], capture_output=True, check=False)
    items = [i for i in json.loads(extract.stdout) if i["status"] == "ok"]
    cache = {}
    if os.path.exists(args.cache):
        with open(args.cache) as f:
            cache = json.load(f)
    enc = bpe_openai.get_encoding("cl100k_base")

    rows, real_total, estimate_total, real_bytes = [], 0, 0, 0
    for item in items:
        real = 0
        for part in item["parts"]:
            key = hashlib.sha1(part["text"].encode()).hexdigest()
            if key not in cache:
                cache[key] = count(enc, part["text"])
            real += cache[key]
            real_bytes += len(part["text"].encode())
        if real == 0:
            continue
        rows.append((item["tokens"] / real, real, item["tokens"], item["path"]))
        real_total += real
        estimate_total += item["tokens"]
    pathlib.Path(args.cache).parent.mkdir(parents=True, exist_ok=True)
    with open(args.cache, "w") as f:
        json.dump(cache, f)

    rows.sort()
    print(f"{'ratio':>7} {'real':>9} {'estimate':>9}  file (lowest ratios first)")
    for ratio, real, est, path in rows[: args.worst]:
        print(f"{ratio:7.3f} {real:9d} {est:9d}  {path}")
    ratios = [r[0] for r in rows]
    under = [r for r in rows if r[0] < LIMIT]
    summary = {
        "files": len(rows),
        "bytes": real_bytes,
        "real_tokens": real_total,
        "estimated_tokens": estimate_total,
        "overall": estimate_total / max(real_total, 1),
        "lowest": min(ratios, default=1.0),
        "lowest_file": rows[0][3] if rows else None,
        "median": statistics.median(ratios) if ratios else 1.0,
        "highest": max(ratios, default=1.0),
        "under_2_percent": len(under),
        "seconds": time.monotonic() - started,
    }
    print(f"{summary['files']} files, {real_total} cl100k tokens: estimate/real overall {summary['overall']:.3f}, "
          f"lowest {summary['lowest']:.3f}, median {summary['median']:.3f}, highest {summary['highest']:.3f}; "
          f"{len(under)} files under-counted by more than 2%")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=1)
    return 1 if under else 0


if __name__ == "__main__":
    sys.exit(main())
