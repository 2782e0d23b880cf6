namespace Disco.Index;

/// <summary>
/// Document-at-a-time MaxScore with block-max bounds (see <see cref="SearchAlgorithm.DocumentAtATime"/>).
/// Pruning compares float bounds against the k-th score; because bounds are summed in a
/// different order than scores, they are inflated by a relative margin that exceeds the
/// worst-case float32 rounding of an n-term sum, so pruning never drops a document the
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
        var margin = bounds.Margin;
        var cursors = new PostingCursor[n];
        var weights = new float[n];
        for (var i = 0; i < n; i++)
        {
            cursors[i] = all[order[i]];
            weights[i] = query.Weights[order[i]];
        }
        // Terms [0, essential) cannot produce a top-k document on their own.
        var threshold = queue.Threshold;
        var essential = bounds.NonEssential(threshold);
        while (essential < n)
        {
            var doc = int.MaxValue;
            for (var i = essential; i < n; i++)
                doc = Math.Min(doc, cursors[i].Doc);
            if (doc == int.MaxValue)
                break;
            var partial = 0f;
            for (var i = essential; i < n; i++)
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
            if (essential > 0)
            {
                var blockBound = partial;
                for (var i = 0; i < essential; i++)
                    blockBound += weights[i] * cursors[i].BlockMax(doc);
                pruned = blockBound * margin <= threshold;
                for (var i = essential - 1; i >= 0 && !pruned; i--)
                {
                    if ((partial + prefix[i]) * margin <= threshold)
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
            {
                threshold = queue.Threshold;
                essential = bounds.NonEssential(threshold, essential);
            }
        }
    }
}
