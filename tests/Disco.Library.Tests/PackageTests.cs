using System.Reflection;
using Disco.TestSupport;

namespace Disco.Library.Tests;

/// <summary>
/// The libraries as a user gets them: packed with dotnet pack, restored from a local folder (and
/// the machine's NuGet cache, offline) into a fresh console app outside the repository, which
/// builds and runs the docs example. On Debian 12 this also proves that the TorchSharp native fix
/// reaches consumers through the Modeling package's buildTransitive targets.
/// </summary>
public sealed class PackageTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(8);

    [Fact]
    public void Packed_libraries_restore_into_a_fresh_console_app_that_runs_the_example()
    {
        using var dir = new TempDirectory();
        var configuration = typeof(PackageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var packages = dir.File("packages");
        // The libraries are built already (this test runs after the solution's build).
        Dotnet(Fixtures.RepoRoot, "pack", Path.Combine(Fixtures.RepoRoot, "Disco.slnx"), "-c", configuration, "--no-build", "-o", packages);
        var version = typeof(Core.DiscoException).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        foreach (var id in new[] { "Disco.Core", "Disco.Text", "Disco.Modeling", "Disco.Index", "Disco.Hub", "Disco.Retrieval", "Disco.Evaluation" })
            Assert.True(File.Exists(Path.Combine(packages, $"{id}.{version}.nupkg")), $"{id}.{version}.nupkg missing in {string.Join(", ", Directory.GetFiles(packages).Select(Path.GetFileName))}");

        var app = Directory.CreateDirectory(dir.File("app")).FullName;
        File.WriteAllText(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <CreateHardLinksForCopyLocalIfPossible>true</CreateHardLinksForCopyLocalIfPossible>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Disco.Retrieval" Version="{version}" />
                <PackageReference Include="Disco.Evaluation" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        // Offline: Disco from the local folder into a private package folder (so a rebuilt package
        // of the same version is never shadowed), everything else from the machine's NuGet cache.
        var machineCache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set ? set : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{dir.File("nuget")}" /></config>
              <packageSources><clear /><add key="disco" value="{packages}" /></packageSources>
              <fallbackPackageFolders><clear /><add key="machine" value="{machineCache}" /></fallbackPackageFolders>
            </configuration>
            """);
        File.Copy(Path.Combine(Fixtures.RepoRoot, "samples", "LibraryExample", "Program.cs"), Path.Combine(app, "Program.cs"));
        Dotnet(app, "build", "-c", "Release");

        var data = ExampleRunner.SampleData(dir.File("data"));
        var (code, output, error) = ExampleRunner.Run("dotnet", [Path.Combine(app, "bin", "Release", "net10.0", "Consumer.dll"), data, dir.File("work")], app, ExampleRunner.FakeHub(dir.File("hub")), Step);
        Assert.True(code == 0, $"exit {code}: {error}");
        LibraryExampleTests.AssertLikeBruteForce(output, data, dir.File("work"));
    }

    private static void Dotnet(string workingDirectory, params string[] arguments)
    {
        var (code, output, error) = ExampleRunner.Run("dotnet", arguments, workingDirectory, hubCache: "", Step);
        Assert.True(code == 0, $"dotnet {string.Join(' ', arguments)} exited {code}:\n{output}\n{error}");
    }
}
