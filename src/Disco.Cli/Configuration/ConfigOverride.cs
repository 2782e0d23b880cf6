namespace Disco.Cli.Configuration;

/// <summary>
/// One <c>key=value</c> override from the command line. <c>+key=value</c> adds a key the
/// configuration lacks and <c>++key=value</c> adds or replaces, as in Hydra.
/// </summary>
public sealed record ConfigOverride(string Key, string RawValue, bool Add, bool Force)
{
    public object? Value => ConfigTree.ParseValue(RawValue);

    public static ConfigOverride Parse(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var eq = token.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
            throw new UsageException($"'{token}' is not a key=value override");
        var key = token[..eq].Trim();
        var force = key.StartsWith("++", StringComparison.Ordinal);
        var add = force || key.StartsWith('+');
        key = key.TrimStart('+');
        if (key.Length == 0 || key.Split('.').Any(p => p.Length == 0))
            throw new UsageException($"'{token}': '{token[..eq]}' is not a dotted key");
        return new ConfigOverride(key, token[(eq + 1)..], add, force);
    }

    /// <summary>Applies the override; without '+' the key must already exist when <paramref name="strict"/> (Hydra's struct mode).</summary>
    public void ApplyTo(ConfigTree tree, bool strict)
    {
        ArgumentNullException.ThrowIfNull(tree);
        if (Add && !Force && tree.TryGet(Key, out _))
            throw new UsageException($"+{Key}: the key already exists; write {Key}=... to change it or ++{Key}=... to force");
        tree.Set(Key, Value, mustExist: strict && !Add);
    }
}
