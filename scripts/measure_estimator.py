#!/usr/bin/env python3
"""Measures precis's token estimator against a real BPE tokenizer (cl100k_base).

It mirrors Sources/Chunking/TokenEstimator.swift rule for rule and prints, per file, the ratio
estimate / real tokens; a ratio below 1.0 is an under-count. Run it with `make measure-estimator`
or: python3 scripts/measure_estimator.py FILE_OR_DIR...  (needs `pip install bpe-openai`).
"""
import pathlib
import sys
import unicodedata

import bpe_openai

SAFETY = 1.05
CJK_TOKENS_PER_CHARACTER = 1.3
CJK_RANGES = [(0x2E80, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x3FFFF)]


def is_cjk(ch):
    o = ord(ch)
    return any(lo <= o <= hi for lo, hi in CJK_RANGES)


def kind(ch):
    o = ord(ch)
    if o < 0x80:
        if ch.isalpha():
            return "letters"
        if ch.isdigit():
            return "digits"
        if o in (0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20):
            return "space"
        return None
    if ch.isspace():
        return "space"
    if unicodedata.category(ch).startswith("L") or unicodedata.category(ch) in ("Mn", "Mc", "Nl"):
        return "foreign"
    return None


def estimate(text):
    cjk = other = 0
    run, length, newline = None, 0, False

    def close():
        nonlocal other
        if run == "letters":
            other += 1 + length // 8
        elif run == "digits":
            other += (length + 2) // 3
        elif run == "foreign":
            other += (length + 1) // 2
        elif run == "space" and (newline or length > 1):
            other += 1

    for ch in text:
        if ord(ch) >= 0x80 and is_cjk(ch):
            close()
            run, length, newline = None, 0, False
            cjk += 1
            continue
        k = kind(ch)
        if k != run:
            close()
            run, length, newline = k, 0, False
        if k is None:
            other += 1
            continue
        length += 1
        newline = newline or ch == "\n"
    close()
    total = (cjk * CJK_TOKENS_PER_CHARACTER + other) * SAFETY
    return int(-(-total // 1))


def files(args):
    for arg in args:
        p = pathlib.Path(arg)
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*") if q.suffix.lower() in (".txt", ".md", ".text"))
        else:
            yield p


def count(enc, text):
    """cl100k tokens of `text`, encoded paragraph by paragraph: the tokenizer refuses very long
    inputs, and BPE never merges across a blank line's whitespace run anyway."""
    total = 0
    for start in range(0, len(text), 1 << 16):
        piece = text[start:start + (1 << 16)]
        for para in piece.split("\n\n"):
            while para:
                head, para = para[:4096], para[4096:]
                total += len(enc.encode(head))
    return total


def main():
    enc = bpe_openai.get_encoding("cl100k_base")
    worst = None
    print(f"{'ratio':>7} {'real':>8} {'estimate':>9}  file")
    for f in files(sys.argv[1:]):
        text = f.read_text(encoding="utf-8", errors="replace")
        real = count(enc, text)
        if real == 0:
            continue
        est = estimate(text)
        ratio = est / real
        worst = ratio if worst is None else min(worst, ratio)
        print(f"{ratio:7.3f} {real:8d} {est:9d}  {f}")
    if worst is not None:
        print(f"lowest ratio {worst:.3f} ({'never under-counts' if worst >= 1 else 'UNDER-COUNTS'})")


if __name__ == "__main__":
    main()
