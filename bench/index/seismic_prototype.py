# Seismic-style approximate search, prototyped on a generated collection to decide whether to build it
# (issue 16; docs/benchmarks.md, "Seismic-style blocks with summary vectors: measured, dropped").
# Dev-only; the product never runs Python.
#   seismic_prototype.py DATADIR cl|plain CUTS HEAPFACTORS LAMBDA:BLOCK:ALPHA:cons|km:sort|seq ...
# DATADIR holds docs.* and queries.* (CSR: indptr int64, terms int32, weights float32, as written by
# `Disco.Index.Bench generate`), numba-top10.json (the exact top 10 per query) and index-cl/ (the
# reordered index, for its document order). Per point it prints recall@10 against exact and the work:
# summaries evaluated, summary components read, blocks opened, documents scored exactly.
# Static pruning (each list keeps its LAMBDA largest entries), blocks of BLOCK documents on average
# (cons: consecutive ids in the pruned list; km: Seismic's shallow k-means, LAMBDA/BLOCK random
# documents of the list as centroids, each document to the centroid of largest dot product),
# summaries (coordinate-wise max, cut to ALPHA of its L1 mass, 8-bit), search (the query's CUT
# heaviest terms; a block is opened when summary.q >= heapMin / heapFactor; sort: each list's
# blocks by decreasing summary score, stop at the first that fails; seq: list order, skip).
# Only the lists of terms among some query's max(CUTS) heaviest are built (the others are never read).
import numpy as np, numba, sys, time, json
D = sys.argv.pop(1).rstrip('/') + '/'
indptr = np.fromfile(D + 'docs.indptr', dtype=np.int64)
terms = np.fromfile(D + 'docs.terms', dtype=np.int32)
weights = np.fromfile(D + 'docs.weights', dtype=np.float32)
qp = np.fromfile(D + 'queries.indptr', dtype=np.int64)
qt = np.fromfile(D + 'queries.terms', dtype=np.int32)
qw = np.fromfile(D + 'queries.weights', dtype=np.float32)
n = len(indptr) - 1
V = 30522
mode = sys.argv[1]
if mode == 'plain':
    order = np.arange(n, dtype=np.int64)
else:
    raw = open(D + 'index-cl/docids.bin', 'rb').read()
    offs = np.frombuffer(open(D + 'index-cl/docoffsets.bin', 'rb').read()[16:], dtype=np.int64)
    order = np.array([int(raw[offs[i]:offs[i + 1]]) for i in range(n)], dtype=np.int64)  # internal id -> input id
truth = json.load(open(D + 'numba-top10.json'))
inv = np.empty(n, np.int64); inv[order] = np.arange(n)
truthi = np.array([[inv[d] for d, s in row] for row in truth], dtype=np.int64)


@numba.njit(cache=True)
def build_fwd(indptr, terms, weights, order):
    n = len(order)
    fp = np.zeros(n + 1, np.int64)
    for i in range(n):
        d = order[i]; fp[i + 1] = fp[i] + indptr[d + 1] - indptr[d]
    ft = np.empty(fp[n], np.uint16); fw = np.empty(fp[n], np.float32)
    for i in range(n):
        d = order[i]; o = fp[i]
        for j in range(indptr[d], indptr[d + 1]):
            ft[o] = terms[j]; fw[o] = weights[j]; o += 1
    return fp, ft, fw


@numba.njit(cache=True)
def build_inv(fp, ft, fw, V):
    n = len(fp) - 1
    cnt = np.zeros(V + 1, np.int64)
    for i in range(len(ft)): cnt[ft[i] + 1] += 1
    for t in range(V): cnt[t + 1] += cnt[t]
    pos = cnt[:-1].copy(); docs = np.empty(len(ft), np.int32); w = np.empty(len(ft), np.float32)
    for i in range(n):
        for j in range(fp[i], fp[i + 1]):
            t = ft[j]; p = pos[t]; docs[p] = i; w[p] = fw[j]; pos[t] += 1
    return cnt, docs, w


@numba.njit(cache=True)
def fill(items, out):
    for i in range(len(items)):
        out[i] = items[i]
    return out


