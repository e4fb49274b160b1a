.PHONY: run test build generate fmt lint clean-data

## run: the API on a throwaway local PostgreSQL (or DATABASE_URL), until Ctrl-C
run:
	@scripts/run

## test: the whole suite on its own throwaway PostgreSQL; non-zero on any failure
test:
	@scripts/test

build:
	swift build

## generate: regenerate Sources/DossierAPI (and the test fixture) from openapi.yaml
generate:
	@scripts/generate-openapi

## fmt / lint: swift-format with the rules in .swift-format
# Generated code (Sources/DossierAPI, the test fixture under Conventions/) is left as generated.
SWIFT_SOURCES = $(shell find Sources Tests -name '*.swift' -not -path 'Sources/DossierAPI/*' -not -path '*/Conventions/*') Package.swift

fmt:
	@swift format format --in-place --parallel $(SWIFT_SOURCES)

lint:
	@swift format lint --strict --parallel $(SWIFT_SOURCES)

## clean-data: stop and delete the local cluster and secret key of `make run`
clean-data:
	@scripts/pg stop "$$(scripts/pg dir $(CURDIR)/.data/pg)"
	rm -rf "$$(scripts/pg dir $(CURDIR)/.data/pg)" .data
