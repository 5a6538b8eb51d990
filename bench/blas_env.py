"""OpenBLAS's environment for the peer timings (bench/peers.py, bench/gemm_report.py).

OpenBLAS 0.3.21 (Debian 12) picks its kernels from the CPU model, and it does not know every model a VM
reports: on the Xeon (family 6, model 207) of this machine kind it falls back to 'Prescott' (SSE3) and
multiplies at a fifth of its speed (1024^3 on one core: 31 GFLOP/s as Prescott, 150 as Cooperlake).
openblas_env() keeps OPENBLAS_CORETYPE (and OPENBLAS_L2_SIZE) when you set them; otherwise, when the
library reports such a generic core on a CPU with AVX-512 or AVX2, it sets OPENBLAS_CORETYPE to the
matching kernel family (Cooperlake with AVX512-BF16, else SkylakeX; Haswell for AVX2) and says so, so the
peers are timed as their users would see them after the one-line fix.
"""
import os
import subprocess

GENERIC = {"Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom", "Katmai", "Coppermine", "Northwood",
           "Banias", "Athlon", "Opteron", "Barcelona", "Unknown"}
PROBE = r"""
import ctypes, ctypes.util
import numpy  # loads the BLAS numpy uses, so the probe sees the same library
for name in ("libopenblas.so.0", ctypes.util.find_library("openblas") or ""):
    try:
        lib = ctypes.CDLL(name)
        lib.openblas_get_corename.restype = ctypes.c_char_p
        print(lib.openblas_get_corename().decode())
        break
    except (OSError, AttributeError):
        pass
"""


def cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def corename(python, env):
    """What OpenBLAS calls this CPU under env, or None when NumPy or OpenBLAS is missing."""
    try:
        p = subprocess.run([python, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    out = p.stdout.strip()
    return out or None


def openblas_env(python, env=None):
    """Returns (env, note): the environment to run peers in and one line saying what was chosen."""
    env = dict(os.environ if env is None else env)
    mine = {k: env[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in env}
    if "OPENBLAS_CORETYPE" in env:
        core = corename(python, env)
        return env, f"OpenBLAS: {mine} from your environment (core in use: {core})"
    core = corename(python, env)
    if core is None:
        return env, "OpenBLAS: not found (NumPy missing or on another BLAS)"
    flags = cpu_flags()
    if core in GENERIC:
        if "avx512f" in flags:
            pick = "Cooperlake" if "avx512_bf16" in flags else "SkylakeX"
        elif "avx2" in flags:
            pick = "Haswell"
        else:
            pick = None
        if pick:
            env["OPENBLAS_CORETYPE"] = pick
            return env, (f"OpenBLAS: took this CPU for '{core}' (a generic kernel); OPENBLAS_CORETYPE={pick} set for "
                         f"the peers (now: {corename(python, env)}){'; ' + str(mine) if mine else ''}")
    return env, f"OpenBLAS: core {core}{'; ' + str(mine) if mine else ''}"
