#!/bin/bash
# Cold start: wall time of `run ch8-overfit` in a fresh JVM against the same script in PyTorch from a
# fresh Python (bench/torch_ch8_overfit.py), each run REPS times (default 5), alternating; prints each
# time and the medians. Uses hyperfine instead when it is installed. Build the launcher first:
#   ./mvnw -q -Pdemos package -DskipTests
# Run under the benchmark lock on a shared machine: flock /tmp/downhill-bench.lock bench/cold_start.sh
set -e
cd "$(dirname "$0")/.."
REPS=${REPS:-5}
JAVA="$(./mvnw --print-jdk)/bin/java"
OUT=$(mktemp -d)
JAVA_CMD="$JAVA --add-modules jdk.incubator.vector -jar examples/target/downhill-examples.jar run ch8-overfit --out $OUT"
PY_CMD="/usr/bin/python3 bench/torch_ch8_overfit.py"
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
if command -v hyperfine >/dev/null; then
  hyperfine -w 1 -r "$REPS" "$JAVA_CMD" "$PY_CMD"
  exit
fi
wall() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); }
j=(); p=()
for i in $(seq "$REPS"); do
  j+=("$(wall $JAVA_CMD)")
  p+=("$(wall $PY_CMD)")
done
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "java   run ch8-overfit (ms): ${j[*]}  median $(med "${j[@]}")"
echo "python torch_ch8_overfit (ms): ${p[*]}  median $(med "${p[@]}") (OMP_NUM_THREADS=$OMP_NUM_THREADS)"
