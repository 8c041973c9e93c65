# The series' commands. Each target builds the project's own virtual environment first (.venv),
# from requirements/lock.txt, so a fresh machine needs only Python 3.11+ with venv and pip.
# Nothing but `make browser` (and `make colab-sim`, which needs /content) writes outside this folder:
# the caches and settings that pip, npm, Matplotlib, IPython and Jupyter would keep in your home folder go to
# build/home/ instead.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
NB ?= notebooks/*.ipynb
FIRST_NB := $(firstword $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb)))
HOME_HERE := $(CURDIR)/build/home
export XDG_CACHE_HOME := $(HOME_HERE)/cache
export MPLCONFIGDIR := $(HOME_HERE)/matplotlib
export IPYTHONDIR := $(HOME_HERE)/ipython
export JUPYTER_CONFIG_DIR := $(HOME_HERE)/jupyter
export JUPYTER_DATA_DIR := $(HOME_HERE)/share/jupyter
export JUPYTER_RUNTIME_DIR := $(HOME_HERE)/share/jupyter/runtime
export JUPYTERLAB_SETTINGS_DIR := $(HOME_HERE)/jupyter/lab/user-settings
export JUPYTERLAB_WORKSPACES_DIR := $(HOME_HERE)/jupyter/lab/workspaces
export npm_config_cache := $(HOME_HERE)/npm

.PHONY: setup lab test outputs generate figures bench study lock clean
.PHONY: student handouts colab-sim versions story browser

$(STAMP): pyproject.toml requirements/lock.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements/lock.txt -e ".[dev]"
	$(BIN)/python -c "import matplotlib.pyplot"  # build matplotlib's font cache once, outside the tests
	touch $(STAMP)

setup: $(STAMP)  ## build .venv

lab: $(STAMP)  ## open the series in JupyterLab
	$(BIN)/jupyter lab $(ROOT_FLAG) --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/$(FIRST_NB)

test: $(STAMP)  ## every test: helpers, generated files, lint, and nbval over every notebook
	CUDA_VISIBLE_DEVICES= $(BIN)/python -m pytest tests notebooks --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg -n 2 --dist loadscope --basetemp=build/pytest

browser:  ## as root on Debian/Ubuntu: apt-get install chromium, for the browser test (else that test skips)
	sh tools/install_browser.sh

outputs: $(STAMP)  ## re-execute notebooks and store their outputs: make outputs [NB=notebooks/01_*.ipynb]
	$(BIN)/python tools/execute.py $(NB)

story: $(STAMP)  ## the story check: every notebook on several numeric paths and seeds, claim x run (slow)
	$(BIN)/python tools/story.py $(STORY_ARGS)

generate: $(STAMP)  ## rewrite navigation cells, set-up cells and the README index
	$(BIN)/python tools/nbtool.py
	$(BIN)/python tools/make_figures.py
	$(BIN)/python tools/student_edition.py && $(BIN)/python tools/teachers_page.py

figures: $(STAMP)  ## redraw every diagram into imgs/ (SVG and PNG)
	$(BIN)/python tools/make_figures.py

bench: $(STAMP)  ## time every notebook on a fresh kernel
	$(BIN)/python tools/bench_notebooks.py

study: $(STAMP)  ## run one study and write studies/results/NAME.*: make study NAME=bench_threads [ARGS=--quick]
	@test -n "$(NAME)" || { echo "make study NAME=... (one of: $(basename $(notdir $(filter-out studies/__init__.py studies/results.py,$(wildcard studies/*.py)))))"; exit 2; }
	$(BIN)/python studies/$(NAME).py $(ARGS)

LOCK_VENV := build/lock-venv
lock:  ## re-pin requirements/lock.txt: pip freeze of a fresh venv, keeping the current pins (UPGRADE=1: newest)
	rm -rf $(LOCK_VENV) && $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet --disable-pip-version-check $(if $(UPGRADE),,-c requirements/lock.txt) \
		-e ".[dev]" "torch==2.13.0"
	{ echo "# Exact versions of the reproducible environment that writes and checks the notebook outputs."; \
	  echo "# Regenerate with: make lock   (torch pinned to the CPU build; pip freeze of a fresh venv)"; \
	  echo "# python==$$($(LOCK_VENV)/bin/python -c 'import platform; print(platform.python_version())')   (the Python it was frozen with; notebooks store it as metadata.language_info.version)"; \
	  $(LOCK_VENV)/bin/pip freeze --exclude-editable --disable-pip-version-check | sed 's/+cpu$$//'; } \
	  > $(LOCK_VENV)/lock.txt
	mv $(LOCK_VENV)/lock.txt requirements/lock.txt && rm -rf $(LOCK_VENV)

student: $(STAMP)  ## rewrite the student edition (student/) and the teachers' page (docs/teachers.md)
	$(BIN)/python tools/student_edition.py
	$(BIN)/python tools/teachers_page.py

handouts: $(STAMP)  ## offline HTML of every notebook, both editions, into handouts/ (npm fetches its scripts once)
	$(BIN)/python tools/handouts.py

colab-sim: $(STAMP)  ## run every notebook of HEAD as Colab would, with Colab's versions (slow) [COLAB_ARGS=notebooks/01_*.ipynb]
	$(BIN)/python tools/colab_sim.py $(COLAB_ARGS)

versions: $(STAMP)  ## unit tests at the oldest and newest supported versions, in two venvs (slow) [VERSIONS_ARGS=oldest]
	$(BIN)/python tools/version_matrix.py $(VERSIONS_ARGS)

clean:
	rm -rf $(VENV) build/home build/pytest
