# The two commands a new user needs: `make demo` and `make test`. Both set everything up first.
.PHONY: setup demo test bench clean

setup:
	@bash scripts/bootstrap.sh

demo:  # the demo needs no PostgreSQL: only the tests start one
	@EMPATHY_NEEDS_POSTGRES=0 bash scripts/bootstrap.sh
	@.venv/bin/empathy-audit demo --out out/demo

test: setup
	@.venv/bin/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

bench:  # browser-audited pages/s of a full crawl with 1 and 2 browsers vs plain Selenium + axe (docs/performance.md)
	@EMPATHY_NEEDS_POSTGRES=0 bash scripts/bootstrap.sh
	@.venv/bin/python bench/bench_browser.py $(BENCH_ARGS)

clean:
	rm -rf out .empathy-audit build *.egg-info
