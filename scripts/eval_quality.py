#!/usr/bin/env python3
"""`make eval`: summary quality on real papers, precis beside the classic extractive anchors.

    eval_quality.py papers DIR          write the aclsum papers as text files (body with its section
                                        names; the abstract left out) and DIR/abstracts.json
    eval_quality.py manuals CORPUS DIR  write the corpus's long manuals (30 KB or more) whose opening holds an
                                        "Abstract" heading as text files with that abstract taken out, and
                                        DIR/abstracts.json: long documents scored as the papers are
    eval_quality.py anchors DIR OUT     Lead, sumy LexRank, TextRank and LSA on the same files, cut to
                                        each abstract's word count, written to OUT (JSON)
    eval_quality.py table DIR LABEL=RUN...
                                        the same ROUGE for each RUN (pages and a usage.json, as
                                        eval_models.py writes them) with its calls, tokens and time
    eval_quality.py score DIR RUN ANCHORS [--seconds S --cost C --currency X --pipeline P]
                                        ROUGE-1/2/Lsum F1 of the pages precis wrote in RUN beside the
                                        anchors, over all papers and each half, in a Markdown table

The data: PyPI's aclsum 0.1.2 ships 250 ACL papers, each with its S2ORC parse (body paragraphs with
section names) and its abstract. Every summary is cut to its abstract's word count and scored with
rouge-score 0.1.2, stemming on. sumy's own Tokenizer needs NLTK data that cannot be downloaded here,
so sentences come from an untrained Punkt tokenizer and words from a regex, for every system alike.
"""
import glob
import json
import os
import re
import sys
import time

WORD = re.compile(r"\w+(?:[-']\w+)*", re.UNICODE)


def punkt():
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    return PunktSentenceTokenizer()


class PunktTokenizer:
    """sumy's tokenizer, over an untrained Punkt sentence splitter and a word regex (sumy's own needs
    NLTK data that cannot be downloaded here). `make bench`'s sumy run uses it too."""

    language = "english"

    def __init__(self):
        self.splitter = punkt()

    def to_sentences(self, paragraph):
        return [s for s in self.splitter.tokenize(paragraph) if s.strip()]

    def to_words(self, sentence):
        return words(sentence)


def papers(out):
    import aclsum

    data = os.path.join(os.path.dirname(aclsum.__file__), "dataset", "paper_jsons")
    os.makedirs(out, exist_ok=True)
    abstracts = {}
    for path in sorted(glob.glob(os.path.join(data, "*.json"))):
        with open(path) as f:
            paper = json.load(f)
        body = paper["pdf_parse"].get("body_text", [])
        abstract = (paper.get("abstract") or "").strip()
        if not body or not abstract:
            continue
        name = os.path.basename(path)[: -len(".json")] + ".txt"
        lines = ["# " + paper["title"].strip(), ""]
        section = None
        for paragraph in body:
            if paragraph.get("section") and paragraph["section"] != section:
                section = paragraph["section"]
                number = (paragraph.get("sec_num") or "").strip()
                lines += [f"## {number + ' ' if number else ''}{section}", ""]
            lines += [paragraph["text"].strip(), ""]
        with open(os.path.join(out, name), "w") as f:
            f.write("\n".join(lines))
        abstracts[name] = abstract
    with open(os.path.join(out, "abstracts.json"), "w") as f:
        json.dump(abstracts, f, indent=1, sort_keys=True)
    print(f"{len(abstracts)} papers with a body and an abstract in {out}")


ABSTRACT = re.compile(r"^[ \t]*abstract[ \t]*\n(?:[ \t]*[-=~]{3,}[ \t]*\n)?", re.IGNORECASE | re.MULTILINE)
RULE = re.compile(r"^[ \t]*(?:[-=_*]{5,}|table of contents|contents)[ \t]*$", re.IGNORECASE | re.MULTILINE)


def manuals(corpus, out):
    os.makedirs(out, exist_ok=True)
    abstracts = {}
    for path in sorted(glob.glob(os.path.join(corpus, "txt", "**", "*.txt"), recursive=True)):
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        match = ABSTRACT.search(text, 0, 20_000)
        if len(text.encode()) < 30_000 or not match:
            continue
        # The abstract runs to the next rule, contents or heading underline; the rest is the input.
        end = RULE.search(text, match.end())
        stop = min(end.start() if end else len(text), match.end() + 3000)
        abstract = " ".join(text[match.end():stop].split())
        if len(abstract.split()) < 8:
            continue
        name = os.path.relpath(path, os.path.join(corpus, "txt")).replace(os.sep, "__")
        title = os.path.basename(path)[: -len(".txt")]
        with open(os.path.join(out, name), "w") as f:
            f.write("# " + title + "\n\n" + text[: match.start()] + text[stop:])
        abstracts[name] = abstract
    with open(os.path.join(out, "abstracts.json"), "w") as f:
        json.dump(abstracts, f, indent=1, sort_keys=True)
    print(f"{len(abstracts)} long manuals with an abstract in {out}")


