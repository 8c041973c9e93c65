# The series' commands. Each target builds the project's own virtual environment first (.venv),
# from requirements/lock.txt, so a fresh machine needs only Python 3.11+ with venv and pip.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
NB ?= notebooks/*.ipynb
FIRST_NB := $(firstword $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb)))

.PHONY: setup lab test outputs generate figures bench lock clean
.PHONY: student handouts colab-sim versions story

$(STAMP): pyproject.toml requirements/lock.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements/lock.txt -e ".[dev]"
	$(BIN)/python -c "import matplotlib.pyplot"  # build matplotlib's font cache once, outside the tests
	sh tools/install_browser.sh  # Debian's chromium for tests/test_browser.py, when root and missing
	touch $(STAMP)

setup: $(STAMP)  ## build .venv

lab: $(STAMP)  ## open the series in JupyterLab
	$(BIN)/jupyter lab $(ROOT_FLAG) --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/$(FIRST_NB)

test: $(STAMP)  ## every test: helpers, generated files, lint, and nbval over every notebook
	CUDA_VISIBLE_DEVICES= $(BIN)/python -m pytest tests notebooks --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg -n 2 --dist loadscope

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

lock:  ## re-pin requirements/lock.txt from a fresh environment
	rm -rf /tmp/lstm-lock-venv && $(PYTHON) -m venv /tmp/lstm-lock-venv
	/tmp/lstm-lock-venv/bin/pip install --quiet -e ".[dev]" "torch==2.13.0"
	{ echo "# Exact versions of the reproducible environment that writes and checks the notebook outputs."; \
	  echo "# Regenerate with: make lock   (torch pinned to the CPU build; pip freeze of a fresh venv)"; \
	  echo "# python==$$(/tmp/lstm-lock-venv/bin/python -c 'import platform; print(platform.python_version())')   (the Python it was frozen with; notebooks store it as metadata.language_info.version)"; \
	  /tmp/lstm-lock-venv/bin/pip freeze --exclude-editable | sed 's/+cpu$$//'; } > requirements/lock.txt

student: $(STAMP)  ## rewrite the student edition (student/) and the teachers' page (docs/teachers.md)
	$(BIN)/python tools/student_edition.py
	$(BIN)/python tools/teachers_page.py

handouts: $(STAMP)  ## offline HTML of every notebook, both editions, into handouts/ (npm fetches its scripts once)
	$(BIN)/python tools/handouts.py

colab-sim: $(STAMP)  ## run every notebook of HEAD as Colab would, in a venv with Colab's versions (slow)
	$(BIN)/python tools/colab_sim.py

versions: $(STAMP)  ## unit tests at the oldest and newest supported versions, in two venvs (slow)
	$(BIN)/python tools/version_matrix.py

clean:
	rm -rf $(VENV)
