"""PyTorch-eager peer for the reranking benchmark (docs/benchmarks.md, "Cross-encoder reranking").

Writes or reads the benchmark's pairs, then scores them with a MiniLM-L6-shaped
BertForSequenceClassification (hidden 384, 6 layers, 12 heads, intermediate 1536, one logit) written
in plain torch (transformers is not installed here): embeddings with token types, post-LN layers with
erf GELU, pooler tanh(dense(h_CLS)), classifier. Pairs are sorted by length and batched, as disco
does, under torch.inference_mode. Random weights; throughput does not depend on their values.
  rerank_torch.py --write-pairs FILE --pairs N   writes N pairs ([CLS] q [SEP] p [SEP] ids, query length)
  rerank_torch.py --pairs-file FILE              scores them and prints one JSON line
"""
import argparse
import json
import random

import torch
import torch.nn as nn

from torch_bert import Layer, additive_mask, init_weights, timed


class CrossEncoder(nn.Module):
    def __init__(self, vocab=30522, h=384, layers=6, heads=12, inter=1536, positions=512, eps=1e-12):
        super().__init__()
        self.word, self.pos, self.token_type = nn.Embedding(vocab, h), nn.Embedding(positions, h), nn.Embedding(2, h)
        self.ln = nn.LayerNorm(h, eps=eps)
        self.layers = nn.ModuleList(Layer(h, heads, inter, eps) for _ in range(layers))
        self.pooler, self.classifier = nn.Linear(h, h), nn.Linear(h, 1)
        init_weights(self)

    def forward(self, ids, types, mask):
        t = ids.shape[1]
        x = self.ln(self.word(ids) + self.pos.weight[:t] + self.token_type(types))
        additive = additive_mask(mask)
        for layer in self.layers:
            x = layer(x, additive)
        return self.classifier(torch.tanh(self.pooler(x[:, 0]))).squeeze(-1)


def write_pairs(path, count, seed=0):
    """MS MARCO-like pairs: queries of 6-14 wordpieces, passages of 40-200."""
    rng = random.Random(seed)
    pairs = []
    for _ in range(count):
        q = [rng.randrange(1000, 30000) for _ in range(rng.randint(6, 14))]
        p = [rng.randrange(1000, 30000) for _ in range(rng.randint(40, 200))]
        pairs.append({"ids": [101, *q, 102, *p, 102], "first": len(q) + 2})
    with open(path, "w") as f:
        json.dump(pairs, f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--write-pairs")
    ap.add_argument("--pairs", type=int, default=512)
    ap.add_argument("--pairs-file")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    if a.write_pairs:
        write_pairs(a.write_pairs, a.pairs)
        return
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    pairs = json.load(open(a.pairs_file))
    model = CrossEncoder().eval()
    order = sorted(range(len(pairs)), key=lambda i: -len(pairs[i]["ids"]))

    def run(indices):
        scores = [0.0] * len(pairs)
        with torch.inference_mode():
            for s in range(0, len(indices), a.batch):
                chunk = [pairs[i] for i in indices[s:s + a.batch]]
                t = max(len(c["ids"]) for c in chunk)
                ids = torch.zeros(len(chunk), t, dtype=torch.long)
                types = torch.zeros_like(ids)
                mask = torch.zeros_like(ids)
                for r, c in enumerate(chunk):
                    n = len(c["ids"])
                    ids[r, :n] = torch.tensor(c["ids"])
                    types[r, c["first"]:n] = 1
                    mask[r, :n] = 1
                out = model(ids, types, mask)
                for r, i in enumerate(indices[s:s + a.batch]):
                    scores[i] = float(out[r])
        return scores

    _, seconds = timed(lambda: run(order[:a.batch]), lambda: run(order))
    print(json.dumps({"system": "pytorch eager fp32 (OpenBLAS)", "pairs": len(pairs), "batch": a.batch, "threads": a.threads,
                      "seconds": seconds, "pairs_per_s": len(pairs) / seconds, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