def words(text):
    return WORD.findall(text)


def cut(sentences, limit):
    """The sentences, in order, up to `limit` words; the last one cut mid-way."""
    kept, count = [], 0
    for sentence in sentences:
        tokens = sentence.split()
        if count + len(tokens) >= limit:
            kept.append(" ".join(tokens[: limit - count]))
            break
        kept.append(sentence)
        count += len(tokens)
    return kept


def body_text(path):
    """A paper's text as the anchors read it: the body without the title and section headings."""
    with open(path) as f:
        lines = f.read().split("\n")
    return "\n".join(line for line in lines[1:] if not line.startswith("## "))


def anchors(folder, out):
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer

    tokenizer = PunktTokenizer()
    splitter = tokenizer.splitter
    with open(os.path.join(folder, "abstracts.json")) as f:
        abstracts = json.load(f)
    from sumy.utils import get_stop_words

    stemmer = Stemmer("english")
    systems = {"LexRank": LexRankSummarizer(stemmer), "TextRank": TextRankSummarizer(stemmer), "LSA": LsaSummarizer(stemmer)}
    for summarizer in systems.values():
        # sumy ships its stop-word lists; its README sets them so.
        summarizer.stop_words = get_stop_words("english")
    results = {name: {} for name in ["Lead", *systems]}
    seconds = {name: 0.0 for name in systems}
    for name, abstract in sorted(abstracts.items()):
        limit = len(abstract.split())
        text = body_text(os.path.join(folder, name))
        results["Lead"][name] = cut(splitter.tokenize(text), limit)
        document = PlaintextParser.from_string(text, tokenizer).document
        for system, summarizer in systems.items():
            started = time.perf_counter()
            # Every sentence rated, then the best taken until the abstract's length, in document order.
            picked, count = set(), 0
            for sentence in best_first(summarizer, document):
                picked.add(sentence)
                count += len(str(sentence).split())
                if count >= limit:
                    break
            ordered = [str(s) for s in document.sentences if s in picked]
            seconds[system] += time.perf_counter() - started
            results[system][name] = cut(ordered, limit)
    with open(out, "w") as f:
        json.dump({"summaries": results, "seconds": seconds}, f)
    print(f"anchors for {len(abstracts)} papers in {out}")


def best_first(summarizer, document):
    """The document's sentences, best first, as the summarizer rates them (ties in document order)."""
    def ranked(sentences, count, rating, *args, **kwargs):
        rate = rating.get if isinstance(rating, dict) else rating
        scores = [rate(s) for s in sentences]
        return [s for _, _, s in sorted(zip(scores, range(len(sentences)), sentences), key=lambda t: (-t[0], t[1]))]

    summarizer._get_best_sentences = ranked
    return summarizer(document, len(document.sentences))


def page_summary(path):
    """The summary of a precis page: after the front matter and the title, before any section list."""
    with open(path) as f:
        text = f.read()
    if text.startswith("---\n"):
        text = text.split("\n---\n", 1)[1]
    lines = text.strip().split("\n")
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    body = []
    for line in lines:
        if line.startswith("## "):
            break
        body.append(line)
    return "\n".join(body).strip()


