# `make test` is the one command that runs every test; CI runs exactly it.
.PHONY: test deps lint unit run build bench release-snapshot

build:
	CGO_ENABLED=0 go build -trimpath -o uimport .

run:
	go run . --demo

deps:
	scripts/test-deps.sh

lint:
	@out="$$(gofmt -l .)"; if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	go vet ./...

# Every Go test, with the race detector, inside a throwaway Secret Service so
# the real-keyring tests run too; then the release config check.
unit:
	keystore/testdata/with-secret-service.sh go test -race -count=1 ./...

test: deps lint unit
	scripts/release-check.sh

bench:
	bench/run.sh

release-snapshot:
	scripts/release-snapshot.sh
