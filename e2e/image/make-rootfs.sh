#!/usr/bin/env bash
# Builds the root filesystem that the operator and clinic images are made of, from scratch:
# a Java runtime cut down by jlink from the build's own JDK, plus exactly the shared libraries
# that runtime links against, each at the absolute path the dynamic loader looks for it.
# Jib then adds the Quarkus fast-jar at /app (see the `image` profile of operator/ and app/).
#
# There is no base image to pull here (no registry), and none is needed: a JVM only needs the
# C library, libz, libstdc++/libgcc_s (libjvm, libjimage) and the dynamic loader.
#
#   e2e/image/make-rootfs.sh <java-home> <out-dir>
#
# <out-dir> gets: opt/jre/ (the runtime), lib/x86_64-linux-gnu/*.so*, lib64/ld-linux-x86-64.so.2,
# etc/passwd + etc/group (user 1001), tmp/. Rebuilt from nothing on every run (about 5 s).
set -euo pipefail

java_home=${1:?usage: make-rootfs.sh <java-home> <out-dir>}
out=${2:?usage: make-rootfs.sh <java-home> <out-dir>}

# What Quarkus, Vert.x, the fabric8 client, Micrometer, Agroal, Narayana and the PostgreSQL driver
# use, from jdeps over both apps' lib/ folders, plus what is loaded by name at run time:
# jdk.crypto.ec (TLS with EC keys, e.g. an API server's certificate), jdk.zipfs, jdk.naming.dns,
# java.net.http, java.instrument, java.rmi (Narayana's java.rmi.RemoteException, which jdeps misses:
# without it clinic fails to boot). java.desktop is there for java.beans (quarkus-core, Micrometer,
# the PostgreSQL driver), not for a GUI: its GUI libraries are removed below.
# e2e/image/verify-image.sh boots each image, which is what catches a missing module.
modules=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.rmi,java.security.jgss,java.sql,java.transaction.xa,java.xml,jdk.crypto.ec,jdk.management,jdk.naming.dns,jdk.unsupported,jdk.zipfs

rm -rf "$out"
mkdir -p "$out/opt" "$out/etc" "$out/tmp"

"$java_home/bin/jlink" \
  --add-modules "$modules" \
  --strip-debug --no-man-pages --no-header-files --compress=2 \
  --output "$out/opt/jre"

jre="$out/opt/jre"
# A headless server: drop the native libraries that would pull X11, ALSA, freetype, libjpeg...
# (the JVM only loads them for a display, sound or font rendering).
for so in libawt_xawt libjawt libsplashscreen libjsound libfontmanager libjavajpeg liblcms; do
  rm -f "$jre/lib/$so.so"
done
# Some distributions' JDKs keep cacerts as a link into /etc/ssl; the image must hold the file.
if [ -L "$jre/lib/security/cacerts" ]; then
  cp --remove-destination -L "$java_home/lib/security/cacerts" "$jre/lib/security/cacerts"
fi

# The shared libraries of every executable and library of the runtime, at the absolute path the
# loader resolved them to on this machine (ldd), as regular files (no symlinks to dangle).
libs=$(
  find "$jre/bin" "$jre/lib" -type f \( -name '*.so' -o -perm -u+x \) -print0 |
    xargs -0 -r ldd 2>/dev/null |
    awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
    sort -u
)
for lib in $libs; do
  case "$lib" in "$jre"/*) continue ;; esac # the runtime's own libraries
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done
if [ ! -e "$out/lib64/ld-linux-x86-64.so.2" ]; then
  echo "make-rootfs: no dynamic loader found among: $libs" >&2
  exit 1
fi

# The non-root user the images run as (the charts' runAsUser).
cat > "$out/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
rollgate:x:1001:1001:rollgate:/tmp:/sbin/nologin
PASSWD
cat > "$out/etc/group" <<'GROUP'
root:x:0:
rollgate:x:1001:
GROUP

echo "make-rootfs: $(du -sh "$out" | cut -f1) in $out"
