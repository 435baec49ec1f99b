// Command pause is the sandbox ("pause") container of the local real node: it holds a pod's
// namespaces open, does nothing else, and exits 0 on SIGTERM or SIGINT. As PID 1 of a pod that
// shares its PID namespace it also reaps orphaned children, as the upstream pause does.
//
// Built static (CGO_ENABLED=0) by e2e/cluster/images.sh and packed into the image
// rollgate.dev/pause:3.10-rollgate with e2e/cluster/imagetool.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// version is printed by -v; the image tag carries the same value.
const version = "3.10-rollgate"

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "-v", "--version", "version":
			fmt.Println("pause", version)
			return
		default:
			fmt.Fprintln(os.Stderr, "usage: pause [-v]")
			os.Exit(2)
		}
	}
	if os.Getpid() != 1 {
		fmt.Fprintln(os.Stderr, "pause: warning: not PID 1")
	}

	signals := make(chan os.Signal, 8)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT, syscall.SIGCHLD)
	for sig := range signals {
		switch sig {
		case syscall.SIGCHLD:
			reap()
		default:
			fmt.Fprintf(os.Stderr, "pause: shutting down, got signal %v\n", sig)
			os.Exit(0)
		}
	}
}

// reap collects every child that has exited; several exits may arrive as one SIGCHLD.
func reap() {
	for {
		var status syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil)
		if err == syscall.EINTR {
			continue
		}
		if pid <= 0 || err != nil {
			return
		}
	}
}