def score(folder, run, anchors_path, seconds=None, cost=None, currency="", pipeline="default"):
    from rouge_score import rouge_scorer

    splitter = punkt()
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    with open(os.path.join(folder, "abstracts.json")) as f:
        abstracts = json.load(f)
    with open(anchors_path) as f:
        anchor = json.load(f)
    names = sorted(abstracts)
    systems = {f"precis ({pipeline})": {}}
    missing = []
    for name in names:
        page = os.path.join(run, name + ".md")
        if not os.path.exists(page):
            missing.append(name)
            systems[f"precis ({pipeline})"][name] = []
            continue
        summary = page_summary(page)
        systems[f"precis ({pipeline})"][name] = cut(splitter.tokenize(summary), len(abstracts[name].split()))
    for system, summaries in anchor["summaries"].items():
        systems[system] = summaries
    halves = {"all": names, "first half": names[: len(names) // 2], "second half": names[len(names) // 2 :]}
    table = {}
    for system, summaries in systems.items():
        table[system] = {}
        for half, keys in halves.items():
            totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeLsum": 0.0}
            for name in keys:
                reference = "\n".join(splitter.tokenize(abstracts[name]))
                result = scorer.score(reference, "\n".join(summaries.get(name, [])))
                for metric in totals:
                    totals[metric] += result[metric].fmeasure
            table[system][half] = {m: 100 * v / len(keys) for m, v in totals.items()}
    print(f"ROUGE F1 on {len(names)} aclsum papers, each summary cut to its abstract's word count (rouge-score, stemmed)")
    print()
    print("| system | papers | ROUGE-1 | ROUGE-2 | ROUGE-Lsum |")
    print("|---|---|---|---|---|")
    for half in halves:
        for system in systems:
            r = table[system][half]
            print(f"| {system} | {half} | {r['rouge1']:.1f} | {r['rouge2']:.1f} | {r['rougeLsum']:.1f} |")
    print()
    ours = table[f"precis ({pipeline})"]
    lex = table["LexRank"]
    for half in halves:
        print(f"{half}: ROUGE-2 {ours[half]['rouge2'] / lex[half]['rouge2']:.2f}x LexRank's, "
              f"ROUGE-1 {ours[half]['rouge1'] - lex[half]['rouge1']:+.1f}, ROUGE-Lsum {ours[half]['rougeLsum'] - lex[half]['rougeLsum']:+.1f} points")
    if seconds is not None:
        line = f"precis run: {seconds:.2f} s for {len(names)} papers"
        if cost is not None:
            line += f", cost {cost:.4f} {currency}"
        print(line)
    if "seconds" in anchor:
        print("sumy, ranking alone: " + ", ".join(f"{k} {v:.1f} s" for k, v in anchor["seconds"].items()))
    if missing:
        print(f"{len(missing)} paper(s) have no page (failed or not run): {', '.join(missing[:5])}")
    with open(os.path.join(run, "eval.json"), "w") as f:
        json.dump(table, f, indent=1)


def table(folder, runs):
    """Each run's ROUGE on the papers in `folder`, beside its calls, tokens, time and failures."""
    from rouge_score import rouge_scorer

    splitter = punkt()
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    with open(os.path.join(folder, "abstracts.json")) as f:
        abstracts = json.load(f)
    names = sorted(abstracts)
    print(f"ROUGE F1 on {len(names)} aclsum papers, each summary cut to its abstract's word count (rouge-score, stemmed)")
    print()
    print("| system | ROUGE-1 | ROUGE-2 | ROUGE-Lsum | calls | requests | prompt tokens | completion tokens | cut at limit | seconds | failed |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    results = {}
    for label, run in runs:
        totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeLsum": 0.0}
        for name in names:
            page = os.path.join(run, name + ".md")
            summary = page_summary(page) if os.path.exists(page) else ""
            kept = cut(splitter.tokenize(summary), len(abstracts[name].split()))
            result = scorer.score("\n".join(splitter.tokenize(abstracts[name])), "\n".join(kept))
            for metric in totals:
                totals[metric] += result[metric].fmeasure
        r = {m: 100 * v / len(names) for m, v in totals.items()}
        usage_path = os.path.join(run, "usage.json")
        usage = json.load(open(usage_path)) if os.path.exists(usage_path) else {}
        results[label] = {**r, **usage}
        def u(key, digits=0):
            return f"{usage[key]:,.{digits}f}" if key in usage else "–"
        print(f"| {label} | {r['rouge1']:.2f} | {r['rouge2']:.2f} | {r['rougeLsum']:.2f} | {u('calls')} | {u('requests')} | "
              f"{u('prompt_tokens')} | {u('completion_tokens')} | {u('truncated')} | {u('seconds', 1)} | {u('failures')} |")
    with open(os.path.join(folder, "table.json"), "w") as f:
        json.dump(results, f, indent=1)


def main(argv):
    if len(argv) >= 2 and argv[0] == "papers":
        papers(argv[1])
    elif len(argv) >= 3 and argv[0] == "manuals":
        manuals(argv[1], argv[2])
    elif len(argv) >= 3 and argv[0] == "anchors":
        anchors(argv[1], argv[2])
    elif len(argv) >= 3 and argv[0] == "table":
        table(argv[1], [tuple(run.split("=", 1)) for run in argv[2:]])
    elif len(argv) >= 4 and argv[0] == "score":
        options = dict(zip(argv[4::2], argv[5::2]))
        score(argv[1], argv[2], argv[3], seconds=float(options["--seconds"]) if "--seconds" in options else None,
              cost=float(options["--cost"]) if "--cost" in options else None, currency=options.get("--currency", ""),
              pipeline=options.get("--pipeline", "default"))
    else:
        print(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
