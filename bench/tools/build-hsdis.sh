#!/usr/bin/env bash
# Builds bench/tools/hsdis-amd64.so from hsdis-capstone.c (Debian: needs gcc and libcapstone-dev).
# Then, to see what C2 made of a kernel:
#   LD_LIBRARY_PATH=bench/tools java --add-modules jdk.incubator.vector -XX:+UnlockDiagnosticVMOptions \
#     -XX:CompileCommand=print,dev.downhill.kernels.Gemm::kernel -cp ... YourMain
# (Debian's libhsdis0-fcml does not load in JDK 17+: it lacks decode_instructions_virtual.)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -f /usr/include/capstone/capstone.h ]; then
  echo "build-hsdis: Capstone headers are missing; install them with: apt-get install libcapstone-dev" >&2
  exit 1
fi
gcc -O2 -shared -fPIC -o "$here/hsdis-amd64.so" "$here/hsdis-capstone.c" -lcapstone
echo "built $here/hsdis-amd64.so"
