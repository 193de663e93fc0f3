#!/usr/bin/env python3
"""`make eval PIPELINE=smollm2`: the model path scored against LangChain and a one-call baseline,
all on the same llama.cpp server and model.

    eval_models.py subset PAPERS N OUT    the N papers every len/N-th in name order (a fixed rule),
                                          copied to OUT with their abstracts.json
    eval_models.py langchain DIR OUT URL --chunk-tokens C --map-tokens M --final-tokens F --window W
                                          LangChain's load_summarize_chain(chain_type="map_reduce")
                                          (langchain-classic, ChatOpenAI at URL), chunks of C model tokens
    eval_models.py stuff DIR OUT URL --final-tokens F --window W
                                          one call per paper: its opening that fits the window, then the
                                          instruction of precis's smollm2 final prompt
    eval_models.py precis-usage OUT SECONDS
                                          writes OUT/usage.json from the report.json precis left there

Every system writes OUT/<paper>.md and OUT/usage.json (calls, requests, prompt and completion
tokens as the server counted them, wall seconds, failures); eval_quality.py table scores them.
Tokens are counted by the server's own tokenizer (llama-cpp-python's /extras/tokenize/count), so no
system needs tiktoken's downloads.
"""
import json
import os
import shutil
import sys
import time
import urllib.request


def post(url, body, timeout=1800):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.load(response)


def counter(url):
    root = url.rstrip("/")
    root = root[: -len("/v1")] if root.endswith("/v1") else root

    def count(text):
        return post(root + "/extras/tokenize/count", {"input": text})["count"]

    return count


