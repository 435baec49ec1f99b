// Command registry is the OCI registry of the local cluster's tests: go-containerregistry's
// registry (the distribution API: manifests by tag and digest, OCI and Docker media types,
// blobs, uploads) behind the two ways real registries ask for credentials:
//
//   - --addr: a bearer-token challenge, as Docker Hub, GHCR, Harbor or the CNCF distribution
//     registry with token auth answer: 401 with WWW-Authenticate: Bearer realm=…,service=…,scope=…;
//     the client fetches a token from the realm with its username and password (basic auth) and
//     retries with it. Tokens are opaque, short-lived and carry the granted scope.
//   - --basic-addr (optional): a basic-auth challenge (WWW-Authenticate: Basic realm=…), as a
//     registry behind htpasswd answers.
//
// Both listeners serve the same content. Blobs are kept on disk (--dir), manifests in memory:
// a restarted registry has lost its tags, like a registry whose storage was wiped.
//
// It binds only to the addresses given (the tests use 127.0.0.1) and writes the bound
// addresses, one per line, to --addr-file once it listens, so that port 0 can be used.
package main

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/google/go-containerregistry/pkg/registry"
)

const service = "rollgate-test-registry"

const tokenLifetime = 5 * time.Minute

// /v2/<name>/(manifests|blobs|tags|referrers)/…: the repository a request is about
var repoPath = regexp.MustCompile(`^/v2/(.+?)/(manifests|blobs|tags|referrers)/`)

type grant struct {
	scopes  map[string]bool // "repository:<name>:<action>"
	expires time.Time
}

type server struct {
	user, password string
	content        http.Handler
	mu             sync.Mutex
	tokens         map[string]grant
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address of the bearer-token endpoint")
	basicAddr := flag.String("basic-addr", "", "listen address of the basic-auth endpoint (none when empty)")
	dir := flag.String("dir", "", "directory for blobs (required)")
	user := flag.String("user", "", "the one username (required)")
	passwordFile := flag.String("password-file", "", "file holding the password (required)")
	addrFile := flag.String("addr-file", "", "file to write the bound addresses to")
	flag.Parse()
	if *dir == "" || *user == "" || *passwordFile == "" {
		flag.Usage()
		os.Exit(2)
	}
	pw, err := os.ReadFile(*passwordFile)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(*dir, 0o700); err != nil {
		log.Fatal(err)
	}
	logger := log.New(os.Stderr, "", log.LstdFlags)
	s := &server{
		user:     *user,
		password: strings.TrimSpace(string(pw)),
		content:  registry.New(registry.WithBlobHandler(registry.NewDiskBlobHandler(*dir)), registry.Logger(logger)),
		tokens:   map[string]grant{},
	}

	bearer, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	bound := []string{bearer.Addr().String()}
	var basic net.Listener
	if *basicAddr != "" {
		if basic, err = net.Listen("tcp", *basicAddr); err != nil {
			log.Fatal(err)
		}
		bound = append(bound, basic.Addr().String())
	}
	if *addrFile != "" {
		tmp := *addrFile + ".tmp"
		if err := os.WriteFile(tmp, []byte(strings.Join(bound, "\n")+"\n"), 0o644); err != nil {
			log.Fatal(err)
		}
		if err := os.Rename(tmp, *addrFile); err != nil {
			log.Fatal(err)
		}
	}
	logger.Printf("bearer-token registry on %s", bound[0])
	errs := make(chan error, 2)
	go func() { errs <- http.Serve(bearer, http.HandlerFunc(s.bearerEndpoint)) }()
	if basic != nil {
		logger.Printf("basic-auth registry on %s", bound[1])
		go func() { errs <- http.Serve(basic, http.HandlerFunc(s.basicEndpoint)) }()
	}
	log.Fatal(<-errs)
}

func (s *server) validCredentials(r *http.Request) bool {
	u, p, ok := r.BasicAuth()
	return ok && subtle.ConstantTimeCompare([]byte(u), []byte(s.user)) == 1 &&
		subtle.ConstantTimeCompare([]byte(p), []byte(s.password)) == 1
}

// neededScope is the scope a request needs: pull to read, pull and push to write. The API
// version check (/v2/) and the catalog need a valid token, no repository scope.
func neededScope(r *http.Request) (repo string, actions []string) {
	m := repoPath.FindStringSubmatch(r.URL.Path)
	if m == nil {
		return "", nil
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return m[1], []string{"pull"}
	}
	return m[1], []string{"pull", "push"}
}

func (s *server) bearerEndpoint(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/token" {
		s.issueToken(w, r)
		return
	}
	repo, actions := neededScope(r)
	if s.tokenGrants(r, repo, actions) {
		s.content.ServeHTTP(w, r)
		return
	}
	challenge := fmt.Sprintf(`Bearer realm="http://%s/token",service=%q`, r.Host, service)
	if repo != "" {
		challenge += fmt.Sprintf(`,scope="repository:%s:%s"`, repo, strings.Join(actions, ","))
	}
	w.Header().Set("WWW-Authenticate", challenge)
	unauthorized(w, "authentication required")
}

func (s *server) basicEndpoint(w http.ResponseWriter, r *http.Request) {
	if s.validCredentials(r) {
		s.content.ServeHTTP(w, r)
		return
	}
	w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Basic realm=%q`, service))
	unauthorized(w, "authentication required")
}

// issueToken answers GET /token?service=…&scope=… for a client with valid credentials, as the
// Docker token protocol does; a client without them gets 401 (nothing here is anonymous).
func (s *server) issueToken(w http.ResponseWriter, r *http.Request) {
	if !s.validCredentials(r) {
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Basic realm=%q`, service))
		unauthorized(w, "incorrect username or password")
		return
	}
	g := grant{scopes: map[string]bool{}, expires: time.Now().Add(tokenLifetime)}
	for _, scope := range r.URL.Query()["scope"] {
		for _, one := range strings.Split(scope, " ") {
			parts := strings.Split(one, ":")
			if len(parts) != 3 || parts[0] != "repository" {
				continue
			}
			for _, action := range strings.Split(parts[2], ",") {
				g.scopes["repository:"+parts[1]+":"+action] = true
			}
		}
	}
	buf := make([]byte, 24)
	if _, err := rand.Read(buf); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	token := hex.EncodeToString(buf)
	s.mu.Lock()
	now := time.Now()
	for t, old := range s.tokens {
		if now.After(old.expires) {
			delete(s.tokens, t)
		}
	}
	s.tokens[token] = g
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"token": token, "access_token": token, "expires_in": int(tokenLifetime.Seconds()),
		"issued_at": now.UTC().Format(time.RFC3339),
	})
}

func (s *server) tokenGrants(r *http.Request, repo string, actions []string) bool {
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "Bearer ") {
		return false
	}
	s.mu.Lock()
	g, ok := s.tokens[strings.TrimPrefix(auth, "Bearer ")]
	s.mu.Unlock()
	if !ok || time.Now().After(g.expires) {
		return false
	}
	for _, a := range actions {
		if !g.scopes["repository:"+repo+":"+a] {
			return false
		}
	}
	return true
}

func unauthorized(w http.ResponseWriter, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusUnauthorized)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]string{{"code": "UNAUTHORIZED", "message": message}},
	})
}
