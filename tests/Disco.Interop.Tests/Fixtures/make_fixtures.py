#!/usr/bin/python3
"""Dev-only: writes the SPLADE-format and pickle fixtures of Disco.Interop.Tests with h5py and
Python's own pickle, independently of Disco. Run from this folder with Debian's /usr/bin/python3
(python3-h5py, python3-numpy); the outputs are committed, so tests never need Python.

The index layout follows naver/splade's IndexDictOfArray.save: a scalar "dim" (the number of
non-empty posting lists), per vocabulary id k with postings "index_doc_id_{k}" (int32) and
"index_doc_value_{k}" (float32), documents in increasing row order; doc_ids.pkl is the pickled
list of collection ids; index_dist.json maps k to the list length. vectors.jsonl holds the same
documents as Disco vectors (token: weight), for the brute-force oracle.
"""
import json
import os
import pickle
import shutil

import h5py
import numpy as np

rng = np.random.default_rng(20261201)
VOCAB = ["[PAD]", "[unused0]", "[UNK]", "[CLS]", "[SEP]"] + [f"tok{i}" for i in range(35)] + ["##ing", "café"]
N_DOCS = 50


def documents():
    docs = []
    for _ in range(N_DOCS):
        n = int(rng.integers(3, 12))
        # Never term 7: an id with no posting list (dim counts lists, not the vocabulary).
        terms = sorted(set(int(t) for t in rng.choice([t for t in range(5, len(VOCAB)) if t != 7], size=n, replace=False)))
        weights = rng.lognormal(mean=0.0, sigma=0.6, size=len(terms)).astype(np.float32)
        docs.append(list(zip(terms, weights)))
    return docs


def write_index(folder, ids, docs, mutate=None):
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    lists = {}
    for row, doc in enumerate(docs):
        for term, weight in doc:
            lists.setdefault(term, ([], []))
            lists[term][0].append(row)
            lists[term][1].append(weight)
    arrays = {k: [np.array(v[0], dtype=np.int32), np.array(v[1], dtype=np.float32)] for k, v in lists.items()}
    if mutate:
        mutate(arrays)
    with h5py.File(os.path.join(folder, "array_index.h5py"), "w") as f:
        f.create_dataset("dim", data=len(arrays))
        for k, (d, v) in arrays.items():
            f.create_dataset(f"index_doc_id_{k}", data=d)
            f.create_dataset(f"index_doc_value_{k}", data=v)
    with open(os.path.join(folder, "doc_ids.pkl"), "wb") as f:
        pickle.dump(ids, f)
    with open(os.path.join(folder, "index_dist.json"), "w") as f:
        json.dump({int(k): len(v[0]) for k, v in arrays.items()}, f)


def write_vectors(path, ids, docs):
    with open(path, "w", encoding="utf-8") as f:
        for doc_id, doc in zip(ids, docs):
            vector = {VOCAB[t]: float(w) for t, w in doc}
            f.write(json.dumps({"id": str(doc_id), "vector": vector}, ensure_ascii=False) + "\n")


def main():
    with open("vocab.txt", "w", encoding="utf-8") as f:
        f.write("\n".join(VOCAB) + "\n")
    docs = documents()
    int_ids = [1000 + 7 * i for i in range(N_DOCS)]
    str_ids = [f"doc-{i:03d}-é" for i in range(N_DOCS)]
    write_index("splade-int", int_ids, docs)
    write_index("splade-str", str_ids, docs)
    write_vectors("vectors-int.jsonl", int_ids, docs)
    write_vectors("vectors-str.jsonl", str_ids, docs)

    def bad_lengths(arrays):
        k = sorted(arrays)[3]
        arrays[k][1] = arrays[k][1][:-1]

    def bad_range(arrays):
        k = sorted(arrays)[2]
        arrays[k][0][-1] = N_DOCS + 5

    write_index("splade-bad-lengths", int_ids, docs, bad_lengths)
    write_index("splade-bad-range", int_ids, docs, bad_range)

    os.makedirs("pickles", exist_ok=True)
    mixed = [0, 1, 255, 256, 65535, 65536, -1, -300, 2**31 - 1, 2**31, 2**40, -(2**63), "a", "", "née", "漢字 x", "\U0001F600"]
    for protocol in range(0, 6):
        with open(f"pickles/mixed-p{protocol}.pkl", "wb") as f:
            pickle.dump(mixed, f, protocol=protocol)
    with open("pickles/mixed.txt", "w", encoding="utf-8") as f:
        f.write("\n".join(str(x) for x in mixed) + "\n")
    big = [f"id{i}" for i in range(2500)] + list(range(2500))
    with open("pickles/big-p4.pkl", "wb") as f:
        pickle.dump(big, f, protocol=4)
    same = "dup-id"
    with open("pickles/repeated-p4.pkl", "wb") as f:
        pickle.dump(["x", same, "y", same], f, protocol=4)
    with open("pickles/numpy-ints.pkl", "wb") as f:
        pickle.dump([np.int64(1), np.int64(2)], f, protocol=4)
    with open("pickles/nested.pkl", "wb") as f:
        pickle.dump([1, [2, 3]], f, protocol=4)

    class Evil:
        def __reduce__(self):
            return (os.system, ("touch EXPLOITED_MARKER",))

    # Pickling does not run os.system; only unpickling with Python's pickle would.
    for protocol in (0, 4):
        with open(f"pickles/evil-p{protocol}.pkl", "wb") as f:
            pickle.dump([1, Evil()], f, protocol=protocol)


if __name__ == "__main__":
    main()