def subset(papers, n, out):
    with open(os.path.join(papers, "abstracts.json")) as f:
        abstracts = json.load(f)
    names = sorted(abstracts)
    n = min(int(n), len(names))
    chosen = [names[i * len(names) // n] for i in range(n)]
    os.makedirs(out, exist_ok=True)
    for name in chosen:
        shutil.copyfile(os.path.join(papers, name), os.path.join(out, name))
    with open(os.path.join(out, "abstracts.json"), "w") as f:
        json.dump({name: abstracts[name] for name in chosen}, f, indent=1, sort_keys=True)
    print(f"{n} of {len(names)} papers (every {len(names) / n:.1f}th in name order) in {out}")


def title_and_body(path):
    with open(path) as f:
        text = f.read()
    first, _, rest = text.partition("\n")
    return first.lstrip("# ").strip(), rest.strip()


def write_usage(out, usage):
    with open(os.path.join(out, "usage.json"), "w") as f:
        json.dump(usage, f, indent=1, sort_keys=True)


def langchain(folder, out, url, chunk_tokens, map_tokens, final_tokens, window):
    from langchain_classic.chains.summarize import load_summarize_chain
    from langchain_core.callbacks import BaseCallbackHandler
    from langchain_core.documents import Document
    from langchain_openai import ChatOpenAI
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    count = counter(url)

    class Local(ChatOpenAI):
        """ChatOpenAI with the server's own token count: tiktoken would download its tables."""

        def get_num_tokens(self, text):
            return count(text)

        def get_num_tokens_from_messages(self, messages, tools=None):
            return sum(count(str(m.content)) + 8 for m in messages)

    usage = {"calls": 0, "requests": 0, "prompt_tokens": 0, "completion_tokens": 0, "failures": 0, "truncated": 0}

    class Tally(BaseCallbackHandler):
        def on_llm_end(self, response, **kwargs):
            for generations in response.generations:
                for generation in generations:
                    usage["calls"] += 1
                    usage["requests"] += 1
                    meta = getattr(generation.message, "usage_metadata", None) or {}
                    usage["prompt_tokens"] += meta.get("input_tokens", 0)
                    usage["completion_tokens"] += meta.get("output_tokens", 0)
                    finish = (getattr(generation.message, "response_metadata", None) or {}).get("finish_reason")
                    usage["truncated"] += finish == "length"

    def model(limit):
        # langchain-openai sends max_tokens as max_completion_tokens, which llama-cpp-python ignores:
        # the plain field goes in the body too, so LangChain's answers have the limits precis's have.
        return Local(base_url=url, api_key="none", model="local", temperature=0, max_tokens=limit,
                     extra_body={"max_tokens": limit}, callbacks=[Tally()])

    splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_tokens, chunk_overlap=0, length_function=count)
    # The combine step's prompt and answer must fit the window too.
    chain = load_summarize_chain(model(map_tokens), chain_type="map_reduce", reduce_llm=model(final_tokens),
                                 token_max=window - final_tokens - 100)
    os.makedirs(out, exist_ok=True)
    start = time.time()
    for name in sorted(n for n in os.listdir(folder) if n.endswith(".txt")):
        _, body = title_and_body(os.path.join(folder, name))
        docs = [Document(page_content=piece) for piece in splitter.split_text(body)]
        try:
            result = chain.invoke({"input_documents": docs})
            with open(os.path.join(out, name + ".md"), "w") as f:
                f.write(result["output_text"].strip() + "\n")
        except Exception as error:  # one failed paper is counted and the rest go on, as precis does
            usage["failures"] += 1
            print(f"langchain: {name}: {error}", file=sys.stderr)
    usage["seconds"] = time.time() - start
    write_usage(out, usage)


def stuff(folder, out, url, final_tokens, window):
    count = counter(url)
    usage = {"calls": 0, "requests": 0, "prompt_tokens": 0, "completion_tokens": 0, "failures": 0, "truncated": 0}
    os.makedirs(out, exist_ok=True)
    words = final_tokens * 6 // 100 * 10
    start = time.time()
    for name in sorted(n for n in os.listdir(folder) if n.endswith(".txt")):
        title, body = title_and_body(os.path.join(folder, name))
        def prompt(text):
            return (f"Text from \"{title}\":\n\n{text}\n\nWrite a summary of this text in at most {words} words: "
                    "its main point in one sentence, then its key findings.")
        system = "You write summaries in English. You write only the summary: no greeting, no advice, no comment on the text."
        room = window - final_tokens - count(system) - 32
        # The longest opening whose prompt fits: a binary search over characters, counted by the server.
        low, high = 0, len(body)
        while low < high:
            middle = (low + high + 1) // 2
            if count(prompt(body[:middle])) <= room:
                low = middle
            else:
                high = middle - 1
        try:
            answer = post(url.rstrip("/") + "/chat/completions", {
                "model": "local", "temperature": 0, "max_tokens": final_tokens,
                "messages": [{"role": "system", "content": system}, {"role": "user", "content": prompt(body[:low])}]})
            usage["calls"] += 1
            usage["requests"] += 1
            usage["prompt_tokens"] += answer["usage"]["prompt_tokens"]
            usage["completion_tokens"] += answer["usage"]["completion_tokens"]
            usage["truncated"] += answer["choices"][0].get("finish_reason") == "length"
            with open(os.path.join(out, name + ".md"), "w") as f:
                f.write(answer["choices"][0]["message"]["content"].strip() + "\n")
        except Exception as error:
            usage["failures"] += 1
            print(f"stuff: {name}: {error}", file=sys.stderr)
    usage["seconds"] = time.time() - start
    write_usage(out, usage)


def precis_usage(out, seconds):
    with open(os.path.join(out, "report.json")) as f:
        report = json.load(f)
    totals = report["totals"]
    files = report.get("files", [])
    usage = {
        "calls": totals.get("calls_made", 0), "requests": totals.get("requests", totals.get("calls_made", 0)),
        "prompt_tokens": totals.get("prompt_tokens", 0), "completion_tokens": totals.get("completion_tokens", 0),
        "failures": sum(1 for f in files if f.get("status") == "failed"),
        "truncated": totals.get("truncated_calls", 0), "seconds": float(seconds),
    }
    write_usage(out, usage)


def main(argv):
    if argv[:1] == ["subset"] and len(argv) == 4:
        subset(argv[1], argv[2], argv[3])
    elif argv[:1] == ["langchain"] and len(argv) >= 4:
        options = dict(zip(argv[4::2], argv[5::2]))
        langchain(argv[1], argv[2], argv[3], int(options["--chunk-tokens"]), int(options["--map-tokens"]),
                  int(options["--final-tokens"]), int(options["--window"]))
    elif argv[:1] == ["stuff"] and len(argv) >= 4:
        options = dict(zip(argv[4::2], argv[5::2]))
        stuff(argv[1], argv[2], argv[3], int(options["--final-tokens"]), int(options["--window"]))
    elif argv[:1] == ["precis-usage"] and len(argv) == 3:
        precis_usage(argv[1], argv[2])
    else:
        print(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
