// A CoreDNS with only the plugins the real node's cluster DNS needs.
//
// The upstream binary links every plugin (cloud DNS providers among them): minutes more to
// build and nothing we use. A CoreDNS build is defined by the plugin packages it imports and
// by dnsserver.Directives, the order in which a server block's plugins run. There is no
// `forward`: a name outside the cluster's zones gets no answer from here, so no pod on the
// node can make a lookup reach the host's resolver.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/ready"
)

func init() {
	// the relative order of upstream's plugin.cfg
	dnsserver.Directives = []string{"bind", "ready", "health", "errors", "log", "cache", "kubernetes"}
}

func main() { coremain.Run() }
