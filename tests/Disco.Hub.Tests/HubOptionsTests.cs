namespace Disco.Hub.Tests;

public sealed class HubOptionsTests
{
    private static HubOptions From(params (string Name, string Value)[] vars)
    {
        var map = vars.ToDictionary(v => v.Name, v => v.Value);
        return HubOptions.FromEnvironment(name => map.GetValueOrDefault(name));
    }

    [Fact]
    public void CacheFollowsHuggingFaceHubPrecedence()
    {
        Assert.Equal("/c/hub-cache", From(("HF_HUB_CACHE", "/c/hub-cache"), ("HF_HOME", "/h")).CacheDirectory);
        Assert.Equal(Path.Combine("/h", "hub"), From(("HF_HOME", "/h"), ("XDG_CACHE_HOME", "/x")).CacheDirectory);
        Assert.Equal(Path.Combine("/x", "huggingface", "hub"), From(("XDG_CACHE_HOME", "/x")).CacheDirectory);
    }

    [Fact]
    public void EndpointTokenAndOfflineComeFromTheirVariables()
    {
        var options = From(("HF_ENDPOINT", "http://mirror.local/"), ("HF_TOKEN", "hf_x"), ("HF_HUB_OFFLINE", "1"), ("HF_HOME", "/nonexistent"));
        Assert.Equal("http://mirror.local", options.Endpoint);
        Assert.Equal("hf_x", options.Token);
        Assert.True(options.Offline);
        var defaults = From(("HF_HOME", "/nonexistent"));
        Assert.Equal(HubOptions.DefaultEndpoint, defaults.Endpoint);
        Assert.Null(defaults.Token);
        Assert.False(defaults.Offline);
    }

    [Fact]
    public void TimeoutsComeFromHuggingFaceHubsVariables()
    {
        var defaults = From(("HF_HOME", "/nonexistent"));
        Assert.Equal(TimeSpan.FromSeconds(10), defaults.MetadataTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), defaults.ReadTimeout);
        var set = From(("HF_HOME", "/nonexistent"), ("HF_HUB_ETAG_TIMEOUT", "2.5"), ("HF_HUB_DOWNLOAD_TIMEOUT", "60"));
        Assert.Equal(TimeSpan.FromSeconds(2.5), set.MetadataTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), set.ReadTimeout);
        foreach (var bad in new[] { "abc", "0", "-1", "NaN", "1e9" })
        {
            var e = Assert.Throws<Disco.Core.DiscoException>(() => From(("HF_HUB_DOWNLOAD_TIMEOUT", bad)));
            Assert.Equal($"HF_HUB_DOWNLOAD_TIMEOUT={bad}: expected a number of seconds between 0 and 86400", e.Message);
        }
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("ON", true)]
    [InlineData("yes", true)]
    [InlineData("0", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void TruthyValuesMatchHuggingFaceHub(string? value, bool expected) => Assert.Equal(expected, HubOptions.IsTrue(value));

    [Theory]
    [InlineData("\"abc\"", "abc")]
    [InlineData("W/\"abc\"", "abc")]
    [InlineData("abc", "abc")]
    public void EtagsAreUnquoted(string raw, string bare) => Assert.Equal(bare, HubClient.NormalizeEtag(raw));
}
