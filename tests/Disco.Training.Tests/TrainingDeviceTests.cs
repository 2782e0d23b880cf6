using Disco.Core;
using TorchSharp;

namespace Disco.Training.Tests;

public sealed class TrainingDeviceTests
{
    [Fact]
    public void DeviceNamesParseAsEverywhereAndCudaWithoutACudaDeviceIsAOneLineError()
    {
        Assert.Equal(DeviceType.CPU, TrainingModels.ResolveDevice(" CPU ").type);
        // The same parser (and message) as the ONNX encoder's --device.
        var unknown = Assert.Throws<DiscoException>(() => TrainingModels.ResolveDevice("tpu"));
        Assert.Equal(Assert.Throws<DiscoException>(() => ComputeDevice.Parse("tpu")).Message, unknown.Message);
        // This build is TorchSharp-cpu; a CUDA build on a one-GPU machine refuses cuda:1 as well.
        var cuda = Assert.Throws<DiscoException>(() => TrainingModels.ResolveDevice("cuda:1"));
        Assert.StartsWith("device 'cuda:1' requested but ", cuda.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', cuda.Message);
    }
}
