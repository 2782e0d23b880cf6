#!/usr/bin/python3
"""The reference's way to open a naver/splade index (IndexDictOfArray with force_new=False, as
SparseRetrieval does before searching): every posting list read into numpy arrays in memory, then
doc_ids.pkl unpickled. Written for this benchmark from that behaviour; prints postings and seconds.

  peer_load.py INDEX_DIR VOCAB_SIZE
"""
import os
import pickle
import sys
import time

import h5py
import numpy as np

start = time.perf_counter()
folder, dim_voc = sys.argv[1], int(sys.argv[2])
ids, values, postings = {}, {}, 0
with h5py.File(os.path.join(folder, "array_index.h5py"), "r") as f:
    for key in range(dim_voc):
        name = f"index_doc_id_{key}"
        if name in f:
            ids[key] = np.array(f[name], dtype=np.int32)
            values[key] = np.array(f[f"index_doc_value_{key}"], dtype=np.float32)
            postings += len(ids[key])
with open(os.path.join(folder, "doc_ids.pkl"), "rb") as f:
    doc_ids = pickle.load(f)
print(f"peer loaded {postings} postings, {len(doc_ids)} documents in {time.perf_counter() - start:.1f}s")
