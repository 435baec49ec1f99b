// promrules checks Prometheus rule files as Prometheus loads them, and as `promtool check rules`
// does: github.com/prometheus/prometheus/model/rulefmt parses each file strictly (unknown fields
// are errors), parses every expr with Prometheus' PromQL parser, and checks each rule's name,
// for/keep_firing_for, labels and annotation templates. The same check without building promtool,
// whose service-discovery dependencies take over ten minutes to compile on two cores.
//
//	promrules FILE...    prints "FILE: SUCCESS: N rules found" per file and exits 0, or the
//	                     errors with "FILE: FAILED:" and exits 1
package main

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: promrules FILE...")
		os.Exit(2)
	}
	// promtool's defaults: the standard PromQL functions, UTF-8 metric and label names allowed
	p := parser.NewParser(parser.Options{})
	logger := slog.New(slog.DiscardHandler)
	failed := false
	for _, file := range os.Args[1:] {
		groups, errs := rulefmt.ParseFile(file, false, model.UTF8Validation, p, logger)
		if len(errs) > 0 {
			failed = true
			fmt.Printf("%s: FAILED:\n", file)
			for _, err := range errs {
				fmt.Println("  " + err.Error())
			}
			continue
		}
		rules := 0
		for _, g := range groups.Groups {
			rules += len(g.Rules)
		}
		fmt.Printf("%s: SUCCESS: %d rules found\n", file, rules)
	}
	if failed {
		os.Exit(1)
	}
}
