# The two commands a new user needs: `make demo` and `make test`. Both set everything up first.
.PHONY: setup demo test bench clean

setup:
	@bash scripts/bootstrap.sh

demo: setup
	@.venv/bin/empathy-audit demo --out out/demo

test: setup
	@.venv/bin/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

clean:
	rm -rf out .empathy-audit build *.egg-info
