# weightlab: `make lab` to open the notebooks, `make test` to check everything.
# Needs only python3 and make; everything else goes into .venv.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
JUPYTER := $(VENV)/bin/jupyter

# Strict notebook validation: outputs must match what is committed, apart
# from the volatile text normalised by the sanitize file.
NBVAL_ARGS := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: lab test unit nbval binder browser bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# Re-install only when pyproject.toml changes.
$(VENV)/.stamp-test: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[test]'
	touch $@

$(VENV)/.stamp-bench: pyproject.toml $(VENV)/.stamp-test
	$(PY) -m pip install -q -e '.[bench]'
	touch $@

# Jupyter refuses to run as root without --allow-root (containers, CI).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(VENV)/.stamp-test
	$(JUPYTER) lab $(ROOT_FLAG) notebooks/00_welcome.ipynb

# Everything in one pytest run: unit tests, notebook hygiene, the Binder
# build, the real-browser test, and every notebook under strict nbval.
test: $(VENV)/.stamp-test
	$(PY) -m pytest tests notebooks $(NBVAL_ARGS) --durations=10

# Pieces of `make test`, for quicker loops.
unit: $(VENV)/.stamp-test
	$(PY) -m pytest tests -m "not binder and not browser"

nbval: $(VENV)/.stamp-test
	$(PY) -m pytest notebooks $(NBVAL_ARGS)

binder: $(VENV)/.stamp-test
	$(PY) -m pytest tests -m binder

browser: $(VENV)/.stamp-test
	$(PY) -m pytest tests -m browser

bench: $(VENV)/.stamp-bench
	$(PY) benchmarks/bench.py

clean:
	rm -rf build .pytest_cache
