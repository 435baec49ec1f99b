// kstatus reads one Kubernetes object as JSON on stdin and prints what the kstatus library
// (sigs.k8s.io/cli-utils/pkg/kstatus, the code behind Helm 4's --wait and Flux's health checks)
// computes for it, as one JSON line: {"status":"InProgress|Current|Failed|...","message":"..."}.
// Tests pipe `kubectl get <object> -o json` (or the API server's answer) into it.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

func main() {
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail("reading stdin: %v", err)
	}
	// (the unstructured decoder keeps integers int64, as the library expects of metadata.generation)
	var object unstructured.Unstructured
	if err := object.UnmarshalJSON(in); err != nil {
		fail("stdin is not one Kubernetes object: %v", err)
	}
	result, err := status.Compute(&object)
	if err != nil {
		fail("kstatus: %v", err)
	}
	out, _ := json.Marshal(map[string]string{"status": result.Status.String(), "message": result.Message})
	fmt.Println(string(out))
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "kstatus: "+format+"\n", args...)
	os.Exit(1)
}
