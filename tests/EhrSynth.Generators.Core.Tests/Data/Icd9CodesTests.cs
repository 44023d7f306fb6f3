using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.Core.Tests.Data;

public class Icd9CodesTests
{
    [Theory]
    [InlineData("4019", "401")]
    [InlineData("401", "401")]
    [InlineData("V4501", "V45")]
    [InlineData("E8788", "E878")]
    [InlineData("E878", "E878")]
    [InlineData("0389", "038")]
    [InlineData("42", "42")]
    public void ToThreeDigit_FollowsMedGanRule(string code, string expected) =>
        Assert.Equal(expected, Icd9Codes.ToThreeDigit(code));

    [Theory]
    [InlineData("250.83", "25083")]
    [InlineData("8", "008")]
    [InlineData("38", "038")]
    [InlineData("38.9", "0389")]
    [InlineData("V57", "V57")]
    [InlineData("V27.0", "V270")]
    [InlineData("E909", "E909")]
    [InlineData(" 414 ", "414")]
    public void NormalizeDotted_PadsAndDropsTheDot(string text, string expected) =>
        Assert.Equal(expected, Icd9Codes.NormalizeDotted(text));

    [Theory]
    [InlineData("")]
    [InlineData("?")]
    [InlineData("abc")]
    [InlineData("1234")]
    [InlineData("25.x")]
    [InlineData("E")]
    public void NormalizeDotted_RejectsNonCodes(string text) =>
        Assert.Null(Icd9Codes.NormalizeDotted(text));
}
