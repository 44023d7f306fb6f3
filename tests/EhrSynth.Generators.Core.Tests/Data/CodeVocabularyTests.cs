using EhrSynth.Generators.Data;

namespace EhrSynth.Generators.Core.Tests.Data;

public class CodeVocabularyTests
{
    [Fact]
    public void IndexOf_ReturnsColumnOrMinusOne()
    {
        var v = new CodeVocabulary(["401", "E878", "V45"]);
        Assert.Equal(3, v.Count);
        Assert.Equal(1, v.IndexOf("E878"));
        Assert.Equal(-1, v.IndexOf("999"));
        Assert.Equal("V45", v[2]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("40 1")]
    [InlineData("401,")]
    [InlineData("\"401\"")]
    public void Ctor_InvalidCode_Throws(string bad)
    {
        var e = Assert.Throws<ArgumentException>(() => new CodeVocabulary(["250", bad]));
        Assert.Contains("column 1", e.Message);
    }

    [Fact]
    public void Ctor_DuplicateCode_NamesBothColumns()
    {
        var e = Assert.Throws<ArgumentException>(() => new CodeVocabulary(["250", "401", "250"]));
        Assert.Contains("'250' occurs twice (columns 0 and 2)", e.Message);
    }

    [Fact]
    public void WithTitles_KeepsCodesAndEquality()
    {
        var v = new CodeVocabulary(["401", "250"]);
        var titled = v.WithTitles(c => c == "401" ? "Hypertension NOS" : null);
        Assert.Equal(v, titled);
        Assert.Equal("Hypertension NOS", titled.GetTitle("401"));
        Assert.Null(titled.GetTitle("250"));
        Assert.False(v.HasTitles);
        Assert.True(titled.HasTitles);
    }

    [Fact]
    public void Equals_DependsOnOrder()
    {
        Assert.NotEqual(new CodeVocabulary(["a", "b"]), new CodeVocabulary(["b", "a"]));
        Assert.Equal(new CodeVocabulary(["a", "b"]).GetHashCode(), new CodeVocabulary(["a", "b"]).GetHashCode());
    }
}
