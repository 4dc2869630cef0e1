# The commands of the README: `make demo`, `make test` and `make bench`. All install what is missing.
SWIFT ?= swift
DEMO_DB ?= ./demo.sqlite

.PHONY: demo test bench docs build setup clean

## make demo: build, create a sample store at $(DEMO_DB), show its cinemas and today's showtimes.
demo: setup
	$(SWIFT) build --product boxoffice
	$$($(SWIFT) build --show-bin-path)/boxoffice demo --db $(DEMO_DB) --force

## make test: the whole test suite, with the servers it needs started on 127.0.0.1.
test:
	scripts/test.sh

## make bench: every benchmark scenario beside its baseline (release build, private PostgreSQL);
## prints the table and writes bench-results.json. See BENCHMARKS.md.
bench:
	scripts/bench.sh

## make docs: the kit's DocC archive (.build/plugins/Swift-DocC/outputs/BoxOfficeKit.doccarchive).
docs: setup
	$(SWIFT) package generate-documentation --target BoxOfficeKit --warnings-as-errors

build: setup
	$(SWIFT) build

setup:
	scripts/setup.sh

clean:
	rm -rf .build $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm $(DEMO_DB).session $(DEMO_DB).pgpass
