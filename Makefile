# motcua — the two commands: `make run` (demo on SQLite) and `make test` (the whole suite).
# Set DATABASE_URL=postgres://… to use PostgreSQL instead; nothing else changes.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2
export MOTCUA_ENV ?= local

# Debian packages each target needs (WeasyPrint's libraries and a Vietnamese font; libmagic to read a file's
# type from its content; Chromium for the browser tests; wrk for the load benchmark).
RUN_PKGS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core libmagic1 tesseract-ocr tesseract-ocr-vie poppler-utils
TEST_PKGS := $(RUN_PKGS) chromium
BENCH_PKGS := $(RUN_PKGS) wrk

.PHONY: run test lint bench bench-portal bench-reports bench-documents install sysdeps-run sysdeps-test sysdeps-bench clean help

help:
	@echo "make run    — cài đặt, nạp dữ liệu minh họa, chạy máy chủ tại http://$(HOST):$(PORT)/"
	@echo "make test   — chạy toàn bộ kiểm thử (SQLite; đặt DATABASE_URL để chạy trên PostgreSQL)"
	@echo "make lint   — ruff"
	@echo "make bench  — đo hiệu năng, ghi bench/results.json"
	@echo "make bench-portal — chỉ đo tra cứu hồ sơ công khai (máy chủ và dữ liệu minh họa riêng)"
	@echo "make bench-reports — chỉ đo báo cáo tình hình giải quyết trên 10 triệu hồ sơ sinh ngẫu nhiên (CSDL riêng)"
	@echo "make bench-documents — chỉ đo tìm kiếm toàn văn trên 1 triệu văn bản sinh ngẫu nhiên (CSDL riêng)"

# Install missing Debian packages when root; otherwise stop at once with the exact command to run.
define ensure_packages
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Cài các gói hệ thống còn thiếu: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "Thiếu gói hệ thống: $$missing"; \
	    echo "Hãy chạy:  sudo apt-get update && sudo apt-get install -y $$missing"; \
	    exit 1; \
	  fi; \
	fi
endef

sysdeps-run:
	$(call ensure_packages,$(RUN_PKGS))
sysdeps-test:
	$(call ensure_packages,$(TEST_PKGS))
sysdeps-bench:
	$(call ensure_packages,$(BENCH_PKGS))

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "motcua cần Python 3.11 trở lên")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

run: sysdeps-run install
	$(BIN)/motcua migrate --noinput -v 0
	$(BIN)/motcua collectstatic --noinput -v 0
	$(BIN)/motcua demo
	$(BIN)/motcua deadline_reminders
	@echo "Mở http://$(HOST):$(PORT)/ (cổng dịch vụ công) — cán bộ đăng nhập tại http://$(HOST):$(PORT)/dang-nhap/, công dân tại http://$(HOST):$(PORT)/cong-dan/dang-nhap/ (tài khoản ở trên); tra cứu hồ sơ: http://$(HOST):$(PORT)/tra-cuu/"
	PUBLIC_BASE_URL=$${PUBLIC_BASE_URL:-http://$(HOST):$(PORT)} $(BIN)/motcua serve --host $(HOST) --port $(PORT) --with-worker

test: sysdeps-test install
	$(BIN)/motcua makemigrations --check --dry-run -v 0 || (echo "Thiếu migration: chạy .venv/bin/motcua makemigrations"; exit 1)
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

bench: sysdeps-bench install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# The public look-up alone (its own server on the demo data, a minute or two): PORTAL_BENCH_ARGS="--duration 5".
bench-portal: sysdeps-bench install
	$(BIN)/python bench/portal.py $(PORTAL_BENCH_ARGS)

# The resolution report alone (its own database: 10 M generated dossiers and their ledger, then the ledger's
# report against the naive GROUP BY): REPORTS_BENCH_ARGS="--dossiers 100000 --runs 5" for a quick run.
bench-reports: sysdeps-run install
	$(BIN)/python bench/reports.py $(REPORTS_BENCH_ARGS)

# The document search alone (its own database: 1 M generated documents, the full-text index, then
# GET /api/v1/documents?q=… against /healthz under wrk): DOCUMENTS_BENCH_ARGS="--documents 20000" for a quick run.
bench-documents: sysdeps-bench install
	$(BIN)/python bench/documents.py $(DOCUMENTS_BENCH_ARGS)

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache .ruff_cache
