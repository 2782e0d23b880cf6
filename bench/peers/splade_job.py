"""SPLADE's reference retrieval as a whole job (docs/benchmarks.md, "Whole job"): the peer of
`disco search --queries QUERIES.jsonl --out RUN.trec`, timed from process start to the run on disk.

What it does is what a user of naver/splade does at retrieval time, on the bench's CSR collection:
- load the posting arrays (naver/splade's IndexDictOfArray holds int32 document ids and float32
  values per term in RAM; here one concatenated array of each plus term offsets, read whole with
  np.load, which is faster than naver/splade's per-term HDF5 datasets, so it favours the peer);
- read the query vectors JSONL with json.loads per line and map each token through the vocabulary
  dict to its id (naver/splade's queries arrive as encoder outputs; this is the same step a user
  takes for pre-encoded queries);
- score each query with the numba kernel of bench/peers/splade_numba.py (`numba_score_float`:
  float32 accumulator, `scores > 0`, argpartition top-k, then sorted), one thread;
- build naver/splade's run dict `res[qid][str(doc_id)] = float(score)` and write it as TREC lines
  (naver/splade has no TREC writer, spec.md 5; `rank` from the score order, Python's float text).

Usage: /usr/bin/python3 splade_job.py prepare DIR OUTDIR      (posting arrays of DIR/docs, untimed)
       /usr/bin/python3 splade_job.py run OUTDIR QUERIES K RUN  (the job; phases as JSON on stderr)
"""
import json
import os
import sys
import time

T0 = time.perf_counter()

import numba  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import splade_numba  # noqa: E402

VOCABULARY = 30522


# The search benchmark's kernel and top-k (bench/peers/splade_numba.py), compiled with numba's
# on-disk cache so that each job loads it instead of compiling it again (NUMBA_CACHE_DIR).
score_float = numba.njit(nogil=True, parallel=True, cache=True)(splade_numba.score_float.py_func)
select_topk = splade_numba.select_topk


def prepare(directory, out):
    indptr = np.fromfile(directory + "/docs.indptr", dtype=np.int64)
    terms = np.fromfile(directory + "/docs.terms", dtype=np.int32)
    weights = np.fromfile(directory + "/docs.weights", dtype=np.float32)
    n_docs = len(indptr) - 1
    rows = np.repeat(np.arange(n_docs, dtype=np.int32), np.diff(indptr))
    order = np.argsort(terms, kind="stable")
    ptr = np.zeros(VOCABULARY + 1, dtype=np.int64)
    np.cumsum(np.bincount(terms, minlength=VOCABULARY), out=ptr[1:])
    os.makedirs(out, exist_ok=True)
    np.save(out + "/ptr.npy", ptr)
    np.save(out + "/doc_ids.npy", rows[order])
    np.save(out + "/values.npy", weights[order])
    # Original document ids by internal id, as naver/splade's doc_ids.pkl (the bench's ids are 0..n-1).
    with open(out + "/doc_ids.json", "w") as f:
        json.dump([str(i) for i in range(n_docs)], f)


def run(index, queries_path, k, run_path):
    numba.set_num_threads(1)
    t_start = time.perf_counter()
    ptr = np.load(index + "/ptr.npy")
    doc_ids = np.load(index + "/doc_ids.npy")
    values = np.load(index + "/values.npy")
    with open(index + "/doc_ids.json") as f:
        names = json.load(f)
    n_docs = len(names)
    vocab = {f"w{i}": i for i in range(VOCABULARY)}
    t_loaded = time.perf_counter()
    queries = []
    with open(queries_path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            obj = json.loads(line)
            vector = obj["vector"]
            known = [(vocab[t], w) for t, w in vector.items() if t in vocab]
            terms = np.array([t for t, _ in known], dtype=np.int32)
            weights = np.array([w for _, w in known], dtype=np.float32)
            queries.append((str(obj["id"]), terms, weights))
    t_parsed = time.perf_counter()
    res = {}
    for qid, terms, weights in queries:
        filtered, scores = score_float(ptr, doc_ids, values, terms, weights, n_docs)
        ids, sc = select_topk(filtered, scores, k)
        res[qid] = {names[d]: float(s) for d, s in zip(ids, sc)}
    t_searched = time.perf_counter()
    with open(run_path, "w") as f:
        for qid, docs in res.items():
            for rank, (doc, score) in enumerate(sorted(docs.items(), key=lambda x: -x[1]), 1):
                f.write(f"{qid} Q0 {doc} {rank} {score} splade\n")
    t_written = time.perf_counter()
    print(json.dumps({"queries": len(queries), "startS": t_start - T0, "loadS": t_loaded - t_start,
                      "parseS": t_parsed - t_loaded, "searchS": t_searched - t_parsed,
                      "writeS": t_written - t_searched}), file=sys.stderr)


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        prepare(sys.argv[2], sys.argv[3])
    else:
        run(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
