# The one way to run things. `make demo` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# llama.cpp is built for a conservative x86-64 level, never for the build machine's CPU: some virtual machines
# advertise AVX-512 FP16 or AMX and then fault on them (SIGILL). --no-cache-dir keeps pip from reusing a wheel
# that an earlier native build left in its cache (pip's cache key ignores CMAKE_ARGS).
LLAMA_CMAKE_ARGS := -DLLAMA_CURL=OFF -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
	-DGGML_AVX512=OFF -DGGML_AVX512_VBMI=OFF -DGGML_AVX512_VNNI=OFF -DGGML_AVX512_BF16=OFF -DGGML_AVX_VNNI=OFF \
	-DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF -DGGML_BACKEND_DL=OFF -DGGML_CPU_ALL_VARIANTS=OFF
DEMO_DIR := .demo
PORT ?= 8000

.PHONY: setup demo screenshots test test-sqlite lint typecheck check bench eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" FORCE_CMAKE=1 $(BIN)/pip install --quiet --no-cache-dir 'llama-cpp-python[server]==0.3.36'
	$(BIN)/pip install --quiet -e '.[dev,nmt,llm,dask]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	rm -rf $(DEMO_DIR)
	WATCHFLOOR_DATA_DIR=$(DEMO_DIR) $(BIN)/watchfloor demo
	@echo
	@story=$$(WATCHFLOOR_DATA_DIR=$(DEMO_DIR) $(BIN)/watchfloor stories list --min-sources 2 --json \
	     | $(BIN)/python -c "import json,sys; s=json.load(sys.stdin); print(max(s, key=lambda x: len(x['sources']))['id'])"); \
	  echo "Translating the posts of story $$story, told by the most channels, before drafting its report"; \
	  echo "(the web app's worker translates the rest in the background, multi-channel stories first):"; \
	  WATCHFLOOR_DATA_DIR=$(DEMO_DIR) $(BIN)/watchfloor translate run --story $$story && \
	  echo && echo "Report draft of the story told by the most channels:" && \
	  WATCHFLOOR_DATA_DIR=$(DEMO_DIR) $(BIN)/watchfloor report draft $$story; \
	  report=$$(WATCHFLOOR_DATA_DIR=$(DEMO_DIR) $(BIN)/watchfloor report draft $$story --save); \
	  WATCHFLOOR_DATA_DIR=$(DEMO_DIR) $(BIN)/watchfloor report publish $$report --tier public \
	    || echo "Report $$report stays a draft: it still quotes untranslated text (see above)."
	@password=$$($(BIN)/python -c "import secrets; print(secrets.token_urlsafe(12))"); \
	  echo "$$password" | WATCHFLOOR_DATA_DIR=$(DEMO_DIR) $(BIN)/watchfloor users add admin@demo.invalid --role admin; \
	  echo; echo "Web app: http://127.0.0.1:$(PORT)/  (log in as admin@demo.invalid with password $$password)"; \
	  echo "Ctrl-C stops it. The data stays in $(DEMO_DIR)/ (WATCHFLOOR_DATA_DIR=$(DEMO_DIR) $(BIN)/watchfloor --help)."
	WATCHFLOOR_DATA_DIR=$(DEMO_DIR) $(BIN)/watchfloor serve --port $(PORT)

# Screenshots of the main pages (docs/screenshots), taken by the browser tests.
screenshots: setup
	scripts/chromium.sh
	WATCHFLOOR_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q tests/test_web_browser.py

# The whole suite against SQLite and a real PostgreSQL server that scripts/postgres.sh installs and starts.
test: setup
	scripts/chromium.sh
	scripts/tesseract.sh
	url=$$(scripts/postgres.sh start) && WATCHFLOOR_TEST_PG=$$url $(BIN)/python -m pytest -q

test-sqlite: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check src tests bench eval

typecheck: setup
	$(BIN)/mypy

# What every change must pass before review: ruff, mypy --strict on src/ (pyproject.toml sets strict), and the
# shape of the code (import layers, no SQL outside store/, no module over 400 lines, generated docs current).
check: setup
	$(BIN)/ruff check src tests bench eval scripts
	$(BIN)/mypy --strict
	$(BIN)/python -m pytest -q tests/test_layers.py tests/test_docs_generated.py tests/test_story_score_documented.py

# Quality on the public sets in ../shared/data (not part of `make test`: a user's clone has no ../shared).
eval: setup
	for script in language_id ner dates name_linking story_similarity idf_clustering relevance translation; do \
	  PYTHONPATH=src $(BIN)/python eval/$$script.py > /dev/null || exit 1; done
	PYTHONPATH=src $(BIN)/python eval/report.py

bench: setup
	$(BIN)/python bench/import_throughput.py
	$(BIN)/python bench/pipeline_throughput.py
	$(BIN)/python bench/engine_throughput.py
	$(BIN)/python bench/web_latency.py

clean:
	scripts/postgres.sh stop
	rm -rf $(VENV) .pg $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache
