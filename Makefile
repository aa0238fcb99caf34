# The two commands a new user needs: `make demo` and `make test`. Both set everything up first.
.PHONY: setup demo test bench act clean

setup:
	@bash scripts/bootstrap.sh

demo:  # the demo needs no PostgreSQL: only the tests start one
	@EMPATHY_NEEDS_POSTGRES=0 bash scripts/bootstrap.sh
	@.venv/bin/empathy-audit demo --out out/demo

test: setup
	@.venv/bin/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

bench:  # the scale table on generated sites, each figure beside its baseline (docs/performance.md); BENCH_ARGS=--quick
	@EMPATHY_NEEDS_POSTGRES=0 bash scripts/bootstrap.sh
	@.venv/bin/python bench/bench_scale.py $(BENCH_ARGS)

act:  # the W3C ACT Rules test cases through the product: table, earl.json (EARL/JSON-LD) in out/act; ACT_ARGS=--axe-script FILE
	@EMPATHY_NEEDS_POSTGRES=0 bash scripts/bootstrap.sh
	@.venv/bin/python bench/act_conformance.py $(ACT_ARGS)

clean:
	rm -rf out .empathy-audit build dist *.egg-info