@numba.njit(cache=True)
def build_blocks(lp, ld, lw, qterms, lam, bs, alpha, kmeans, split, fp, ft, fw, V, seed):
    np.random.seed(seed)
    # per term: block range [tb[t], tb[t+1]); blocks: doc range bd[b]..bd[b+1] into bdocs; summary range
    nt = len(qterms)
    tb = np.zeros(V + 1, np.int64)
    bdocs = numba.typed.List.empty_list(numba.int32)
    bptr = numba.typed.List.empty_list(numba.int64); bptr.append(0)
    sptr = numba.typed.List.empty_list(numba.int64); sptr.append(0)
    sterm = numba.typed.List.empty_list(numba.uint16)
    sval = numba.typed.List.empty_list(numba.uint8)
    sscale = numba.typed.List.empty_list(numba.float32)
    dense = np.zeros(V, np.float32); touched = np.empty(V, np.int64)
    head = np.full(V, -1, np.int64)
    isq = np.zeros(V, np.bool_)
    for t in qterms: isq[t] = True
    nb = 0
    for t in range(V):
        tb[t] = nb
        if not isq[t]:
            continue
        a = lp[t]; e = lp[t + 1]; m = e - a
        if m == 0:
            continue
        if m > lam:
            idx = np.argsort(-lw[a:e])[:lam] + a
        else:
            idx = np.arange(a, e)
        kd = np.sort(ld[idx])
        m = len(kd)
        nbl = (m + bs - 1) // bs
        if not kmeans or nbl <= 1:
            go = kd
            gb = np.empty(nbl + 1, np.int64)
            for i in range(nbl): gb[i] = i * bs
            gb[nbl] = m
        else:
            cent = np.random.choice(m, nbl, replace=False)
            # inverted map of centroids: term -> chain of (centroid, weight)
            cn = 0
            for c in range(nbl): cn += fp[kd[cent[c]] + 1] - fp[kd[cent[c]]]
            nxt = np.empty(cn, np.int64); cc = np.empty(cn, np.int64); cw = np.empty(cn, np.float32)
            k = 0
            for c in range(nbl):
                d = kd[cent[c]]
                for j in range(fp[d], fp[d + 1]):
                    tt = ft[j]; nxt[k] = head[tt]; cc[k] = c; cw[k] = fw[j]; head[tt] = k; k += 1
            assign = np.empty(m, np.int64); acc = np.zeros(nbl, np.float32)
            for i in range(m):
                d = kd[i]; acc[:] = 0
                for j in range(fp[d], fp[d + 1]):
                    p = head[ft[j]]
                    while p >= 0:
                        acc[cc[p]] += cw[p] * fw[j]; p = nxt[p]
                assign[i] = np.argmax(acc)
            for c in range(nbl):
                d = kd[cent[c]]
                for j in range(fp[d], fp[d + 1]): head[ft[j]] = -1
            o = np.argsort(assign, kind='mergesort')
            go = kd[o]
            gbl = [0]
            for i in range(1, m + 1):
                if i == m or assign[o[i]] != assign[o[i - 1]]:
                    gbl.append(i)
            if split:
                # balanced variant: a cluster of more than 2 x BLOCK documents is cut into runs of BLOCK
                # consecutive ids (on a reordered index, neighbouring ids are similar)
                gbs = [0]
                for i in range(1, len(gbl)):
                    s0 = gbl[i - 1]; s1 = gbl[i]
                    if s1 - s0 > 2 * bs:
                        go[s0:s1] = np.sort(go[s0:s1])
                        for c in range(s0 + bs, s1 - bs // 2, bs):
                            gbs.append(c)
                    gbs.append(s1)
                gbl = gbs
            gb = np.array(gbl, dtype=np.int64)
        for gi in range(len(gb) - 1):
            g = go[gb[gi]:gb[gi + 1]]
            nt_ = 0; tot = 0.0
            for d in g:
                bdocs.append(d)
                for j in range(fp[d], fp[d + 1]):
                    tt = ft[j]
                    if dense[tt] == 0:
                        touched[nt_] = tt; nt_ += 1
                    if fw[j] > dense[tt]:
                        dense[tt] = fw[j]
            bptr.append(len(bdocs))
            vals = np.empty(nt_, np.float32)
            for i in range(nt_): vals[i] = dense[touched[i]]; tot += vals[i]
            o = np.argsort(-vals)
            cum = 0.0; keep = 0
            while keep < nt_ and cum < alpha * tot:
                cum += vals[o[keep]]; keep += 1
            mx = vals[o[0]]; sc = mx / 255.0
            sel = np.sort(touched[:nt_][o[:keep]])
            for tt in sel:
                sterm.append(numba.uint16(tt))
                qv = int(dense[tt] / sc + 0.5)
                sval.append(numba.uint8(min(255, qv)))
            sscale.append(numba.float32(sc))
            sptr.append(len(sterm))
            for i in range(nt_): dense[touched[i]] = 0
            nb += 1
    tb[V] = nb
    return (tb, fill(bdocs, np.empty(len(bdocs), np.int32)), fill(bptr, np.empty(len(bptr), np.int64)),
            fill(sptr, np.empty(len(sptr), np.int64)), fill(sterm, np.empty(len(sterm), np.uint16)),
            fill(sval, np.empty(len(sval), np.uint8)), fill(sscale, np.empty(len(sscale), np.float32)))


@numba.njit(cache=True)
def search(qp, qt, qw, V, tb, bdocs, bptr, sptr, sterm, sval, sscale, fp, ft, fw, cut, hf, sortblocks, truthi, out):
    n = len(fp) - 1
    qd = np.zeros(V, np.float32)
    visited = np.zeros(n, np.int32)
    hs = np.empty(10, np.float32); hd = np.empty(10, np.int64)
    for q in range(len(qp) - 1):
        a = qp[q]; e = qp[q + 1]
        for j in range(a, e): qd[qt[j]] = qw[j]
        ordq = np.argsort(-qw[a:e])[:cut] + a
        hn = 0; hmin = -1.0; hmi = 0
        nsum = 0; ncomp = 0; ndocs = 0; nblk = 0
        t0 = 0
        for jj in ordq:
            t = qt[jj]
            b0 = tb[t]; b1 = tb[t + 1]
            ss = np.empty(b1 - b0, np.float32)
            for b in range(b0, b1):
                s = 0.0
                for c in range(sptr[b], sptr[b + 1]):
                    s += qd[sterm[c]] * sval[c]
                ss[b - b0] = s * sscale[b]
                ncomp += sptr[b + 1] - sptr[b]
            nsum += b1 - b0
            if sortblocks:
                bo = np.argsort(-ss)
            else:
                bo = np.arange(b1 - b0)
            for bi in bo:
                if hn == 10 and ss[bi] * hf < hmin:
                    if sortblocks:
                        break
                    continue
                b = b0 + bi
                nblk += 1
                for p in range(bptr[b], bptr[b + 1]):
                    d = bdocs[p]
                    if visited[d] == q + 1:
                        continue
                    visited[d] = q + 1
                    ndocs += 1
                    s = 0.0
                    for j in range(fp[d], fp[d + 1]):
                        s += qd[ft[j]] * fw[j]
                    if hn < 10:
                        hs[hn] = s; hd[hn] = d; hn += 1
                        if hn == 10:
                            hmi = np.argmin(hs); hmin = hs[hmi]
                    elif s > hmin:
                        hs[hmi] = s; hd[hmi] = d
                        hmi = np.argmin(hs); hmin = hs[hmi]
        hit = 0
        for i in range(hn):
            for k in range(10):
                if hd[i] == truthi[q, k]:
                    hit += 1
        out[q, 0] = hit / 10.0; out[q, 1] = nsum; out[q, 2] = ncomp; out[q, 3] = ndocs; out[q, 4] = nblk
        for j in range(a, e): qd[qt[j]] = 0
    return out


t0 = time.time()
fp, ft, fw = build_fwd(indptr, terms, weights, order)
del terms, weights
lp, ld, lw = build_inv(fp, ft, fw, V)
print('fwd+inv', round(time.time() - t0, 1), flush=True)
cuts = [int(x) for x in sys.argv[2].split(',')]; hfs = [float(x) for x in sys.argv[3].split(',')]
heavy = []
for q in range(len(qp) - 1):
    a, e = qp[q], qp[q + 1]
    heavy.extend(qt[a:e][np.argsort(-qw[a:e])[:max(cuts)]])
qterms = np.unique(np.array(heavy, dtype=np.int32))
print('query terms', len(qterms), flush=True)
nq = len(qp) - 1
for cfg in sys.argv[4:]:
    lam, bs, alpha, blk, srt = cfg.split(':')
    lam = int(lam); bs = int(bs); alpha = float(alpha); km = blk in ('km', 'kms'); split = blk == 'kms'; sortb = srt == 'sort'
    t0 = time.time()
    tb, bdocs, bptr, sptr, sterm, sval, sscale = build_blocks(lp, ld, lw, qterms, lam, bs, alpha, km, split, fp, ft, fw, V, 7)
    nbt = tb[V]
    print(cfg, 'blocks', nbt, 'build', round(time.time() - t0, 1), 's; comps/summary %.1f docs/block %.1f' % (len(sterm) / nbt, len(bdocs) / nbt), flush=True)
    for cut in cuts:
        for hf in hfs:
            out = np.zeros((nq, 5))
            t0 = time.perf_counter()
            search(qp, qt, qw, V, tb, bdocs, bptr, sptr, sterm, sval, sscale, fp, ft, fw, cut, hf, sortb, truthi, out)
            el = (time.perf_counter() - t0) / nq * 1000
            m = out.mean(0)
            print('%s lam %d bs %d alpha %.2f %s %s cut %d hf %.2f recall %.4f summaries %.0f comps %.0f blocks %.0f docs %.0f ms %.3f' % (
                mode, lam, bs, alpha, blk, 'sort' if sortb else 'seq', cut, hf, m[0], m[1], m[2], m[4], m[3], el), flush=True)
