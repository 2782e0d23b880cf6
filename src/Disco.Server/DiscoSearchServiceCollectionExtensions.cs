using Microsoft.Extensions.DependencyInjection;

namespace Disco.Server;

/// <summary>Registers the search service in a host's container.</summary>
public static class DiscoSearchServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="DiscoSearchService"/> (loaded when the host starts, before it accepts
    /// requests); map its endpoints with <see cref="DiscoSearchEndpoints.MapDiscoSearch"/>.
    /// </summary>
    /// <example><code>
    /// builder.Services.AddDiscoSearch(o =>
    /// {
    ///     o.IndexDirectory = "/data/topiocqa-index";
    ///     o.QueryModel = "slupart/splade-disco-topiocqa-mistral";
    ///     o.Collection = "/data/topiocqa/collection.tsv";
    /// });
    /// ...
    /// app.MapDiscoSearch("/search");
    /// </code></example>
    public static IServiceCollection AddDiscoSearch(this IServiceCollection services, Action<DiscoSearchOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.Configure(configure);
        services.AddSingleton<DiscoSearchService>();
        services.AddHostedService(provider => provider.GetRequiredService<DiscoSearchService>());
        return services;
    }
}
