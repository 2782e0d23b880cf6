using Disco.Core;
using Disco.Core.Vectors;
using Disco.Hub;
using Disco.Modeling;

namespace Disco.Retrieval;

/// <summary>
/// Finds and loads sparse encoders by local folder or HuggingFace id and <see cref="EncoderRole"/>:
/// an id is resolved through the HuggingFace cache (downloading what is missing, unless offline);
/// a query encoder of a DiSCo training output is taken from <c>model/query</c>; the folder's files
/// choose the backend among <see cref="Factories"/>. Services await <see cref="LoadAsync"/>;
/// command-line tools call <see cref="Load"/>.
/// </summary>
/// <example><code>
/// using var encoder = new ModelLoader().Load("slupart/splade-disco-topiocqa-mistral", EncoderRole.Query);
/// </code></example>
public sealed class ModelLoader
{
    /// <param name="hub">Cache, endpoint, token and revision; default <see cref="HubOptions.FromEnvironment"/>.</param>
    /// <param name="factories">Backends asked in order; default <see cref="EncoderFactories.Default"/> (<see cref="EncoderFactories.Create"/> picks a backend).</param>
    /// <param name="queryFactories">Asked before <paramref name="factories"/> for queries only; default <see cref="EncoderFactories.QueryOnly"/> (doc-only models' idf.json).</param>
    public ModelLoader(HubOptions? hub = null, IReadOnlyList<IEncoderFactory>? factories = null, IReadOnlyList<IEncoderFactory>? queryFactories = null)
    {
        Hub = hub ?? HubOptions.FromEnvironment();
        Factories = factories ?? EncoderFactories.Default;
        QueryFactories = queryFactories ?? EncoderFactories.QueryOnly;
    }

    public HubOptions Hub { get; }

    public IReadOnlyList<IEncoderFactory> Factories { get; }

    /// <summary>Factories for <see cref="EncoderRole.Query"/> only, asked first (a doc-only model's query side is not its network).</summary>
    public IReadOnlyList<IEncoderFactory> QueryFactories { get; }

    /// <summary>Where load-time warnings go, one <c>warning: ...</c> line each (HuggingFace's missing/unexpected weights, a query encoder without its completion marker); null: nowhere.</summary>
    public TextWriter? Warnings { get; init; }

    /// <summary>The local folder of <paramref name="model"/> (a folder or a HuggingFace id) for <paramref name="role"/>.</summary>
    public async Task<string> LocateAsync(string model, EncoderRole role, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var directory = await HubModelResolver.ResolveAsync(model, Hub, cancellationToken).ConfigureAwait(false);
        return RoleDirectory(directory, role);
    }

    /// <summary>Blocking form of <see cref="LocateAsync"/>.</summary>
    public string Locate(string model, EncoderRole role) => LocateAsync(model, role).GetAwaiter().GetResult();

    /// <summary>Locates <paramref name="model"/> and loads its encoder for <paramref name="role"/>.</summary>
    public async Task<ISparseEncoder> LoadAsync(string model, EncoderRole role, SpladeEncoderOptions? options = null, CancellationToken cancellationToken = default)
    {
        var directory = await LocateAsync(model, role, cancellationToken).ConfigureAwait(false);
        // Reading weights is blocking work; keep it off the caller's (request) thread.
        return await Task.Run(() => LoadDirectory(directory, options, role), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Blocking form of <see cref="LoadAsync"/>.</summary>
    public ISparseEncoder Load(string model, EncoderRole role, SpladeEncoderOptions? options = null)
        => LoadDirectory(Locate(model, role), options, role);

    /// <summary>Loads the encoder for <paramref name="role"/> in a local folder with the first factory that can.</summary>
    public ISparseEncoder LoadDirectory(string directory, SpladeEncoderOptions? options = null, EncoderRole role = EncoderRole.Document)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var factories = FactoriesFor(role);
        var factory = factories.FirstOrDefault(f => f.CanLoad(directory))
            ?? throw new DiscoException($"{directory}: no model this build can load (tried {string.Join(", ", factories.Select(f => f.Name))}); a HuggingFace folder needs {HfCheckpoint.ConfigFile} with {HfCheckpoint.SafetensorsFile} or {HfCheckpoint.PyTorchFile}, an ONNX one onnx/model.onnx or model.onnx");
        return factory.Load(directory, options ?? new SpladeEncoderOptions(), Warnings);
    }

    /// <summary>
    /// The folder of the encoder for <paramref name="role"/>: for queries, a DiSCo training
    /// output's <c>query</c> subfolder when it has one, else the folder itself. A query encoder that
    /// should be there and is not (a <c>query</c> folder without a loadable model, a completion
    /// marker that lists one, a DiSCo training output's <c>model</c> with neither) is an error:
    /// falling back would silently encode queries with the untrained document encoder. A marker-less
    /// <c>model</c> of another recipe (SPLADE trains one model for both roles; outputs older than the
    /// marker) is its own query encoder. A <c>query</c> folder without the marker loads with a warning
    /// to <see cref="Warnings"/>.
    /// </summary>
    public string RoleDirectory(string directory, EncoderRole role)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (role != EncoderRole.Query)
            return directory;
        var query = Path.Combine(directory, DiscoModelLayout.QueryFolder);
        var marked = DiscoModelLayout.MarkedQueryEncoder(directory);
        if (Directory.Exists(query))
        {
            if (!FactoriesFor(role).Any(f => f.CanLoad(query)))
                throw new DiscoException($"{query}: holds no loadable query encoder (an interrupted save?); refusing to encode queries with the document encoder in {directory}");
            // Loadable, but nothing says the save finished (or the output predates the marker): the
            // weights still load validated, so this is the user's call, not an error.
            if (marked is null)
                Warnings?.WriteLine($"warning: {directory}: no {DiscoModelLayout.CompleteFile}, so {DiscoModelLayout.QueryFolder}/ may be from a save that did not finish (or an output older than the marker); loading it as the query encoder");
            return query;
        }
        if (marked == true)
            throw new DiscoException($"{directory}: its {DiscoModelLayout.CompleteFile} lists a query encoder but {DiscoModelLayout.QueryFolder}/ is missing; the folder was damaged after training");
        if (marked is null && DiscoModelLayout.InTrainingOutput(directory))
        {
            // No marker: an interrupted save, or an output older than the marker. Only a DiSCo run
            // has a query encoder of its own; any other recipe's model is the query encoder, and
            // loading it validates its config and weights as for documents.
            var recipe = DiscoModelLayout.TrainedBy(directory);
            if (recipe is null)
                throw new DiscoException($"{directory}: a training output without {DiscoModelLayout.CompleteFile} whose {DiscoModelLayout.ArgumentsFile} names no recipe, so whether it should hold a query encoder is unknown; use a complete checkpoint-N/{DiscoModelLayout.ModelFolder} or train again");
            if (recipe == DiscoModelLayout.QueryEncoderRecipe)
                throw new DiscoException($"{directory}: a DiSCo training output without {DiscoModelLayout.CompleteFile} or {DiscoModelLayout.QueryFolder}/, so its save did not finish and the trained query encoder is missing (refusing to encode queries with the document encoder); use a checkpoint-N/{DiscoModelLayout.ModelFolder} that has {DiscoModelLayout.QueryFolder}/, or resume training from the last checkpoint");
        }
        return directory;
    }

    private IReadOnlyList<IEncoderFactory> FactoriesFor(EncoderRole role) => role == EncoderRole.Query ? [.. QueryFactories, .. Factories] : Factories;
}
