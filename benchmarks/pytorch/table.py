"""Prints the side-by-side table from the two halves' JSON: family · measurement · library · PyTorch · ratio."""
import json
import sys

NAMES = {
    "vae-conv": "VAE, conv (paper)", "vae-mlp": "VAE, MLP (quick)", "medgan": "medGAN (reference)",
    "corgan": "CorGAN (reference)", "ehrdiff": "EHRDiff (reference v2)", "ddpm": "DDPM",
    "gpt2-distil": "GPT-2, DistilGPT2 preset", "gpt2-tiny": "GPT-2, tiny preset",
}


def fmt(seconds):
    return f"{seconds * 1e3:,.1f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def main(library_json, torch_json):
    lib, pt = json.load(open(library_json)), json.load(open(torch_json))
    theirs = {(r["case"], r["measure"]): r["seconds"] for r in pt["results"]}
    print(f"library: {lib['runtime']}, {lib['threads']} threads; PyTorch: {pt['runtime']}, {pt['threads']} threads\n")
    print("| family | measurement | library | PyTorch | ratio |")
    print("|---|---|---:|---:|---:|")
    for r in lib["results"]:
        other = theirs.get((r["case"], r["measure"]))
        ratio = f"{r['seconds'] / other:.2f}" if other else "—"
        print(f"| {NAMES.get(r['case'], r['case'])} | {r['measure']} | {fmt(r['seconds'])} | {fmt(other) if other else '—'} | {ratio} |")


if __name__ == "__main__":
    main(*sys.argv[1:3])
