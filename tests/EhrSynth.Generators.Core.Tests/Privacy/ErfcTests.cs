using EhrSynth.Generators.Privacy;

namespace EhrSynth.Generators.Core.Tests.Privacy;

public class ErfcTests
{
    [Theory]   // reference values: Python's math.erfc (C99 erfc)
    [InlineData(0.5, 0.4795001221869535)]
    [InlineData(1.0, 0.15729920705028513)]
    [InlineData(1.9, 0.0072095707647425325)]
    [InlineData(2.0, 0.004677734981047265)]
    [InlineData(3.0, 2.2090496998585438e-05)]
    [InlineData(5.0, 1.5374597944280351e-12)]
    [InlineData(10.0, 2.088487583762545e-45)]
    [InlineData(-1.0, 1.842700792949715)]
    [InlineData(-2.5, 1.999593047982555)]
    public void Value_MatchesReference(double x, double expected) =>
        Assert.True(Math.Abs(Erfc.Value(x) / expected - 1) < 1e-13, $"erfc({x}) = {Erfc.Value(x):G17}, expected {expected:G17}");

    [Fact]
    public void Log_BeyondUnderflow_MatchesTheAsymptoticSeries()
    {
        // erfc(30) underflows a double; ln erfc(x) = −x² − ln x − ½ ln π + ln(1 − 1/(2x²) + 3/(4x⁴) − 15/(8x⁶) + …).
        const double x = 30;
        double expected = -x * x - Math.Log(x) - 0.5 * Math.Log(Math.PI) + Math.Log(1 - 1 / (2 * x * x) + 3 / (4 * Math.Pow(x, 4)) - 15 / (8 * Math.Pow(x, 6)));
        Assert.Equal(expected, Erfc.Log(x), 1e-10);
    }
}
