namespace Disco.Index.Bench;

/// <summary>
/// A topically clustered variant of <see cref="SyntheticCollection"/> (docs/benchmarks.md): real
/// passages about one topic share a vocabulary and a query's best passages come from few topics,
/// which is what pruning, clustering and block bounds feed on.
/// <list type="bullet">
/// <item><see cref="Topics"/> topics of Zipf-distributed popularity (s = 0.8); each has its own
/// 150-500 terms, drawn from the vocabulary without its 200 most popular terms (∝ r^-0.3 over
/// the rest, so topic words are mid-frequency and rare words), with Zipf (s = 1) probabilities
/// inside the topic;</item>
/// <item>a document mixes 1, 2 or 3 topics (probabilities 0.5, 0.3, 0.2) with random shares and
/// has 80-200 distinct terms: 65% drawn from its topics, the rest from the collection-wide
/// popularity distribution (background); topic terms weigh more (+0.4 in log space);</item>
/// <item>a query is drawn from one topic (by popularity): 20-60 distinct terms, 70% from the
/// topic, the rest background, topic terms boosted as in documents;</item>
/// <item>documents are written in random order (not grouped by topic), so a build must reorder
/// them to make block maxima tight.</item>
/// </list>
/// </summary>
internal sealed class ClusteredCollection : SyntheticCollection
{
    private const double TopicBoost = 0.4;
    private readonly ZipfSampler _topicPopularity;
    private readonly int[][] _topicTerms;
    private readonly ZipfSampler[] _withinTopic;
    private readonly int[] _mix = new int[3];
    private readonly double[] _share = new double[3];

    public ClusteredCollection(int seed, int topics)
        : base(seed)
    {
        Topics = topics;
        _topicPopularity = new ZipfSampler(topics, 0.8);
        var topicRank = new ZipfSampler(Vocabulary - 200, 0.3);
        var samplers = new Dictionary<int, ZipfSampler>();
        _topicTerms = new int[topics][];
        _withinTopic = new ZipfSampler[topics];
        var seen = new HashSet<int>();
        for (var t = 0; t < topics; t++)
        {
            var size = Random.Next(150, 501);
            seen.Clear();
            var terms = new List<int>(size);
            while (terms.Count < size)
            {
                var term = TermAtRank(200 + topicRank.Next(Random));
                if (seen.Add(term))
                    terms.Add(term);
            }
            _topicTerms[t] = [.. terms];
            if (!samplers.TryGetValue(size, out var sampler))
                samplers[size] = sampler = new ZipfSampler(size, 1.0);
            _withinTopic[t] = sampler;
        }
    }

    public int Topics { get; }

    protected override void FillRow(List<(int Term, float Weight)> row, bool query)
    {
        int n, topics;
        double topicShare;
        if (query)
        {
            n = Random.Next(20, 61);
            topics = 1;
            topicShare = 0.7;
        }
        else
        {
            n = Random.Next(80, 201);
            var u = Random.NextDouble();
            topics = u < 0.5 ? 1 : u < 0.8 ? 2 : 3;
            topicShare = 0.65;
        }
        var total = 0.0;
        for (var i = 0; i < topics; i++)
        {
            _mix[i] = _topicPopularity.Next(Random);
            _share[i] = 0.2 + Random.NextDouble();
            total += _share[i];
        }
        var fromTopics = (int)Math.Round(n * topicShare);
        // Topic terms first, spread over the document's topics by share; a topic's small term set
        // may run dry of new terms, so the number of tries is capped.
        for (var tries = 0; row.Count < fromTopics && tries < 20 * n; tries++)
        {
            var pick = Random.NextDouble() * total;
            var i = 0;
            while (i < topics - 1 && pick >= _share[i])
                pick -= _share[i++];
            var topic = _mix[i];
            TryAdd(row, _topicTerms[topic][_withinTopic[topic].Next(Random)], query, TopicBoost);
        }
        while (row.Count < n)
            TryAdd(row, PopularTerm(), query, 0);
    }
}
