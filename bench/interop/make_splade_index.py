#!/usr/bin/python3
"""Writes a synthetic index in naver/splade's IndexDictOfArray.save layout for the import benchmark:
array_index.h5py (scalar dim = number of lists; index_doc_id_{k} int32 and index_doc_value_{k}
float32 per vocabulary id k with postings), doc_ids.pkl (a pickled list of int ids, as TopiOCQA's),
index_dist.json, and a 30522-token vocab.txt.

  make_splade_index.py DOCS POSTINGS_PER_DOC OUT_DIR

Document frequencies follow a Zipf-like curve over the vocabulary (a few terms in a large share of
documents, a long tail), as SPLADE document vectors do; weights are log-normal float32.
"""
import json
import os
import pickle
import sys

import h5py
import numpy as np

docs, per_doc, out = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
V = 30522
rng = np.random.default_rng(42)
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "vocab.txt"), "w") as f:
    f.write("\n".join(["[PAD]"] + [f"[unused{i}]" for i in range(998)] + [f"w{i}" for i in range(V - 999)]) + "\n")

# Terms 999.. are "real" tokens; their document frequencies follow 1/(rank + 50)^0.95, capped at 60% of documents.
terms = np.arange(999, V)
shape = 1.0 / (rng.permutation(len(terms)) + 50.0) ** 0.95
df = np.minimum(shape / shape.sum() * docs * per_doc, 0.6 * docs).astype(np.int64)
dist = {}
total = 0
with h5py.File(os.path.join(out, "array_index.h5py"), "w") as f:
    f.create_dataset("dim", data=int((df > 0).sum()))
    for k, n in zip(terms, df):
        if n == 0:
            continue
        ids = np.unique(rng.integers(0, docs, size=n)).astype(np.int32)
        values = rng.lognormal(mean=-0.3, sigma=0.5, size=len(ids)).astype(np.float32)
        f.create_dataset(f"index_doc_id_{k}", data=ids)
        f.create_dataset(f"index_doc_value_{k}", data=values)
        dist[int(k)] = len(ids)
        total += len(ids)
with open(os.path.join(out, "doc_ids.pkl"), "wb") as f:
    pickle.dump(list(range(docs)), f)
with open(os.path.join(out, "index_dist.json"), "w") as f:
    json.dump(dist, f)
print(f"{out}: {docs} documents, {len(dist)} lists, {total} postings")
