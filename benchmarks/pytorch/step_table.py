"""Prints the stage-by-stage table of a training step from the two profilers' outputs in a folder (library-steps-R.txt
from StepProfile.cs, pytorch-steps-R.txt from profile_steps.py, for each repeat R): family · stage · library ·
PyTorch · ratio, each side the median over the repeats, with the range of the per-repeat ratios."""
import glob
import os
import re
import statistics
import sys

LINE = re.compile(r"(\S+)\s+(.+?)\s+([\d.]+) ms$")


def load(folder, side):
    runs = []
    for path in sorted(glob.glob(os.path.join(folder, f"{side}-steps-*.txt"))):
        with open(path) as f:
            runs.append({(m[1], m[2]): float(m[3]) for m in (LINE.match(line.strip()) for line in f) if m})
    if not runs:
        sys.exit(f"step_table.py: no {side}-steps-*.txt in {folder}")
    return runs


def main(folder):
    lib, pt = load(folder, "library"), load(folder, "pytorch")
    print(f"{len(lib)} repeat(s); each cell the median over them of a median over 20 steps\n")
    print("| family | stage | library | PyTorch | ratio | per-repeat ratios |")
    print("|---|---|---:|---:|---:|---|")
    for key in lib[0]:
        a, b = [r[key] for r in lib], [r[key] for r in pt if key in r]
        if len(b) != len(a):
            continue
        ratios = [x / y for x, y in zip(a, b) if y > 0]
        ma, mb = statistics.median(a), statistics.median(b)
        spread = f"{min(ratios):.2f}–{max(ratios):.2f}" if len(ratios) > 1 else ""
        bold = "**" if key[1] == "sum of medians" else ""
        print(f"| {key[0]} | {bold}{key[1]}{bold} | {ma:.2f} ms | {mb:.2f} ms | {ma / mb if mb > 0 else float('nan'):.2f} | {spread} |")


if __name__ == "__main__":
    main(sys.argv[1])
