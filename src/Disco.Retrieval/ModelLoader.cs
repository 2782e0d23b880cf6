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
    /// <param name="factories">Backends asked in order; default <see cref="EncoderFactories.Default"/>.</param>
    public ModelLoader(HubOptions? hub = null, IReadOnlyList<IEncoderFactory>? factories = null)
    {
        Hub = hub ?? HubOptions.FromEnvironment();
        Factories = factories ?? EncoderFactories.Default;
    }

    public HubOptions Hub { get; }

    public IReadOnlyList<IEncoderFactory> Factories { get; }

    /// <summary>Where load-time warnings go (HuggingFace's missing/unexpected weights); null: nowhere.</summary>
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
        return await Task.Run(() => LoadDirectory(directory, options), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Blocking form of <see cref="LoadAsync"/>.</summary>
    public ISparseEncoder Load(string model, EncoderRole role, SpladeEncoderOptions? options = null)
        => LoadDirectory(Locate(model, role), options);

    /// <summary>Loads the encoder in a local folder with the first factory that can.</summary>
    public ISparseEncoder LoadDirectory(string directory, SpladeEncoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var factory = Factories.FirstOrDefault(f => f.CanLoad(directory))
            ?? throw new DiscoException($"{directory}: no model this build can load (tried {string.Join(", ", Factories.Select(f => f.Name))}); a HuggingFace folder needs {HfCheckpoint.ConfigFile}");
        return factory.Load(directory, options ?? new SpladeEncoderOptions(), Warnings);
    }

    /// <summary>
    /// The folder of the encoder for <paramref name="role"/>: for queries, a DiSCo training
    /// output's <c>query</c> subfolder when it holds a loadable model, else the folder itself.
    /// </summary>
    public string RoleDirectory(string directory, EncoderRole role)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var query = Path.Combine(directory, DiscoModelLayout.QueryFolder);
        return role == EncoderRole.Query && Directory.Exists(query) && Factories.Any(f => f.CanLoad(query)) ? query : directory;
    }
}
