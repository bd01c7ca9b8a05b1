#!/usr/bin/env bash
# Fetches the diabetes regression data set and writes it as a CSV table for `fedlink simulate --data`:
#
#   benchmarks/fetch-diabetes.sh [OUT.csv]        (default: benchmarks/data/diabetes.csv)
#
# The data: 442 diabetes patients, ten baseline variables (age, sex, body mass index, average blood
# pressure, six blood serum measurements s1..s6) and the response, a quantitative measure of disease
# progression one year after baseline (Efron, Hastie, Johnstone and Tibshirani, "Least Angle
# Regression", Annals of Statistics 32(2), 2004; the data from B. Efron's and NCSU's pages). It is
# taken, unscaled, from the copy scikit-learn ships (sklearn/datasets/data/diabetes_data_raw.csv.gz
# and diabetes_target.csv.gz) in Debian's package python3-sklearn, whose copyright file puts every
# file of scikit-learn under the BSD-3-Clause licence. The package is downloaded with
# `apt-get download` (no installation, no root needed beyond `apt-get update` having run once) and
# unpacked in a temporary folder. Fedlink never fetches anything at run time.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/data/diabetes.csv}"
for tool in apt-get dpkg-deb zcat; do
  command -v "$tool" >/dev/null 2>&1 || { echo "fetch-diabetes.sh: $tool not found (a Debian system is needed)" >&2; exit 1; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if ! (cd "$work" && apt-get download python3-sklearn >/dev/null 2>"$work/apt.log"); then
  cat "$work/apt.log" >&2
  echo "fetch-diabetes.sh: apt-get download python3-sklearn failed; run 'apt-get update' once and try again" >&2
  exit 1
fi
dpkg-deb -x "$work"/python3-sklearn_*.deb "$work/x"
data="$(find "$work/x" -path '*sklearn/datasets/data' -type d | head -1)"
[ -n "$data" ] || { echo "fetch-diabetes.sh: the package has no sklearn/datasets/data" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
# The response as given (progression) and in units of its standard deviation about its mean
# (progression_z, population statistics): a target of unit scale makes w*, and so the link noise's
# share of it, comparable with the paper's unit-power models.
paste -d ' ' <(zcat "$data/diabetes_data_raw.csv.gz") <(zcat "$data/diabetes_target.csv.gz") | awk '
  { n++; for (i = 1; i <= NF; i++) cell[n, i] = $i; y[n] = $NF + 0; sum += y[n] }
  END {
    mean = sum / n
    for (r = 1; r <= n; r++) sq += (y[r] - mean) ^ 2
    sd = sqrt(sq / n)
    print "age,sex,bmi,bp,s1,s2,s3,s4,s5,s6,progression,progression_z"
    for (r = 1; r <= n; r++) {
      line = ""
      for (i = 1; i <= 10; i++) line = line cell[r, i] ","
      printf "%s%d,%.15g\n", line, y[r], (y[r] - mean) / sd
    }
  }' > "$out"
rows=$(($(wc -l < "$out") - 1))
[ "$rows" -eq 442 ] || { echo "fetch-diabetes.sh: expected 442 rows, got $rows" >&2; exit 1; }
echo "wrote $out: $rows rows, columns $(head -1 "$out")" >&2
