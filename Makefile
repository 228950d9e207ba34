# `make run` and `make test` install what is missing first (see scripts/setup.sh).
# `make run PORT=8765 HOST=0.0.0.0` overrides the address; unset, the server
# reads ANNLAB_PORT and ANNLAB_HOST, then uses 127.0.0.1:8000.
HOST ?=
PORT ?=
VENV := .venv
PYTEST_ARGS ?=

.PHONY: setup run test test-frontend test-backend bench clean

setup:
	@scripts/setup.sh

run: setup
	$(VENV)/bin/annlab serve $(if $(HOST),--host $(HOST)) $(if $(PORT),--port $(PORT))

test: setup test-frontend test-backend

test-frontend:
	npm --prefix frontend test --silent

test-backend:
	$(VENV)/bin/pytest -q $(PYTEST_ARGS)

bench: setup
	@for script in bench/*.py; do echo "== $$script"; $(VENV)/bin/python $$script || exit 1; done

clean:
	rm -rf frontend/dist test-output .pytest_cache
