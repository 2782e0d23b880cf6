using System.Net;
using System.Text;
using System.Text.Json;

namespace Disco.Server.Tests;

public sealed class ErrorTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private RunningServer Server => shared.Server;

    [Theory]
    [InlineData("""{"text": "paris", "k": 0}""", "$.k", "must be between 1 and 1000, got 0")]
    [InlineData("""{"text": "paris", "k": 1001}""", "$.k", "must be between 1 and 1000, got 1001")]
    [InlineData("""{"text": "paris", "k": 2.5}""", "$.k", "must be an integer")]
    [InlineData("""{"text": "paris", "k": "10"}""", "$.k", "must be an integer")]
    [InlineData("""{"text": ""}""", "$.text", "must not be empty")]
    [InlineData("""{"text": 3}""", "$.text", "must be a string")]
    [InlineData("""{"txet": "paris"}""", "$.txet", "unknown field")]
    [InlineData("""{"conversation": [{"question": "a", "answer": "b"}, {"questoin": "c"}]}""", "$.conversation[1].questoin", "unknown field")]
    [InlineData("""{"conversation": [{"question": "a", "answer": "b"}, {"question": "c", "answer": "d"}]}""", "$.conversation[1].answer", "the last turn is the current question")]
    [InlineData("""{"conversation": []}""", "$.conversation", "at least one turn")]
    [InlineData("""{"conversation": [{"answer": "b"}]}""", "$.conversation[0].question", "is required")]
    [InlineData("""{"conversation": "hello"}""", "$.conversation", "must be an array")]
    [InlineData("""{"text": "a", "conversation": [{"question": "b"}]}""", "$", "exactly one of")]
    [InlineData("""{}""", "$", "exactly one of")]
    [InlineData("""{"vector": {"paris": -1}}""", "$.vector[\"paris\"]", "finite number")]
    [InlineData("""{"vector": {}}""", "$.vector", "at least one term")]
    [InlineData("""{"text": "paris", "flatten": "everything"}""", "$.flatten", "must be one of full, last_question, questions_only (or last, questions)")]
    [InlineData("""{"text": "paris", "explain": "yes"}""", "$.explain", "must be true or false")]
    [InlineData("""{"text": "paris", "text": "lyon"}""", "$.text", "appears twice")]
    [InlineData("""{"text": "paris",}""", "$", "malformed JSON")]
    [InlineData("""{"text": "paris" """, "$", "malformed JSON")]
    [InlineData("""["paris"]""", "$", "must be a JSON object")]
    public async Task Bad_search_requests_get_400_naming_the_field(string json, string field, string message)
    {
        var (status, body) = await Server.PostAsync("/v1/search", json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, body.GetProperty("field").GetString());
        Assert.Contains(message, body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"text": "paris", "kind": "passage"}""", "$.kind")]
    [InlineData("""{"conversation": [{"question": "a"}], "kind": "document"}""", "$.conversation")]
    [InlineData("""{"text": "paris", "k": 3}""", "$.k")]
    public async Task Bad_encode_requests_get_400_naming_the_field(string json, string field)
    {
        var (status, body) = await Server.PostAsync("/v1/encode", json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, body.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Texts_longer_than_the_limit_get_400_with_the_limit()
    {
        var text = new string('a', DiscoSearchOptions.DefaultMaxTextLength + 1);
        var (status, body) = await Server.PostAsync("/v1/search", JsonSerializer.Serialize(new { conversation = new[] { new { question = text } } }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("$.conversation[0].question", body.GetProperty("field").GetString());
        Assert.Contains($"the limit is {DiscoSearchOptions.DefaultMaxTextLength}", body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bodies_over_the_limit_get_413_whether_announced_or_streamed()
    {
        var big = JsonSerializer.Serialize(new { text = new string('a', (int)DiscoSearchOptions.DefaultMaxRequestBytes) });
        var (status, body) = await UntilAnswered(() => Server.PostAsync("/v1/search", big));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("larger than the limit", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        // Chunked, without a Content-Length: the limit holds while reading. (Just over the limit, so
        // the client has sent it all before the answer comes and the server closes the connection.)
        var over = JsonSerializer.Serialize(new { text = new string('a', (int)DiscoSearchOptions.DefaultMaxRequestBytes - 5) });
        var (chunkedStatus, _) = await UntilAnswered(() =>
        {
            var streamed = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(over)));
            streamed.Headers.ContentType = new("application/json");
            return Server.SendAsync(HttpMethod.Post, "/v1/search", streamed, r => r.Headers.TransferEncodingChunked = true);
        });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunkedStatus);
    }

    /// <summary>
    /// The server may answer 413 and close while the client is still writing the body; the client
    /// then sees a broken pipe instead of the answer (a race in the client, not a server fault).
    /// Such an attempt is repeated; whatever answer arrives is still asserted by the caller.
    /// </summary>
    private static async Task<T> UntilAnswered<T>(Func<Task<T>> send)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await send();
            }
            catch (HttpRequestException e) when (attempt < 5 && e.InnerException is IOException)
            {
            }
        }
    }

    [Fact]
    public async Task Bodies_that_are_not_json_get_415()
    {
        // Routing answers this one (the endpoints declare application/json), before the handler runs.
        foreach (var type in new[] { "text/plain", "application/x-www-form-urlencoded" })
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await Server.PostAsync("/v1/search", """{"text": "paris"}""", type)).Status);
    }

    [Fact]
    public async Task There_is_no_endpoint_for_anything_else()
    {
        foreach (var path in new[] { "/v1/files", "/v1/index/../../etc/passwd", "/v1/admin/shutdown" })
        {
            var (status, _) = await Server.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, status);
        }
        var (method, _) = await Server.GetAsync("/v1/search");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, method);
    }

    [Fact]
    public async Task CORS_is_off_without_an_origin_and_a_cross_origin_preflight_gets_no_grant()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/v1/search");
        preflight.Headers.Add("Origin", "https://elsewhere.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var response = await Server.Client.SendAsync(preflight, TestContext.Current.CancellationToken);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        using var search = await Server.Client.PostAsync("/v1/search", new StringContent("""{"text": "paris"}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.False(search.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
