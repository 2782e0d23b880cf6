"""PyTorch-eager peer for the encoder benchmark (docs/benchmarks.md, "Encoder").

A BERT-base-shaped BertForMaskedLM written in plain torch (transformers is not installed here):
embeddings + LayerNorm, 12 post-LN layers with erf GELU, MLM head (dense, GELU, LayerNorm, decoder
tied to the word embeddings), then SPLADE max pooling log(1 + relu(logits)) over the attention
mask, under torch.inference_mode. Random weights; throughput does not depend on their values.
Prints one JSON line.
"""
import argparse
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_bert import Layer, additive_mask, init_weights, timed


class BertMlm(nn.Module):
    def __init__(self, vocab=30522, h=768, layers=12, heads=12, inter=3072, positions=512, eps=1e-12):
        super().__init__()
        self.word, self.pos, self.token_type = nn.Embedding(vocab, h), nn.Embedding(positions, h), nn.Embedding(2, h)
        self.ln = nn.LayerNorm(h, eps=eps)
        self.layers = nn.ModuleList(Layer(h, heads, inter, eps) for _ in range(layers))
        self.transform, self.head_ln = nn.Linear(h, h), nn.LayerNorm(h, eps=eps)
        self.decoder = nn.Linear(h, vocab)
        self.decoder.weight = self.word.weight  # tied, as in BertForMaskedLM
        init_weights(self)

    def forward(self, ids, mask):
        t = ids.shape[1]
        x = self.ln(self.word(ids) + self.pos.weight[:t] + self.token_type.weight[0])
        additive = additive_mask(mask)
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
    def encode_all():
        nnz = 0
        for s in range(0, args.passages, args.batch):
            rep = splade_max(model(ids[s:s + args.batch], mask[s:s + args.batch]), mask[s:s + args.batch])
            nnz += int((rep > 0).sum())
        return nnz

    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
        nnz, elapsed = timed(lambda: splade_max(model(ids[:2, :32], mask[:2, :32]), mask[:2, :32]), encode_all)
    print(json.dumps({"peer": "pytorch-eager", "torch": torch.__version__, "bf16": args.bf16, "mkldnn": args.mkldnn, "threads": args.threads,
                      "passages": args.passages, "tokens": args.tokens, "batch": args.batch,
                      "seconds": round(elapsed, 3), "passages_per_s": round(args.passages / elapsed, 4),
                      "mean_nnz": nnz / args.passages}))


if __name__ == "__main__":
    main()
