#!/usr/bin/env bash
# Writes ARCHIVE, a class-data archive (the JDK's AppCDS, -XX:ArchiveClassesAtExit) of the classes a
# short `fedlink simulate` loads from CLASSPATH, when ARCHIVE is missing or older than NEWER (the jar
# it describes). A JVM started with -XX:SharedArchiveFile=ARCHIVE then maps those classes instead of
# loading and verifying them: the ./fedlink launcher does, and starts 0.5-0.8 s sooner
# (docs/performance.md). Best effort: if the JVM cannot write one, nothing is written and the exit
# status is still 0. Written aside, then renamed, so that a JVM starting meanwhile never maps half a file.
# Usage: class-data-archive.sh ARCHIVE CLASSPATH NEWER
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: class-data-archive.sh ARCHIVE CLASSPATH NEWER" >&2
  exit 2
fi
archive="$1"
classpath="$2"
newer="$3"
if [ -f "$archive" ] && ! [ "$newer" -nt "$archive" ]; then
  exit 0
fi
echo "fedlink: writing a class-data archive for faster starts (once per build)" >&2
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
if java -XX:ArchiveClassesAtExit="$scratch/fedlink.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off -cp "$classpath" \
    io.fedlink.cli.Fedlink simulate --preset paper-fig4 --trials 4 --rounds 20 --out "$scratch/out" \
    >/dev/null 2>&1 && [ -s "$scratch/fedlink.jsa" ]; then
  mv -f "$scratch/fedlink.jsa" "$archive.$$" && mv -f "$archive.$$" "$archive"
fi
exit 0
