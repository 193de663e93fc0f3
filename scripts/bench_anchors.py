#!/usr/bin/env python3
"""The Python anchors `make bench` compares precis with, on the same files.

    bench_anchors.py split LIST     langchain's RecursiveCharacterTextSplitter, 4,000-character chunks
    bench_anchors.py sumy LIST      sumy's LexRank and TextRank, 10 sentences per document
    bench_anchors.py count LIST     cl100k_base token counting (bpe-openai, which ships the vocabulary)
    bench_anchors.py lexrank-run LIST OUT
    bench_anchors.py textrank-run LIST OUT
                                    the job `precis run` does, as a sumy user does it: read each file,
                                    summarize it with LexRank or TextRank (10 sentences; sentences by an
                                    untrained Punkt tokenizer, words by a regex) and write the summary to
                                    OUT; timed from outside, start-up and imports included

LIST names one file per line; each is read as UTF-8, as precis-bench reads it. Prints one JSON
object. `make bench` installs the pinned packages in .build/venv-bench.
"""
import json
import re
import sys
import time


def texts(listing):
    with open(listing) as f:
        paths = [line.rstrip("\n") for line in f if line.strip()]
    out = []
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as f:
            out.append(f.read())
    return out


def split(docs):
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=4000, chunk_overlap=0)
    size = sum(len(d.encode()) for d in docs)
    best, chunks = float("inf"), 0
    for _ in range(3):
        started = time.perf_counter()
        chunks = sum(len(splitter.split_text(d)) for d in docs)
        best = min(best, time.perf_counter() - started)
    return {"tool": "langchain-text-splitters RecursiveCharacterTextSplitter", "bytes": size, "seconds": best,
            "mb_per_s": size / 1e6 / best, "chunks": chunks}


def count(docs):
    import bpe_openai

    enc = bpe_openai.get_encoding("cl100k_base")
    size = sum(len(d.encode()) for d in docs)
    started = time.perf_counter()
    tokens = sum(len(enc.encode(p)) for d in docs for p in d.split("\n\n"))
    elapsed = time.perf_counter() - started
    return {"tool": "bpe-openai cl100k_base", "bytes": size, "tokens": tokens, "mb_per_s": size / 1e6 / elapsed}


class RegexTokenizer:
    """sumy's tokenizer without NLTK's punkt data, which cannot be downloaded here: sentences end at
    .!? before whitespace, words are runs of letters and digits."""

    language = "english"

    def to_sentences(self, paragraph):
        return [s for s in re.split(r"(?<=[.!?])\s+", paragraph) if s.strip()]

    def to_words(self, sentence):
        return re.findall(r"\w+", sentence)


def sumy(docs):
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    size = sum(len(d.encode()) for d in docs)
    result = {"tool": "sumy", "bytes": size}
    for name, cls in (("lexrank", LexRankSummarizer), ("textrank", TextRankSummarizer)):
        summarizer = cls(Stemmer("english"))
        summarizer.stop_words = get_stop_words("english")
        started = time.perf_counter()
        for d in docs:
            summarizer(PlaintextParser.from_string(d, RegexTokenizer()).document, 10)
        elapsed = time.perf_counter() - started
        result[name] = {"seconds": elapsed, "s_per_mb": elapsed / (size / 1e6)}
    return result


def sumy_run(method, listing, out):
    import os

    from eval_quality import PunktTokenizer
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    tokenizer = PunktTokenizer()
    cls = {"lexrank": LexRankSummarizer, "textrank": TextRankSummarizer}[method]
    summarizer = cls(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    os.makedirs(out, exist_ok=True)
    with open(listing) as f:
        paths = [line.rstrip("\n") for line in f if line.strip()]
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as f:
            document = PlaintextParser.from_string(f.read(), tokenizer).document
        summary = " ".join(str(s) for s in summarizer(document, 10))
        with open(os.path.join(out, os.path.basename(path) + ".summary.txt"), "w") as f:
            f.write(summary + "\n")
    return {"tool": f"sumy {method}", "files": len(paths)}


if __name__ == "__main__":
    command, listing = sys.argv[1], sys.argv[2]
    if command in ("lexrank-run", "textrank-run"):
        print(json.dumps(sumy_run(command.removesuffix("-run"), listing, sys.argv[3])))
    else:
        print(json.dumps({"split": split, "sumy": sumy, "count": count}[command](texts(listing))))
