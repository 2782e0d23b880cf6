#!/usr/bin/python3
"""Peer for the training benchmark: one DiSCo step in plain PyTorch (Debian torch 1.13, no
transformers), on a BERT-base-shaped model.

  train_step_torch.py prepare OUT_DIR   random BERT-base MLM checkpoint (HF layout, pytorch_model.bin)
                                        + synthetic training files both sides train on
  train_step_torch.py bench MODEL_DIR   time steps: documents re-encoded each step vs cached

The step is the one `disco train --recipe disco` makes: query encoder forward/backward, frozen
document encoder forward (no grad, eval), SPLADE max pooling, 0.99*KL + 0.01*in-batch CE +
anti-zero, AdamW, clipping at 1.0. Shapes come from the same constants the C# run gets.
"""
import json, math, os, random, shutil, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

BATCH, NEGATIVES = 2, 3                  # 2 queries, 4 candidates each -> 8 documents per step
QUERY_WORDS, DOC_WORDS = 30, 62          # + [CLS]/[SEP] -> 32 and 64 tokens
STEPS, WARMUP = 4, 1


class Layer(nn.Module):
    def __init__(s, h, heads, inter):
        super().__init__()
        s.heads = heads
        s.attention = nn.Module()
        s.attention.self = nn.Module()
        s.attention.self.query, s.attention.self.key, s.attention.self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)
        s.attention.output = nn.Module()
        s.attention.output.dense, s.attention.output.LayerNorm = nn.Linear(h, h), nn.LayerNorm(h, eps=1e-12)
        s.intermediate = nn.Module()
        s.intermediate.dense = nn.Linear(h, inter)
        s.output = nn.Module()
        s.output.dense, s.output.LayerNorm = nn.Linear(inter, h), nn.LayerNorm(h, eps=1e-12)

    def forward(s, x, mask, p):
        b, t, h = x.shape
        a = s.attention.self
        def split(y): return y.view(b, t, s.heads, h // s.heads).transpose(1, 2)
        q, k, v = split(a.query(x)), split(a.key(x)), split(a.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(h // s.heads) + mask
        ctx = (F.dropout(scores.softmax(-1), p, s.training) @ v).transpose(1, 2).reshape(b, t, h)
        x = s.attention.output.LayerNorm(x + F.dropout(s.attention.output.dense(ctx), p, s.training))
        y = s.output.dense(F.gelu(s.intermediate.dense(x)))
        return s.output.LayerNorm(x + F.dropout(y, p, s.training))


class BertForMaskedLM(nn.Module):
    def __init__(s, v=30522, h=768, layers=12, heads=12, inter=3072, pos=512, p=0.1):
        super().__init__()
        s.p = p
        s.bert = nn.Module()
        e = s.bert.embeddings = nn.Module()
        e.word_embeddings, e.position_embeddings, e.token_type_embeddings = nn.Embedding(v, h), nn.Embedding(pos, h), nn.Embedding(2, h)
        e.LayerNorm = nn.LayerNorm(h, eps=1e-12)
        s.bert.encoder = nn.Module()
        s.bert.encoder.layer = nn.ModuleList(Layer(h, heads, inter) for _ in range(layers))
        s.cls = nn.Module()
        s.cls.predictions = nn.Module()
        s.cls.predictions.transform = nn.Module()
        s.cls.predictions.transform.dense = nn.Linear(h, h)
        s.cls.predictions.transform.LayerNorm = nn.LayerNorm(h, eps=1e-12)
        s.cls.predictions.bias = nn.Parameter(torch.zeros(v))

    def forward(s, ids, mask):
        e = s.bert.embeddings
        pos = torch.arange(ids.shape[1]).unsqueeze(0)
        x = e.LayerNorm(e.word_embeddings(ids) + e.position_embeddings(pos) + e.token_type_embeddings(torch.zeros_like(ids)))
        x = F.dropout(x, s.p, s.training)
        additive = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        for layer in s.bert.encoder.layer:
            x = layer(x, additive, s.p)
        t = s.cls.predictions.transform
        x = t.LayerNorm(F.gelu(t.dense(x)))
        # Decoder tied to the word embeddings: one parameter, gradients from both uses.
        return F.linear(x, e.word_embeddings.weight, s.cls.predictions.bias)


def splade(logits, mask):
    return (torch.log1p(F.relu(logits)) * mask.unsqueeze(-1)).amax(1)


def prepare(out):
    torch.manual_seed(0)
    model = BertForMaskedLM()
    for name, p in model.named_parameters():
        with torch.no_grad():
            if name.endswith("LayerNorm.weight"): p.fill_(1)
            elif name.endswith("bias"): p.normal_(0, 0.02)
            else: p.normal_(0, 0.02)
    os.makedirs(out, exist_ok=True)
    torch.save(model.state_dict(), os.path.join(out, "pytorch_model.bin"))
    tiny = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "fixtures", "tiny-splade")
    config = json.load(open(os.path.join(tiny, "config.json")))
    config.update(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072)
    json.dump(config, open(os.path.join(out, "config.json"), "w"), indent=2)
    for f in ("vocab.txt", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy(os.path.join(tiny, f), out)
    # Training files: words that are single wordpieces, so lengths are exact.
    words = ["the", "of", "and", "city", "river", "music", "game", "world", "water", "house", "light", "paper"]
    rnd = random.Random(0)
    data = os.path.join(out, "data")
    os.makedirs(data, exist_ok=True)
    queries, docs, run, qrels = [], [], {}, []
    # One batch of queries: every step after the first sees the same documents, so the cached
    # run measures a cache hit on every timed step (as epochs 2-5 of real training do).
    for q in range(BATCH):
        queries.append(f"q{q}\t" + " ".join(rnd.choice(words) for _ in range(QUERY_WORDS)))
        run[f"q{q}"] = {}
        for d in range(NEGATIVES + 1):
            docs.append(f"q{q}d{d}\t" + " ".join(rnd.choice(words) for _ in range(DOC_WORDS)))
            run[f"q{q}"][f"q{q}d{d}"] = 10.0 - d
        qrels.append(f"q{q} 0 q{q}d0 1")
    open(os.path.join(data, "queries.tsv"), "w").write("\n".join(queries) + "\n")
    open(os.path.join(data, "collection.tsv"), "w").write("\n".join(docs) + "\n")
    open(os.path.join(data, "qrels.txt"), "w").write("\n".join(qrels) + "\n")
    json.dump(run, open(os.path.join(data, "teacher.json"), "w"))


def bench(model_dir):
    torch.manual_seed(0)
    state = torch.load(os.path.join(model_dir, "pytorch_model.bin"))
    query_model, doc_model = BertForMaskedLM(), BertForMaskedLM()
    query_model.load_state_dict(state)
    doc_model.load_state_dict(state)
    doc_model.eval()
    for p in doc_model.parameters(): p.requires_grad_(False)
    query_model.train()
    opt = torch.optim.AdamW(query_model.parameters(), lr=2e-5, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    group = NEGATIVES + 1
    q_ids = torch.randint(1000, 5000, (BATCH, QUERY_WORDS + 2))
    d_ids = torch.randint(1000, 5000, (BATCH * group, DOC_WORDS + 2))
    q_mask, d_mask = torch.ones_like(q_ids), torch.ones_like(d_ids)
    teacher = torch.tensor([[10.0 - g for g in range(group)]] * BATCH)
    cached = None

    def step(cache):
        nonlocal cached
        opt.zero_grad()
        if cache and cached is not None:
            D = cached
        else:
            with torch.no_grad():
                D = splade(doc_model(d_ids, d_mask), d_mask).view(BATCH, group, -1)
            cached = D
        Q = splade(query_model(q_ids, q_mask), q_mask)
        s = torch.bmm(Q.unsqueeze(1), D.transpose(1, 2)).squeeze(1)
        kl = (F.softmax(teacher, 1) * (F.log_softmax(teacher, 1) - F.log_softmax(s, 1))).sum(1).mean()
        neg = D[:, 1:, :].reshape(-1, D.shape[-1])
        ce = F.cross_entropy(torch.cat([s[:, :1], Q @ neg.T], 1), torch.zeros(BATCH, dtype=torch.long))
        loss = 0.99 * kl + 0.01 * ce + 1 / Q.sum() ** 2 + 1 / D.sum() ** 2
        loss.backward()
        torch.nn.utils.clip_grad_norm_(query_model.parameters(), 1.0)
        opt.step()

    result = {"threads": torch.get_num_threads(), "torch": torch.__version__}
    for name, cache in (("recompute", False), ("cached", True)):
        cached = None
        times = []
        for i in range(WARMUP + STEPS):
            t0 = time.perf_counter()
            step(cache)
            if i >= WARMUP: times.append(time.perf_counter() - t0)
        times.sort()
        result[name + "_median_s"] = times[len(times) // 2]
    print(json.dumps(result))


if __name__ == "__main__":
    {"prepare": prepare, "bench": bench}[sys.argv[1]](sys.argv[2])
