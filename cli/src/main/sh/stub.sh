#!/bin/sh
# kubectl-rollgate: the kubectl plugin of Rollgate (kubectl rollgate --help).
# This file is a shell script followed by a Java archive: the script runs Java on the file itself.
# It needs Java 17 or later: $JAVA_HOME/bin/java, else java on PATH.
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! command -v "$java" >/dev/null 2>&1; then
  echo "error: kubectl-rollgate needs Java 17 or later: set JAVA_HOME or put java on PATH" >&2
  exit 1
fi
# a short-lived client: the C1 compiler and the serial collector start fastest
exec "$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$0" "$@"
