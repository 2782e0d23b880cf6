using BenchmarkDotNet.Running;

// Benchmarks grouped by area; `dotnet run -c Release --project bench/Disco.Benchmarks -- --filter '*'`.
// Encoder throughput runs as a plain timed command (one pass takes many seconds): bench/encode.sh.
if (args is ["encoder-throughput", ..])
    return Disco.Benchmarks.Encoding.EncoderThroughput.Run(args[1..]);
// Cross-encoder reranking against the PyTorch peer: bench/rerank.sh.
if (args is ["rerank-throughput", ..])
    return Disco.Benchmarks.Reranking.RerankThroughput.Run(args[1..]);
// Server throughput against the library in-process: bench/serve.sh.
if (args is ["serve-throughput", ..])
    return await Disco.Benchmarks.Serving.ServeThroughput.RunAsync(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
