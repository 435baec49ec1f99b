#!/usr/bin/env bash
# promrules (promrules/main.go): Prometheus' own rule-file check, the code behind `promtool check
# rules` (github.com/prometheus/prometheus/model/rulefmt and the PromQL parser), for e2e
# MonitoringChartTest's check of the operator chart's PrometheusRule.
#
#   promrules.sh    builds it into ~/.cache/rollgate/promrules/<sha of its sources + Go>/ when
#                   missing (4 min 15 s, 1 min 32 s of CPU, on 2 busy cores with an empty build
#                   cache), prints the binary's path
#
# Not promtool itself: `go install github.com/prometheus/prometheus/cmd/promtool@v0.316.0` compiles
# every service discovery's SDK (AWS, Azure, GCP, Kubernetes, ...) and had not finished after 21 min
# on the same machine.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
source "$here/common.sh"
# shellcheck source=go-cache.sh
source "$here/go-cache.sh"

cached_go_build promrules
