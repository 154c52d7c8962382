# clockify-discord-relay. `make run` and `make test` need only Go.
GO ?= go
# A failing benchmark piped through tee must fail the target.
SHELL := bash
.SHELLFLAGS := -o pipefail -ec
# Lambda runs the bootstrap on Graviton (arm64), as template.yaml says.
LAMBDA_GOARCH ?= arm64
# lambda.norpc drops the go1.x RPC mode; nethttpomithttp2 drops HTTP/2,
# which neither Discord's webhooks nor SSM need: together about 6 MB less.
LAMBDA_TAGS = lambda.norpc,nethttpomithttp2
LAMBDA_BUILD = CGO_ENABLED=0 GOOS=linux GOARCH=$(LAMBDA_GOARCH) $(GO) build -trimpath -tags $(LAMBDA_TAGS) -ldflags "-s -w"
EVENT ?= events/timer-started.json

FUZZTIME ?= 60s

.PHONY: help remind anyday send simulate run test build invoke deploy url rehearse setup clean fuzz bench rush dlq digest build-RelayFunction build-DeliveryFunction

## help: this list of targets
help:
	@awk '/^## [a-z-]+:/ { sub(/^## /, ""); split($$0, p, ": "); printf "  make %-10s %s\n", p[1], substr($$0, length(p[1]) + 3); next } /^##   / { sub(/^## +/, ""); printf "  %-15s %s\n", "", $$0 } /^## \(/ { sub(/^## /, ""); printf "  %-15s %s\n", "", $$0 }' $(MAKEFILE_LIST)

## run: serve POST /clockify on 127.0.0.1:$PORT (default 8080). It builds, then execs the relay, so a signal to make reaches it.
run:
	@mkdir -p bin
	$(GO) build -o bin/relay ./lambda
	exec bin/relay

## send: post a sample to the local relay (127.0.0.1:$PORT): make send [EVENT=events/timer-stopped.json] [NEW=1] [AGAIN=1] [URL=…]; a stop ends the last start's entry unless NEW=1; CLOCKIFY_SIGNING_SECRET=… signs it
send:
	$(GO) run ./lambda/cmd/send $(if $(URL),-url "$(URL)") $(if $(NEW),-new) $(if $(AGAIN),-again,$(EVENT))

## test: formatting, vet, and every test with the race detector
test:
	@unformatted=$$(gofmt -l lambda); if [ -n "$$unformatted" ]; then echo "gofmt would change: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...
	$(MAKE) -s simulate SEEDS=300

## anyday: every test again with the clock moved: more than a year ahead, to a daylight saving change, to 29 February (about 5 minutes; CI runs it)
anyday:
	@mkdir -p bin
	$(GO) run ./lambda/cmd/movedclock bin/_movedclock > bin/anyday-clocks.txt
	@while read -r zone at; do echo "== the clock moved to $$at, TZ=$$zone"; \
	  GOFLAGS=-overlay=$(CURDIR)/bin/_movedclock/overlay.json RELAY_TEST_CLOCK=$$at TZ=$$zone $(GO) test -count=1 ./... || exit 1; \
	done < bin/anyday-clocks.txt

## simulate: the deterministic simulation: SEEDS=N seeds (default 1000), or SEED=S replays one with its trace
SEEDS ?= 1000
simulate:
	@mkdir -p bin
	@status=0; SEEDS=$(SEEDS) SEED=$(SEED) $(GO) test -v -count=1 -run '^TestSimulate$$' ./lambda/internal/testkit/simulation > bin/simulate.txt || status=$$?; \
	  grep -v '^simulated \|^=== RUN\|^--- PASS\|^PASS$$\|^ok ' bin/simulate.txt || true; grep '^simulated ' bin/simulate.txt || true; exit $$status

## fuzz: fuzz the whole request path for FUZZTIME (default 60s)
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzRequestPath -fuzztime $(FUZZTIME) -fuzzminimizetime 2s ./lambda/accept/apigateway

## bench: per-event and whole-process benchmarks, then the rush, locally and in Lambda mode; writes BENCHMARKS.md (about 10 minutes)
## (the speed benchmarks run three times, the cold starts 40 rounds of every program in turn; the report shows medians)
bench: build
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 2s -count 3 ./lambda/accept/apigateway | tee bin/bench.txt
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 2s ./lambda/schedule/digest/chart | tee -a bin/bench.txt
	$(GO) test -run '^$$' -bench 'ColdStart' -benchmem -benchtime 40x -count 3 ./lambda/internal/testkit/deployment | tee -a bin/bench.txt
	$(GO) test -run '^$$' -bench 'Warm|Throughput' -benchmem -benchtime 2s -count 3 ./lambda/internal/testkit/deployment | tee -a bin/bench.txt
	$(GO) test -run '^$$' -bench 'Rush|Outage|LambdaIdle' -benchtime 1x -timeout 30m ./lambda/internal/testkit/deployment | tee -a bin/bench.txt
	$(GO) run ./lambda/cmd/benchreport -bootstrap bin/bootstrap < bin/bench.txt > BENCHMARKS.md
	@cat BENCHMARKS.md

