using System.Text.Json;
using Disco.Core;
using Disco.Core.IO;

namespace Disco.Hub;

/// <summary>
/// Turns a <c>--model</c> value into a local model directory: an existing directory is used as it
/// is; a HuggingFace id (<c>org/name</c>) is looked up in the hub cache (so checkpoints downloaded
/// by transformers are used in place) and the files a SPLADE/BERT checkpoint needs are downloaded
/// when missing.
/// </summary>
public static class HubModelResolver
{
    /// <summary>Tokenizer files; each is optional, but vocab.txt or tokenizer.json must exist.</summary>
    public static readonly IReadOnlyList<string> TokenizerFiles = ["tokenizer_config.json", "special_tokens_map.json", "vocab.txt", "tokenizer.json"];

    public const string ConfigFile = "config.json";

    /// <summary>
    /// Blocking form of <see cref="ResolveAsync"/> for command-line tools; services should await
    /// <see cref="ResolveAsync"/> instead of blocking a request thread on a download.
    /// </summary>
    public static string Resolve(string idOrDirectory, HubOptions options)
        => ResolveAsync(idOrDirectory, options).GetAwaiter().GetResult();

    /// <summary>The local folder of a model directory or HuggingFace id, downloading what the cache lacks.</summary>
    public static async Task<string> ResolveAsync(string idOrDirectory, HubOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(idOrDirectory);
        ArgumentNullException.ThrowIfNull(options);
        if (Directory.Exists(idOrDirectory))
            return Path.GetFullPath(idOrDirectory);
        if (LooksLikePath(idOrDirectory) || !HubCache.IsRepoId(idOrDirectory))
            throw new DiscoException($"model directory '{idOrDirectory}' does not exist{AtomicDirectory.RecoveryHint(idOrDirectory, DiscoModelLayout.CompleteFile)}");
        var cache = new HubCache(options.CacheDirectory);
        // A complete cached snapshot is used without asking the hub, so runs are reproducible and
        // work offline; huggingface_hub would re-check a branch. Pass a commit as the revision, or
        // delete refs/<revision>, to move to a newer snapshot.
        if (CachedSnapshot(cache, idOrDirectory, options.Revision) is { } cached)
            return cached;
        if (options.Offline)
        {
            throw new DiscoException(
                $"model '{idOrDirectory}' (revision {options.Revision}) is not in the HuggingFace cache {options.CacheDirectory} and HF_HUB_OFFLINE is set; "
                + "download it where the hub is reachable (huggingface-cli download " + idOrDirectory + ") or pass a local directory");
        }
        using var client = new HubClient(options);
        return await DownloadAsync(client, idOrDirectory, options.Revision, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The snapshot folder of a cached model with config, tokenizer and all weight files, or null.</summary>
    public static string? CachedSnapshot(HubCache cache, string repoId, string revision)
    {
        ArgumentNullException.ThrowIfNull(cache);
        var commit = cache.ResolveCommit(repoId, revision);
        if (commit is null)
            return null;
        var folder = cache.SnapshotFolder(repoId, commit);
        bool Has(string file) => File.Exists(Path.Combine(folder, file));
        if (!Has(ConfigFile) || !(Has("vocab.txt") || Has("tokenizer.json")))
            return null;
        if (Has("model.safetensors") || Has("pytorch_model.bin"))
            return folder;
        foreach (var index in new[] { "model.safetensors.index.json", "pytorch_model.bin.index.json" })
        {
            if (Has(index) && ShardsOf(Path.Combine(folder, index)).All(Has))
                return folder;
        }
        return null;
    }

    private static async Task<string> DownloadAsync(HubClient client, string repoId, string revision, CancellationToken cancellationToken)
    {
        Task<string?> Get(string file) => client.DownloadAsync(repoId, file, revision, cancellationToken);
        var config = await Get(ConfigFile).ConfigureAwait(false) ?? throw new DiscoException($"'{repoId}' has no {ConfigFile}: it is not a transformers model");
        var folder = Path.GetDirectoryName(config)!;
        foreach (var file in TokenizerFiles)
            _ = await Get(file).ConfigureAwait(false);
        if (!File.Exists(Path.Combine(folder, "vocab.txt")) && !File.Exists(Path.Combine(folder, "tokenizer.json")))
            throw new DiscoException($"'{repoId}' has neither vocab.txt nor tokenizer.json");
        if (await Get("model.safetensors").ConfigureAwait(false) is not null)
            return folder;
        foreach (var index in new[] { "model.safetensors.index.json", "pytorch_model.bin.index.json" })
        {
            if (await Get(index).ConfigureAwait(false) is { } indexPath)
            {
                foreach (var shard in ShardsOf(indexPath))
                    _ = await Get(shard).ConfigureAwait(false) ?? throw new DiscoException($"'{repoId}': shard {shard} listed in {index} is missing");
                return folder;
            }
        }
        if (await Get("pytorch_model.bin").ConfigureAwait(false) is not null)
            return folder;
        throw new DiscoException($"'{repoId}' has no model.safetensors, sharded index or pytorch_model.bin");
    }

    /// <summary>The distinct shard files named in a sharded checkpoint's index (<c>weight_map</c> values).</summary>
    public static IReadOnlyList<string> ShardsOf(string indexPath)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(indexPath));
            if (!doc.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new DataFormatException(indexPath, 0, "missing \"weight_map\"");
            var shards = new List<string>();
            foreach (var entry in map.EnumerateObject())
            {
                // Shard names come from the repository and become cache and model paths: only
                // plain relative names are taken.
                if (entry.Value.ValueKind != JsonValueKind.String || entry.Value.GetString() is not { } shard || !HubCache.IsSafeRelativePath(shard))
                    throw new DataFormatException(indexPath, 0, $"weight_map[\"{HubCache.Printable(entry.Name)}\"] is not a plain relative file name");
                if (!shards.Contains(shard, StringComparer.Ordinal))
                    shards.Add(shard);
            }
            return shards;
        }
        catch (JsonException e)
        {
            throw new DataFormatException(indexPath, (e.LineNumber ?? -1) + 1, $"invalid JSON: {e.Message}");
        }
    }

    private static bool LooksLikePath(string value)
        => value.StartsWith('.') || value.StartsWith('/') || value.StartsWith('~') || value.Contains('\\', StringComparison.Ordinal)
           || value.Count(c => c == '/') > 1 || Path.IsPathRooted(value);
}
