"""Prints the side-by-side table from the halves' JSON files in a folder (library-R.json, pytorch-R.json for each
repeat R): family · measurement · library · PyTorch · ratio, each side the median over the repeats, and the range of
the per-repeat ratios when there is more than one."""
import glob
import json
import os
import statistics
import sys

NAMES = {
    "vae-conv": "VAE, conv (paper)", "vae-mlp": "VAE, MLP (quick)", "medgan": "medGAN (reference)",
    "corgan": "CorGAN (reference)", "ehrdiff": "EHRDiff (reference v2)", "ddpm": "DDPM",
    "gpt2-distil": "GPT-2, DistilGPT2 preset", "gpt2-tiny": "GPT-2, tiny preset",
}


def fmt(seconds):
    return f"{seconds * 1e3:,.1f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def load(folder, side):
    runs = [json.load(open(f)) for f in sorted(glob.glob(os.path.join(folder, f"{side}-*.json")))]
    if not runs:
        sys.exit(f"table.py: no {side}-*.json in {folder}")
    return runs


def main(folder):
    lib, pt = load(folder, "library"), load(folder, "pytorch")
    keys = [(r["case"], r["measure"]) for r in lib[0]["results"]]
    lib_t = {k: [next(r["seconds"] for r in run["results"] if (r["case"], r["measure"]) == k) for run in lib] for k in keys}
    pt_t = {}
    for run in pt:
        for r in run["results"]:
            pt_t.setdefault((r["case"], r["measure"]), []).append(r["seconds"])
    print(f"library: {lib[0]['runtime']}, {lib[0]['threads']} threads; PyTorch: {pt[0]['runtime']}, {pt[0]['threads']} threads; "
          f"{len(lib)} repeat(s), each side the median over them\n")
    print("| family | measurement | library | PyTorch | ratio | per-repeat ratios |")
    print("|---|---|---:|---:|---:|---|")
    for k in keys:
        a, b = lib_t[k], pt_t.get(k)
        if not b:
            print(f"| {NAMES.get(k[0], k[0])} | {k[1]} | {fmt(statistics.median(a))} | — | — | |")
            continue
        ratios = [x / y for x, y in zip(a, b)]
        spread = f"{min(ratios):.2f}–{max(ratios):.2f}" if len(ratios) > 1 else ""
        print(f"| {NAMES.get(k[0], k[0])} | {k[1]} | {fmt(statistics.median(a))} | {fmt(statistics.median(b))} | "
              f"{statistics.median(a) / statistics.median(b):.2f} | {spread} |")


if __name__ == "__main__":
    main(sys.argv[1])