## rush: a morning rush and a Discord outage against a stand-in with Discord's limits (about 3 minutes)
rush:
	@mkdir -p bin
	$(GO) test -run '^$$' -bench 'Rush|Outage' -benchtime 1x -timeout 20m ./lambda/internal/testkit/deployment | tee bin/rush.txt

## dlq: list the dead letters (local store, or DEAD_LETTER_QUEUE_URL); make dlq CMD=redrive resends them
CMD ?= list
dlq:
	$(GO) run ./lambda dlq $(CMD)

## digest: post a digest now, from DATA_DIR (or STATE_TABLE): make digest [DATE=2026-11-27] [PERIOD=daily|weekly] [FORCE=1] [DIGEST_PNG=chart.png]; without DATE, the last day with time tracked
digest:
	$(GO) run ./lambda digest $(if $(DATE),-date "$(DATE)") $(if $(PERIOD),-period "$(PERIOD)") $(if $(FORCE),-force) $(if $(DIGEST_PNG),-png "$(DIGEST_PNG)")

## remind: remind each channel now of timers running longer than LONG_TIMER_HOURS, from DATA_DIR (or STATE_TABLE); printed when no webhook is set
remind:
	$(GO) run ./lambda remind

## build: the Lambda bootstrap for linux/arm64 in bin/
build:
	$(MAKE) build-RelayFunction ARTIFACTS_DIR=$(CURDIR)/bin

## invoke: run one API Gateway event through the Lambda handler: make invoke EVENT=events/timer-stopped.json
invoke:
	$(GO) run ./lambda invoke $(EVENT)

STACK ?= clockify-discord-relay

## deploy: build with SAM and deploy with the settings in samconfig.toml; YES=1 applies without asking
deploy:
	sam build && sam deploy $(if $(YES),--no-confirm-changeset)

## url: the URL to give Clockify, from the stack's outputs (STACK=, default clockify-discord-relay); FOR=discord: the Discord application's Interactions Endpoint URL
url:
	@out=$$(aws cloudformation describe-stacks --stack-name "$(STACK)" \
	  --query "Stacks[0].Outputs[?OutputKey=='$(if $(filter discord,$(FOR)),InteractionsUrl,ClockifyWebhookUrl)'].OutputValue" --output text) || \
	  { echo "make url: could not read the stack $(STACK) (region: $${AWS_REGION:-$$(aws configure get region || echo none set)}): set STACK= for another stack name, AWS_REGION or aws configure set region for the region you deployed to" >&2; exit 1; }; \
	if [ -z "$$out" ] || [ "$$out" = None ]; then echo "make url: the stack $(STACK) has no $(if $(filter discord,$(FOR)),InteractionsUrl,ClockifyWebhookUrl) output: is it this relay's stack, deployed?" >&2; exit 1; fi; \
	echo "$$out"

## commands: register /working and /hours in Discord (DISCORD_BOT_TOKEN or DISCORD_BOT_TOKEN_PARAMETER): make commands [GUILD=<server id>]
commands:
	$(GO) run ./lambda commands $(if $(GUILD),-guild "$(GUILD)")

## rehearse: the README's deploy path against an AWS emulator (moto); needs Python 3 with moto, the AWS CLI, cfn-lint and aws-sam-translator
rehearse:
	$(GO) run ./lambda/cmd/rehearse

## setup: create or update Clockify's webhooks and store their signing secrets in SSM:
##   CLOCKIFY_API_KEY=… make setup WORKSPACE=<id> URL=<ClockifyWebhookUrl> [EVENTS=all] [DIGEST=off] [DRY_RUN=1]
setup:
	$(GO) run ./lambda/cmd/setup -workspace "$(WORKSPACE)" -url "$(URL)" $(if $(EVENTS),-events "$(EVENTS)") $(if $(PARAMETER),-parameter "$(PARAMETER)") $(if $(DIGEST),-digest "$(DIGEST)") $(if $(DRY_RUN),-dry-run)

clean:
	rm -rf bin .aws-sam

# Called by `sam build` (BuildMethod: makefile) with ARTIFACTS_DIR set, once
# per function: both run the same bootstrap.
build-RelayFunction:
	$(LAMBDA_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./lambda

build-DeliveryFunction:
	$(LAMBDA_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./lambda
