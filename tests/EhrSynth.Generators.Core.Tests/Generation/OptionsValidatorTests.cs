using System.ComponentModel.DataAnnotations;
using EhrSynth.Generators.Generation;

namespace EhrSynth.Generators.Core.Tests.Generation;

public class OptionsValidatorTests
{
    private sealed class SampleOptions : EhrGeneratorOptions
    {
        [Range(1, 10_000)]
        public int Epochs { get; set; } = 5;

        [Range(1e-8, 1.0)]
        public double LearningRate { get; set; } = 1e-3;

        public int BatchSize { get; set; } = 32;

        public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
        {
            if (BatchSize % 2 != 0)
            {
                yield return new ValidationResult($"must be even (got {BatchSize})", [nameof(BatchSize)]);
            }
        }
    }

    [Fact]
    public void Validate_ListsEveryProblemInOneError()
    {
        var e = Assert.Throws<ValidationException>(() =>
            OptionsValidator.Validate(new SampleOptions { Epochs = 0, LearningRate = 5, BatchSize = 3 }));
        Assert.Contains("3 problems", e.Message);
        Assert.Contains("- Epochs:", e.Message);
        Assert.Contains("- LearningRate:", e.Message);
        Assert.Contains("- BatchSize: must be even (got 3)", e.Message);
    }

    [Fact]
    public void ValidateAndClone_ReturnsIndependentCopy()
    {
        var original = new SampleOptions { Epochs = 7, Seed = 3, Device = ComputeDevice.Cuda(1) };
        var copy = OptionsValidator.ValidateAndClone(original);
        original.Epochs = 9;
        Assert.Equal(7, copy.Epochs);
        Assert.Equal(3, copy.Seed);
        Assert.Equal(ComputeDevice.Cuda(1), copy.Device);
    }

    [Theory]
    [InlineData("auto", "auto")]
    [InlineData("CPU", "cpu")]
    [InlineData("cuda", "cuda")]
    [InlineData("cuda:2", "cuda:2")]
    public void ComputeDevice_ParsesAndPrints(string text, string expected) =>
        Assert.Equal(expected, ComputeDevice.Parse(text).ToString());

    [Fact]
    public void ComputeDevice_BadText_Throws() =>
        Assert.Throws<FormatException>(() => ComputeDevice.Parse("tpu"));
}
