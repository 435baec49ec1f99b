// Command imagetool builds container image tarballs from directories, with no container engine
// and no registry, for the real node of the local cluster (e2e/cluster/images.sh):
//
//	imagetool build  --rootfs DIR --tag REF --out TAR [--entrypoint a,b] [--cmd a,b] [--user U]
//	                 [--env K=V]... [--workdir W] [--port N]... [--chown PATH=UID:GID]...
//	imagetool append --base TAR --dir DIR --tag REF --out TAR [--env K=V]... [--chown PATH=UID:GID]...
//	imagetool digest --tar TAR [--registry]
//
// Outputs are docker-archive tarballs (manifest.json + config + gzipped layers), which
// `ctr -n k8s.io images import` accepts. Layers are deterministic: entries sorted by path, every
// timestamp fixed, no user or group names, so the same tree gives the same digests.
//
// --entrypoint and --cmd take a comma-separated list, or a JSON array when an argument holds a
// comma or must be empty (--cmd '["--save",""]').
package main

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// epoch is the timestamp of every layer entry, the image's creation time and its history:
// 1970-01-01T00:00:00Z, as Jib does, so that a rebuild from the same input is byte-identical.
var epoch = time.Unix(0, 0).UTC()

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "build":
		err = cmdBuild(os.Args[2:])
	case "append":
		err = cmdAppend(os.Args[2:])
	case "digest":
		err = cmdDigest(os.Args[2:])
	case "-h", "--help", "help":
		usage()
	default:
		fmt.Fprintf(os.Stderr, "imagetool: unknown command %q\n", os.Args[1])
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "imagetool:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprint(os.Stderr, `usage:
  imagetool build  --rootfs DIR --tag REF --out TAR [--entrypoint a,b] [--cmd a,b] [--user U]
                   [--env K=V]... [--workdir W] [--port N]... [--chown PATH=UID:GID]...
  imagetool append --base TAR --dir DIR --tag REF --out TAR [--env K=V]... [--chown PATH=UID:GID]...
  imagetool digest --tar TAR [--registry]
