#!/usr/bin/env python3
"""Keep the volumes of one reconstruction kind from a make_training_pairs.py file made with
several `--recons` (e.g. only the FBP volumes), renumbering `volume`; attributes are copied and
`phantoms` narrowed to the kept volumes, so train_tomogan.py's validation split still works.

    /usr/bin/python3 tools/select_pairs.py --pairs out/admm2/train.h5 --recon fbp --out out/admm2/train_fbp.h5
"""
import argparse

import h5py
import numpy as np


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", required=True, help="input pairs file (make_training_pairs.py --recons ...)")
    ap.add_argument("--recon", required=True, help="reconstruction tag to keep: fbp, sirt20, cgls5, ...")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    with h5py.File(args.pairs, "r") as src:
        names = str(src.attrs["phantoms"]).split("; ")
        keep = [i for i, n in enumerate(names) if f"[{args.recon}," in n]
        if not keep:
            raise SystemExit(f"no volume of {args.pairs} is tagged [{args.recon}, ...]")
        vol = src["volume"][...]
        sel = np.isin(vol, keep)
        remap = {v: k for k, v in enumerate(keep)}
        with h5py.File(args.out, "w") as f:
            f["input"] = src["input"][...][sel]
            f["clean"] = src["clean"][...][sel]
            f["volume"] = np.array([remap[v] for v in vol[sel]], np.int32)
            for k, v in src.attrs.items():
                f.attrs[k] = v
            f.attrs["phantoms"] = "; ".join(names[i] for i in keep)
            f.attrs["degradation"] = f"{src.attrs['degradation']}; only the {args.recon} volumes ({args.pairs})"
    print(f"wrote {args.out}: {len(keep)} volumes, {int(sel.sum())} slice pairs")


if __name__ == "__main__":
    main()
