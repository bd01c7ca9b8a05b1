#!/usr/bin/env bash
# Writes ARCHIVE, a class-data archive (the JDK's AppCDS, -XX:ArchiveClassesAtExit) of the classes a
# short `fedlink simulate` loads from CLASSPATH, when ARCHIVE is missing or older than NEWER (the jar
# it describes). A JVM started with -XX:SharedArchiveFile=ARCHIVE then maps those classes instead of
# loading and verifying them: the ./fedlink launcher does, and starts 0.5-0.8 s sooner
# (docs/performance.md). Best effort: if no archive can be written (a read-only folder, a JVM that
# cannot dump one), nothing is written, the exit status is still 0, and ARCHIVE.failed records it so
# that later starts do not try again until NEWER changes. Written in ARCHIVE's folder, then renamed,
# so that a JVM starting meanwhile never maps half a file.
# Usage: class-data-archive.sh ARCHIVE CLASSPATH NEWER
set -uo pipefail
if [ $# -ne 3 ]; then
  echo "usage: class-data-archive.sh ARCHIVE CLASSPATH NEWER" >&2
  exit 2
fi
archive="$1"
classpath="$2"
newer="$3"
failed="$archive.failed"
for done in "$archive" "$failed"; do
  if [ -f "$done" ] && ! [ "$newer" -nt "$done" ]; then
    exit 0
  fi
done
scratch="$(mktemp -d "$archive.XXXXXX" 2>/dev/null)" || exit 0     # a folder we cannot write: say nothing
trap 'rm -rf "$scratch"' EXIT
echo "fedlink: writing a class-data archive for faster starts (once per build)" >&2
if java -XX:ArchiveClassesAtExit="$scratch/fedlink.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off -cp "$classpath" \
    io.fedlink.cli.Fedlink simulate --preset paper-fig4 --trials 4 --rounds 20 --out "$scratch/out" \
    >/dev/null 2>&1 && [ -s "$scratch/fedlink.jsa" ] && mv -f "$scratch/fedlink.jsa" "$archive" 2>/dev/null; then
  rm -f "$failed"
else
  echo "fedlink: no class-data archive (this JVM could not write one); starting without" >&2
  touch "$failed" 2>/dev/null
fi
exit 0