`)
	os.Exit(2)
}

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, " ") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

// list is a flag holding a comma-separated list or a JSON array of strings.
type list struct {
	values []string
	set    bool
}

func (l *list) String() string { return strings.Join(l.values, ",") }
func (l *list) Set(v string) error {
	l.set = true
	if strings.HasPrefix(strings.TrimSpace(v), "[") {
		return json.Unmarshal([]byte(v), &l.values)
	}
	if v == "" {
		l.values = nil
		return nil
	}
	l.values = strings.Split(v, ",")
	return nil
}

func parse(fsFlags *flag.FlagSet, args []string, required map[string]*string) error {
	if err := fsFlags.Parse(args); err != nil {
		return err
	}
	if fsFlags.NArg() > 0 {
		return fmt.Errorf("%s: unexpected arguments %q", fsFlags.Name(), fsFlags.Args())
	}
	names := make([]string, 0, len(required))
	for n := range required {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if *required[n] == "" {
			return fmt.Errorf("%s: --%s is required", fsFlags.Name(), n)
		}
	}
	return nil
}

func cmdBuild(args []string) error {
	f := flag.NewFlagSet("build", flag.ContinueOnError)
	rootfs := f.String("rootfs", "", "directory that becomes the image's only layer")
	tag := f.String("tag", "", "image reference, e.g. rollgate.dev/pause:3.10")
	out := f.String("out", "", "docker-archive tarball to write")
	user := f.String("user", "", "user (and group) the image runs as, e.g. 999:999")
	workdir := f.String("workdir", "", "working directory")
	platform := f.String("platform", "linux/amd64", "os/architecture of the image")
	stopSignal := f.String("stop-signal", "", "signal that stops the container, e.g. SIGINT (the runtime's default is SIGTERM)")
	var entrypoint, cmd list
	var env, ports, chowns multi
	f.Var(&entrypoint, "entrypoint", "entrypoint (comma-separated or JSON array)")
	f.Var(&cmd, "cmd", "default arguments (comma-separated or JSON array)")
	f.Var(&env, "env", "K=V environment entry (repeatable)")
	f.Var(&ports, "port", "exposed port, N or N/proto (repeatable)")
	f.Var(&chowns, "chown", "PATH=UID:GID owner of one path in the layer (repeatable)")
	if err := parse(f, args, map[string]*string{"rootfs": rootfs, "tag": tag, "out": out}); err != nil {
		return err
	}
	ref, owners, err := tagAndOwners(*tag, chowns)
	if err != nil {
		return err
	}
	osName, arch, ok := strings.Cut(*platform, "/")
	if !ok {
		return fmt.Errorf("--platform %q: want os/arch", *platform)
	}

	layer, cleanup, err := layerFromDir(*rootfs, owners)
	if err != nil {
		return err
	}
	defer cleanup()

	cfg := v1.Config{
		User:       *user,
		WorkingDir: *workdir,
		Entrypoint: entrypoint.values,
		Cmd:        cmd.values,
		StopSignal: *stopSignal,
	}
	cfg.Env, err = mergeEnv(nil, env)
	if err != nil {
		return err
	}
	if len(ports) > 0 {
		cfg.ExposedPorts = map[string]struct{}{}
		for _, p := range ports {
			if !strings.Contains(p, "/") {
				p += "/tcp"
			}
			cfg.ExposedPorts[p] = struct{}{}
		}
	}
	img, err := mutate.ConfigFile(empty.Image, &v1.ConfigFile{
		Architecture: arch,
		OS:           osName,
		Created:      v1.Time{Time: epoch},
		Config:       cfg,
		RootFS:       v1.RootFS{Type: "layers"},
	})
	if err != nil {
		return err
	}
	img, err = mutate.Append(img, mutate.Addendum{
		Layer:   layer,
		History: v1.History{Created: v1.Time{Time: epoch}, CreatedBy: "imagetool build", Comment: "imagetool"},
	})
	if err != nil {
		return err
	}
	return write(ref, img, *out)
}

// tagAndOwners parses the --tag and --chown flags that build and append share.
func tagAndOwners(tag string, chowns multi) (name.Tag, map[string]owner, error) {
	ref, err := name.NewTag(tag)
	if err != nil {
		return name.Tag{}, nil, err
	}
	owners, err := parseChowns(chowns)
	return ref, owners, err
}

func cmdAppend(args []string) error {
	f := flag.NewFlagSet("append", flag.ContinueOnError)
	base := f.String("base", "", "docker-archive tarball of the base image (its first image)")
	dir := f.String("dir", "", "directory that becomes the new top layer")
	tag := f.String("tag", "", "reference of the new image")
	out := f.String("out", "", "docker-archive tarball to write")
	var env, chowns multi
	f.Var(&env, "env", "K=V environment entry to add or override (repeatable)")
	f.Var(&chowns, "chown", "PATH=UID:GID owner of one path in the layer (repeatable)")
	if err := parse(f, args, map[string]*string{"base": base, "dir": dir, "tag": tag, "out": out}); err != nil {
		return err
	}
	ref, owners, err := tagAndOwners(*tag, chowns)
	if err != nil {
		return err
	}
	img, err := tarball.ImageFromPath(*base, nil)
	if err != nil {
		return fmt.Errorf("reading %s: %w", *base, err)
	}
	layer, cleanup, err := layerFromDir(*dir, owners)
	if err != nil {
		return err
	}
	defer cleanup()

	cf, err := img.ConfigFile()
	if err != nil {
		return err
	}
	// The base's creation time is kept: a deterministic base stays a deterministic result.
	created := cf.Created
	img, err = mutate.Append(img, mutate.Addendum{
		Layer:   layer,
		History: v1.History{Created: created, CreatedBy: "imagetool append", Comment: "imagetool"},
	})
	if err != nil {
		return err
	}
	if len(env) > 0 {
		cfg := cf.Config.DeepCopy()
		if cfg.Env, err = mergeEnv(cfg.Env, env); err != nil {
			return err
		}
		if img, err = mutate.Config(img, *cfg); err != nil {
			return err
		}
	}
	return write(ref, img, *out)
}

func cmdDigest(args []string) error {
	f := flag.NewFlagSet("digest", flag.ContinueOnError)
	path := f.String("tar", "", "docker-archive tarball")
	registry := f.Bool("registry", false, "print the manifest digest a registry push would give, not containerd's")
	if err := parse(f, args, map[string]*string{"tar": path}); err != nil {
		return err
	}
	img, err := tarball.ImageFromPath(*path, nil)
	if err != nil {
		return err
	}
	var d string
	if *registry {
		h, err := img.Digest()
		if err != nil {
			return err
		}
		d = h.String()
	} else if d, err = containerdDigest(img); err != nil {
		return err
	}
	fmt.Println(d)
	return nil
}

// containerdDigest is the digest of the manifest that `ctr images import` writes for a
// docker-archive: containerd does not keep a manifest from the archive (there is none), it
// marshals its own (schema 2, docker media types, fields in the OCI descriptor's order:
// mediaType, digest, size). That is the digest CRI reports for the image on the node, so it is
// the one printed by default.
func containerdDigest(img v1.Image) (string, error) {
	type descriptor struct {
		MediaType string `json:"mediaType"`
		Digest    string `json:"digest"`
		Size      int64  `json:"size"`
	}
	cfgName, err := img.ConfigName()
	if err != nil {
		return "", err
	}
	rawCfg, err := img.RawConfigFile()
	if err != nil {
		return "", err
	}
	layers, err := img.Layers()
	if err != nil {
		return "", err
	}
	m := struct {
		SchemaVersion int          `json:"schemaVersion"`
		MediaType     string       `json:"mediaType"`
		Config        descriptor   `json:"config"`
		Layers        []descriptor `json:"layers"`
	}{
		SchemaVersion: 2,
		MediaType:     string(types.DockerManifestSchema2),
		Config:        descriptor{string(types.DockerConfigJSON), cfgName.String(), int64(len(rawCfg))},
		Layers:        []descriptor{},
	}
	for _, l := range layers {
		// containerd sniffs each layer blob: gzip magic gives the gzip type, anything else the plain one.
		mt := types.DockerUncompressedLayer
		rc, err := l.Compressed()
		if err != nil {
			return "", err
		}
		head := make([]byte, 2)
		n, _ := io.ReadFull(rc, head)
		rc.Close()
		if n == 2 && head[0] == 0x1f && head[1] == 0x8b {
			mt = types.DockerLayer // ".tar.gzip"
		}
		d, err := l.Digest()
		if err != nil {
			return "", err
		}
		size, err := l.Size()
		if err != nil {
			return "", err
		}
		m.Layers = append(m.Layers, descriptor{string(mt), d.String(), size})
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("sha256:%x", sha256.Sum256(b)), nil
}

// write stores img under ref as a docker-archive tarball, through a temporary file so that an
// interrupted run never leaves a truncated archive at out.
func write(ref name.Tag, img v1.Image, out string) error {
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".imagetool-*.tar")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tarball.Write(ref, img, tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return err
	}
	d, err := containerdDigest(img)
	if err != nil {
		return err
	}
	fmt.Printf("%s %s %s\n", ref.String(), d, out)
	return nil
}

// mergeEnv adds or overrides K=V entries, keeping the order of the existing ones.
func mergeEnv(existing []string, add []string) ([]string, error) {
	out := append([]string(nil), existing...)
	for _, kv := range add {
		k, _, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("--env %q: want K=V", kv)
		}
		replaced := false
		for i, e := range out {
			if ek, _, _ := strings.Cut(e, "="); ek == k {
				out[i] = kv
				replaced = true
			}
		}
		if !replaced {
			out = append(out, kv)
		}
	}
	return out, nil
}

type owner struct{ uid, gid int }

func parseChowns(specs []string) (map[string]owner, error) {
	m := map[string]owner{}
	for _, s := range specs {
		p, ids, ok := strings.Cut(s, "=")
		u, g, ok2 := strings.Cut(ids, ":")
		uid, err1 := strconv.Atoi(u)
		gid, err2 := strconv.Atoi(g)
		if !ok || !ok2 || err1 != nil || err2 != nil {
			return nil, fmt.Errorf("--chown %q: want PATH=UID:GID", s)
		}
		m[strings.Trim(filepath.ToSlash(filepath.Clean("/"+p)), "/")] = owner{uid, gid}
	}
	return m, nil
}

// layerFromDir writes the tree under dir as a deterministic uncompressed tar in a temporary file
// and returns it as a layer (gzipped on write). Entries are sorted by path; modes (including
// setuid/setgid/sticky), symlinks and hard links are kept; every timestamp is the epoch; owners
// are those of the files, except that when this tool does not run as root, files owned by the
// running user become root's (it could not have chowned them); --chown overrides single paths.
func layerFromDir(dir string, owners map[string]owner) (v1.Layer, func(), error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, nil, err
	}
	if !info.IsDir() {
		return nil, nil, fmt.Errorf("%s is not a directory", dir)
	}
	tmp, err := os.CreateTemp("", "imagetool-layer-*.tar")
	if err != nil {
		return nil, nil, err
	}
	cleanup := func() { os.Remove(tmp.Name()) }
	if err := writeTar(dir, owners, tmp); err != nil {
		tmp.Close()
		cleanup()
		return nil, nil, err
	}
	if err := tmp.Close(); err != nil {
		cleanup()
		return nil, nil, err
	}
	layer, err := tarball.LayerFromFile(tmp.Name(), tarball.WithMediaType(types.DockerLayer))
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	return layer, cleanup, nil
}

func writeTar(dir string, owners map[string]owner, w io.Writer) error {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// WalkDir is lexical per directory already; sorting the relative slash paths makes the order
	// independent of the platform's separator and of how the walk interleaves directories.
	rel := make(map[string]string, len(paths))
	for _, p := range paths {
		r, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel[p] = filepath.ToSlash(r)
	}
	sort.Slice(paths, func(i, j int) bool { return rel[paths[i]] < rel[paths[j]] })

	self := os.Getuid()
	tw := tar.NewWriter(w)
	type inode struct{ dev, ino uint64 }
	seen := map[inode]string{}
	used := map[string]bool{}
	for _, p := range paths {
		name := rel[p]
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		link := ""
		if fi.Mode()&fs.ModeSymlink != 0 {
			if link, err = os.Readlink(p); err != nil {
				return err
			}
		}
		hdr, err := tar.FileInfoHeader(fi, link)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		hdr.Name = name
		if fi.IsDir() {
			hdr.Name += "/"
		}
		hdr.ModTime, hdr.AccessTime, hdr.ChangeTime = epoch, time.Time{}, time.Time{}
		hdr.Uname, hdr.Gname = "", ""
		hdr.PAXRecords = nil
		hdr.Uid, hdr.Gid = 0, 0
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			hdr.Uid, hdr.Gid = int(st.Uid), int(st.Gid)
			if self != 0 && hdr.Uid == self {
				hdr.Uid, hdr.Gid = 0, 0
			}
			if fi.Mode().IsRegular() && st.Nlink > 1 {
				key := inode{uint64(st.Dev), uint64(st.Ino)}
				if first, ok := seen[key]; ok {
					hdr.Typeflag, hdr.Linkname, hdr.Size = tar.TypeLink, first, 0
				} else {
					seen[key] = name
				}
			}
		}
		if o, ok := owners[name]; ok {
			hdr.Uid, hdr.Gid = o.uid, o.gid
			used[name] = true
		}
		if fi.Mode()&(fs.ModeDevice|fs.ModeNamedPipe|fs.ModeSocket) != 0 {
			return fmt.Errorf("%s: device, pipe or socket in an image tree", p)
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if hdr.Typeflag == tar.TypeReg {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			_, err = io.Copy(tw, f)
			f.Close()
			if err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
		}
	}
	for n := range owners {
		if !used[n] {
			return errors.New("--chown " + n + ": no such path in " + dir)
		}
	}
	return tw.Close()
}
