using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Disco.TestSupport;

namespace Disco.Server.Tests;

/// <summary>
/// Debian's Chromium in headless mode, driven over the DevTools protocol on a WebSocket (no
/// driver or browser download): navigate, evaluate script, type and press keys as a user would,
/// take screenshots.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
    private readonly Process _process;
    private readonly TempDirectory _profile;
    private readonly ClientWebSocket _socket;
    private int _nextId;

    private HeadlessChromium(Process process, TempDirectory profile, ClientWebSocket socket)
    {
        _process = process;
        _profile = profile;
        _socket = socket;
    }

    public static async Task<HeadlessChromium> StartAsync(CancellationToken cancellationToken)
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: install Debian's chromium (.ci/run does)");
        var profile = new TempDirectory();
        var start = new ProcessStartInfo(Executable) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
            "--window-size=1280,1500", $"--user-data-dir={profile.Path}", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        // Chromium writes the port it took into the profile once it listens.
        var portFile = profile.File("DevToolsActivePort");
        var clock = Stopwatch.StartNew();
        while (!File.Exists(portFile) || File.ReadAllLines(portFile).Length < 2)
        {
            Assert.True(clock.Elapsed < Patience && !process.HasExited, "chromium did not open its DevTools port");
            await Task.Delay(100, cancellationToken);
        }
        var port = int.Parse(File.ReadAllLines(portFile)[0], System.Globalization.CultureInfo.InvariantCulture);
        using var http = new HttpClient();
        var targets = JsonNode.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/json/list"), cancellationToken))!.AsArray();
        var page = targets.First(t => (string?)t!["type"] == "page")!;
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), cancellationToken);
        return new HeadlessChromium(process, profile, socket);
    }

    /// <summary>Sends a DevTools command and returns its result (events in between are skipped).</summary>
    public async Task<JsonNode> SendAsync(string method, object? parameters = null)
    {
        var id = ++_nextId;
        var message = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters ?? new { } }, Json);
        using var timeout = new CancellationTokenSource(Patience);
        await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        var buffer = new byte[1 << 16];
        while (true)
        {
            using var received = new MemoryStream();
            WebSocketReceiveResult part;
            do
            {
                part = await _socket.ReceiveAsync(buffer, timeout.Token);
                received.Write(buffer, 0, part.Count);
            }
            while (!part.EndOfMessage);
            var reply = JsonNode.Parse(Encoding.UTF8.GetString(received.ToArray()))!;
            if ((int?)reply["id"] != id)
                continue;
            Assert.True(reply["error"] is null, $"{method}: {reply["error"]?.ToJsonString()}");
            return reply["result"]!;
        }
    }

    /// <summary>Evaluates a script expression in the page (awaiting a promise) and returns its JSON value.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true });
        Assert.True(result["exceptionDetails"] is null, $"{expression}: {result["exceptionDetails"]?.ToJsonString()}");
        return result["result"]!["value"];
    }

    /// <summary>Waits until <paramref name="expression"/> is true in the page.</summary>
    public async Task WaitForAsync(string expression)
    {
        var clock = Stopwatch.StartNew();
        while ((bool?)await EvaluateAsync($"!!({expression})") != true)
        {
            Assert.True(clock.Elapsed < Patience, $"timed out waiting for {expression}");
            await Task.Delay(50);
        }
    }

    /// <summary>Types into the focused element as the keyboard would.</summary>
    public Task TypeAsync(string text) => SendAsync("Input.insertText", new { text });

    /// <summary>Presses one key; <paramref name="modifiers"/>: 1 Alt, 2 Ctrl, 4 Meta, 8 Shift.</summary>
    public async Task PressAsync(string key, string code, int keyCode, int modifiers = 0, string? text = null)
    {
        await SendAsync("Input.dispatchKeyEvent", new { type = text is null ? "rawKeyDown" : "keyDown", key, code, windowsVirtualKeyCode = keyCode, modifiers, text });
        await SendAsync("Input.dispatchKeyEvent", new { type = "keyUp", key, code, windowsVirtualKeyCode = keyCode, modifiers });
    }

    public async Task<byte[]> ScreenshotAsync() => Convert.FromBase64String((string)(await SendAsync("Page.captureScreenshot", new { format = "png", captureBeyondViewport = true }))["data"]!);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }
        _socket.Dispose();
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _profile.Dispose();
    }
}
