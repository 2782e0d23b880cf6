using BenchmarkDotNet.Running;

// Benchmarks grouped by area; `dotnet run -c Release --project bench/Disco.Benchmarks -- --filter '*'`.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
