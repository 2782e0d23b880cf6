"""PyTorch-eager peer for the encoder benchmark (docs/benchmarks.md, "Encoder").

A BERT-base-shaped BertForMaskedLM written in plain torch (transformers is not installed here):
embeddings + LayerNorm, 12 post-LN layers with erf GELU, MLM head (dense, GELU, LayerNorm, decoder
tied to the word embeddings), then SPLADE max pooling log(1 + relu(logits)) over the attention
mask, under torch.inference_mode. Random weights; throughput does not depend on their values.
Prints one JSON line.
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Layer(nn.Module):
    def __init__(self, h, heads, inter, eps):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)
        self.o, self.ln1 = nn.Linear(h, h), nn.LayerNorm(h, eps=eps)
        self.i, self.out, self.ln2 = nn.Linear(h, inter), nn.Linear(inter, h), nn.LayerNorm(h, eps=eps)

    def forward(self, x, additive_mask):
        b, t, h = x.shape
        d = h // self.heads

        def split(z):
            return z.view(b, t, self.heads, d).transpose(1, 2)

        scores = split(self.q(x)) @ split(self.k(x)).transpose(-1, -2) / math.sqrt(d) + additive_mask
        ctx = (scores.softmax(-1) @ split(self.v(x))).transpose(1, 2).reshape(b, t, h)
        x = self.ln1(self.o(ctx) + x)
        return self.ln2(self.out(F.gelu(self.i(x))) + x)


class BertMlm(nn.Module):
    def __init__(self, vocab=30522, h=768, layers=12, heads=12, inter=3072, positions=512, eps=1e-12):
        super().__init__()
        self.word, self.pos, self.token_type = nn.Embedding(vocab, h), nn.Embedding(positions, h), nn.Embedding(2, h)
        self.ln = nn.LayerNorm(h, eps=eps)
        self.layers = nn.ModuleList(Layer(h, heads, inter, eps) for _ in range(layers))
        self.transform, self.head_ln = nn.Linear(h, h), nn.LayerNorm(h, eps=eps)
        self.decoder = nn.Linear(h, vocab)
        self.decoder.weight = self.word.weight  # tied, as in BertForMaskedLM
        for p in self.parameters():
            if p.dim() > 1:
                nn.init.normal_(p, std=0.02)

    def forward(self, ids, mask):
        t = ids.shape[1]
        x = self.ln(self.word(ids) + self.pos.weight[:t] + self.token_type.weight[0])
        additive = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        for layer in self.layers:
            x = layer(x, additive)
        x = self.head_ln(F.gelu(self.transform(x)))
        return self.decoder(x)


def splade_max(logits, mask):
    return (torch.log1p(torch.relu(logits)) * mask.unsqueeze(-1)).amax(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--passages", type=int, default=16)
    ap.add_argument("--tokens", type=int, default=256)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--bf16", action="store_true", help="CPU autocast to bfloat16")
    ap.add_argument("--mkldnn", action="store_true",
                    help="run Linear layers through oneDNN (torch.utils.mkldnn); Debian's torch has only a generic BLAS")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = BertMlm().eval()
    if args.mkldnn:
        from torch.utils import mkldnn as mkldnn_utils
        model = mkldnn_utils.to_mkldnn(model)
    ids = torch.randint(1000, 30000, (args.passages, args.tokens))
    ids[:, 0], ids[:, -1] = 101, 102
    mask = torch.ones_like(ids)
    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
        splade_max(model(ids[:2, :32], mask[:2, :32]), mask[:2, :32])  # warm-up
        start = time.perf_counter()
        nnz = 0
        for s in range(0, args.passages, args.batch):
            rep = splade_max(model(ids[s:s + args.batch], mask[s:s + args.batch]), mask[s:s + args.batch])
            nnz += int((rep > 0).sum())
        elapsed = time.perf_counter() - start
    print(json.dumps({"peer": "pytorch-eager", "torch": torch.__version__, "bf16": args.bf16, "mkldnn": args.mkldnn, "threads": args.threads,
                      "passages": args.passages, "tokens": args.tokens, "batch": args.batch,
                      "seconds": round(elapsed, 3), "passages_per_s": round(args.passages / elapsed, 4),
                      "mean_nnz": nnz / args.passages}))


if __name__ == "__main__":
    main()
