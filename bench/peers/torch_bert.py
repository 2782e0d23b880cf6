"""Shared pieces of the PyTorch-eager peers (encode_torch.py, rerank_torch.py): the post-LN BERT
layer both models stack, their weight initialisation and attention mask, and the timing loop (one
warm-up call, then the timed call, in seconds). Plain torch: transformers is not installed here."""
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Layer(nn.Module):
    """One BERT encoder layer: self-attention and erf-GELU feed-forward, each followed by add and LayerNorm."""

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


def init_weights(model):
    """BERT's N(0, 0.02) for every matrix; throughput does not depend on the values."""
    for p in model.parameters():
        if p.dim() > 1:
            nn.init.normal_(p, std=0.02)


def additive_mask(mask):
    """[batch, tokens] 0/1 mask → the additive attention mask (0 or float32 min) of shape [batch, 1, 1, tokens]."""
    return (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min


def timed(warm_up, run):
    """Calls warm_up(), then run(); returns (run's result, run's wall seconds)."""
    warm_up()
    start = time.perf_counter()
    result = run()
    return result, time.perf_counter() - start
