namespace Disco.Index;

/// <summary>
/// Document-at-a-time MaxScore with block-max bounds (see <see cref="SearchAlgorithm.DocumentAtATime"/>).
/// Bounds go through <see cref="TopKQueue.WouldEnter"/>, so pruning never drops a document the
/// exhaustive algorithm would keep.
/// </summary>
internal static class DocumentAtATime
{
    public static void Run(SearchQuery query, SearchScratch scratch, SparseIndex index, int k)
    {
        if (!scratch.Begin(query, k))
            return;
        var queue = scratch.Queue;
        var n = query.Count;
        var all = scratch.Cursors(query);
        var slots = scratch.Slots;
        // Position i refers to the order of increasing upper bound.
        var bounds = new TermBounds(query, index);
        var order = bounds.ByBound;
        var prefix = bounds.Prefix;
        var cursors = new PostingCursor[n];
        var weights = new float[n];
        for (var i = 0; i < n; i++)
        {
            cursors[i] = all[order[i]];
            weights[i] = query.Weights[order[i]];
        }
        // Terms [0, nonEssential) cannot produce a top-k document on their own.
        var nonEssential = bounds.NonEssential(queue);
        while (nonEssential < n)
        {
            var doc = int.MaxValue;
            for (var i = nonEssential; i < n; i++)
                doc = Math.Min(doc, cursors[i].Doc);
            if (doc == int.MaxValue)
                break;
            var partial = 0f;
            for (var i = nonEssential; i < n; i++)
            {
                var c = cursors[i];
                if (c.Doc == doc)
                {
                    var contribution = weights[i] * c.Impact;
                    slots[order[i]] = contribution;
                    partial += contribution;
                    c.Next();
                }
            }
            var pruned = false;
            if (nonEssential > 0)
            {
                var blockBound = partial;
                for (var i = 0; i < nonEssential; i++)
                    blockBound += weights[i] * cursors[i].BlockMax(doc);
                pruned = !queue.WouldEnter(blockBound);
                for (var i = nonEssential - 1; i >= 0 && !pruned; i--)
                {
                    if (!queue.WouldEnter(partial + prefix[i]))
                    {
                        pruned = true;
                        break;
                    }
                    var c = cursors[i];
                    c.NextGeq(doc);
                    if (c.Doc == doc)
                    {
                        var contribution = weights[i] * c.Impact;
                        slots[order[i]] = contribution;
                        partial += contribution;
                    }
                }
            }
            // The score is the canonical-order sum (absent terms add +0, which changes nothing).
            var score = 0f;
            for (var t = 0; t < n; t++)
            {
                score += slots[t];
                slots[t] = 0f;
            }
            if (!pruned && queue.Offer(doc, score))
                nonEssential = bounds.NonEssential(queue, nonEssential);
        }
    }
}
