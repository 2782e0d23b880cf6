using Disco.TestSupport;

namespace Disco.Server.Tests;

/// <summary>The web page in a real browser: a user types a two-turn conversation and reads the ranked, highlighted passages.</summary>
public sealed class WebPageTests(SharedServer shared) : IClassFixture<SharedServer>
{
    /// <summary>Set to a path to keep the screenshot (docs/serve-page.png is made this way).</summary>
    private const string ScreenshotVariable = "DISCO_PAGE_SCREENSHOT";

    [Fact]
    public async Task A_two_turn_conversation_typed_in_the_page_shows_the_ranked_passages_with_highlighted_terms_and_expansion_terms()
    {
        var server = shared.Server;
        await using var browser = await HeadlessChromium.StartAsync(TestContext.Current.CancellationToken);
        await browser.SendAsync("Page.enable");
        await browser.SendAsync("Page.navigate", new { url = server.Address.ToString() });
        await browser.WaitForAsync("document.readyState === 'complete' && document.activeElement && document.activeElement.id === 'question-0'");

        // Turn 1: the question, Alt+N for a new turn (focus moves to turn 1's answer), the answer.
        await browser.TypeAsync("what is the capital of france");
        await browser.PressAsync("n", "KeyN", 78, modifiers: 1);
        await browser.WaitForAsync("document.activeElement.id === 'answer-0'");
        await browser.TypeAsync("Paris is the capital of France.");
        // Tab to the new question, type it, Enter searches.
        await browser.PressAsync("Tab", "Tab", 9);
        await browser.WaitForAsync("document.activeElement.id === 'question-1'");
        await browser.TypeAsync("how tall is its tower");
        await browser.PressAsync("Enter", "Enter", 13, text: "\r");
        await browser.WaitForAsync("document.querySelectorAll('#hits li.hit').length > 0");

        var page = (await browser.EvaluateAsync("""
            ({
              ids: [...document.querySelectorAll('#hits li.hit .doc-id')].map(e => e.textContent),
              marks: [...document.querySelectorAll('#hits li.hit')].map(li => ({
                  terms: [...li.querySelectorAll('.contributions .term')].map(e => e.textContent),
                  marks: [...li.querySelectorAll('mark')].map(m => ({ text: m.textContent, terms: m.dataset.terms.split(' ') })),
                  text: li.querySelector('.passage').textContent })),
              expansion: [...document.querySelectorAll('#query-terms li.expansion .term')].map(e => e.textContent),
              own: [...document.querySelectorAll('#query-terms li.in-conversation .term')].map(e => e.textContent),
              flattened: document.getElementById('flattened').textContent,
              latency: document.getElementById('latency').textContent
            })
            """))!;

        // The page shows what the API answers for the same conversation.
        var (_, api) = await server.PostAsync("/v1/search", """
            {"conversation": [{"question": "what is the capital of france", "answer": "Paris is the capital of France."}, {"question": "how tall is its tower"}], "k": 10, "explain": true}
            """);
        Assert.Equal(api.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("id").GetString()), page["ids"]!.AsArray().Select(n => (string?)n));
        Assert.Equal("how tall is its tower [SEP] Paris is the capital of France. [SEP] what is the capital of france", (string?)page["flattened"]);
        var apiTerms = api.GetProperty("query").GetProperty("terms").EnumerateArray().Take(60).ToList();
        Assert.Equal(apiTerms.Where(t => t.GetProperty("expansion").GetBoolean()).Select(t => t.GetProperty("term").GetString()), page["expansion"]!.AsArray().Select(n => (string?)n));
        Assert.NotEmpty(page["expansion"]!.AsArray());
        Assert.Equal(apiTerms.Where(t => !t.GetProperty("expansion").GetBoolean()).Select(t => t.GetProperty("term").GetString()), page["own"]!.AsArray().Select(n => (string?)n));
        Assert.Matches(@"^10 passages in [0-9.]+ ms \(encoding [0-9.]+ ms, search [0-9.]+ ms\)$", (string?)page["latency"]);

        // Highlights: words of the passage, each holding matched terms of that passage.
        var texts = GoldenFixture.Documents.ToDictionary(d => d.Id, d => d.Text);
        var marks = 0;
        foreach (var (hit, id) in page["marks"]!.AsArray().Zip(page["ids"]!.AsArray()))
        {
            Assert.Equal(texts[(string)id!], (string?)hit!["text"]);
            var allTerms = api.GetProperty("hits").EnumerateArray().Single(h => h.GetProperty("id").GetString() == (string?)id).GetProperty("terms").EnumerateArray().Select(t => t.GetProperty("term").GetString()).ToHashSet();
            foreach (var mark in hit["marks"]!.AsArray())
            {
                Assert.Contains((string)mark!["text"]!, (string)hit["text"]!, StringComparison.Ordinal);
                Assert.All(mark["terms"]!.AsArray(), t => Assert.Contains((string?)t, allTerms));
                marks++;
            }
        }
        Assert.True(marks > 0, "no highlighted terms");

        if (Environment.GetEnvironmentVariable(ScreenshotVariable) is { Length: > 0 } path)
            await File.WriteAllBytesAsync(path, await browser.ScreenshotAsync(), TestContext.Current.CancellationToken);

        // Readable on a narrow screen: at 380 px nothing overflows sideways.
        await browser.SendAsync("Emulation.setDeviceMetricsOverride", new { width = 380, height = 800, deviceScaleFactor = 1, mobile = true });
        await browser.WaitForAsync("window.innerWidth === 380");
        Assert.True((int?)await browser.EvaluateAsync("document.documentElement.scrollWidth") <= 380);

        // Clear empties the conversation and the results.
        await browser.EvaluateAsync("document.getElementById('clear').click()");
        await browser.WaitForAsync("document.querySelectorAll('#turns .turn').length === 1 && document.getElementById('results').hidden");
        Assert.Equal("", (string?)await browser.EvaluateAsync("document.getElementById('question-0').value"));
    }
}
