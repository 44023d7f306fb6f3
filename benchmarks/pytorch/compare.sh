#!/usr/bin/env bash
# Speed side by side with PyTorch, one command (issue #19): runs the library's half (SideBySide.cs in the benchmark
# project) and PyTorch's half (bench.py) back to back on this machine, 2 threads each, and prints
# family · measurement · library · PyTorch · ratio (library ÷ PyTorch; below 1 the library is faster).
#
#   bash benchmarks/pytorch/compare.sh [--repeat R] [--runs N] [--cases vae-mlp,medgan,...] [--out DIR]
#   bash benchmarks/pytorch/compare.sh --profile-steps [--repeat R] [--out DIR]
#
# --profile-steps times the stages of the MLP VAE's, medGAN's and EHRDiff's training steps on both sides instead
# (StepProfile.cs and profile_steps.py: dense batch, forward + loss, backward, optimizer, EMA, read-back).
#
# --repeat R runs the two halves R times, alternating (library, PyTorch, library, …), and the table shows the median of
# each side over the repeats with the range of the per-repeat ratios: this VM's timings swing by ±30 % from minute to
# minute, and alternating keeps a slow minute from landing on one side only.
#
# Needs PyTorch for /usr/bin/python3 (or $PYTHON): apt-get install -y python3-torch python3-numpy libopenblas0-pthread.
# Not part of .ci/run. Never run it beside another heavy job: both sides use every core they are given.
set -euo pipefail
cd "$(dirname "$0")/../.."
python=${PYTHON:-/usr/bin/python3}
repeat=1 runs=3 cases=vae-conv,vae-mlp,medgan,corgan,ehrdiff,ddpm,gpt2-distil,gpt2-tiny out="" steps=no
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --cases) cases=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --profile-steps) steps=yes; shift ;;
    *) echo "compare.sh: unknown argument '$1' (use --repeat R, --runs N, --cases a,b, --out DIR, --profile-steps)" >&2; exit 2 ;;
  esac
done
if ! "$python" -c "import torch" 2>/dev/null; then
  echo "compare.sh: PyTorch is not importable by $python. Install it: apt-get update && apt-get install -y python3-torch python3-numpy libopenblas0-pthread" >&2
  exit 3
fi
[ -n "$out" ] || out=$(mktemp -d "${TMPDIR:-/tmp}/ehrsynth-vs-pytorch.XXXXXX")
mkdir -p "$out"
echo "== machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, AVX-512: $(grep -q avx512f /proc/cpuinfo && echo yes || echo no)"
echo "== build, then stop the build servers (an idle compiler server steals cycles from the first measurements)"
dotnet build -c Release benchmarks/EhrSynth.Generators.Benchmarks > "$out/build.log" 2>&1 || { tail -20 "$out/build.log"; exit 1; }
dotnet build-server shutdown > /dev/null 2>&1 || true
library=benchmarks/EhrSynth.Generators.Benchmarks/bin/Release/net10.0/EhrSynth.Generators.Benchmarks.dll
if [ "$steps" = yes ]; then
  for r in $(seq 1 "$repeat"); do
    echo "== stage profiles, repeat $r of $repeat: library, then PyTorch"
    dotnet "$library" --profile-steps | tee "$out/library-steps-$r.txt"
    (cd benchmarks/pytorch && OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE "$python" profile_steps.py) | tee "$out/pytorch-steps-$r.txt"
  done
  echo
  "$python" benchmarks/pytorch/step_table.py "$out" | tee "$out/steps.md"
  exit 0
fi
for r in $(seq 1 "$repeat"); do
  echo "== library (TorchSharp) half, repeat $r of $repeat"
  dotnet "$library" \
    --side-by-side "$out/library-$r.json" --runs "$runs" --cases "$cases"
  echo "== PyTorch half, repeat $r of $repeat"
  # OMP_WAIT_POLICY=PASSIVE: Debian's PyTorch runs its GEMMs on OpenBLAS's own pthreads and everything else on OpenMP
  # threads; with OpenMP's default spin-waiting the two pools fight for the 2 cores and small matrix products run up
  # to 2.7x slower (measured: a 500 x 1071 x 256 Linear 4.5 ms spinning, 1.7 ms passive). PyTorch gets its best
  # setting. (The library's libtorch uses one OpenMP pool for both and is slightly slower with PASSIVE: it keeps the
  # default.)
  OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE "$python" benchmarks/pytorch/bench.py --output "$out/pytorch-$r.json" --runs "$runs" --cases "$cases" --threads 2
done
echo
"$python" benchmarks/pytorch/table.py "$out" | tee "$out/table.md"
echo
echo "(JSON and table in $out)"
