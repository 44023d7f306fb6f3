using EhrSynth.Generators.Data;
using EhrSynth.Generators.IO;

namespace EhrSynth.Generators.Core.Tests.IO;

public class Icd9TitlesTests
{
    private const string Cms = """
        ID  Diagnosis
        4010  Malignant hypertension
        4011  Benign hypertension
        4019  Hypertension NOS
        25000  DMII wo cmp nt st uncntr
        25001  DMI wo cmp nt st uncntrld
        4280  CHF NOS
        4289  Heart failure NOS
        2765  Volume depletion NOS
        27650  Volume depletion unsp
        2768  Hypopotassemia
        E8780  Surg op w transplant
        V4501  Status cardiac pacemaker
        V4502  Status autm crd dfbrltr
        """;

    [Fact]
    public void Describe_ExactAndDerivedCategoryTitles()
    {
        var t = Icd9Titles.LoadCms(new StringReader(Cms), "cms");
        Assert.Equal(13, t.Count);
        Assert.Equal("Benign hypertension", t.GetTitle("4011"));
        Assert.Equal("Hypertension NOS", t.Describe("401"));          // subdivision 9 is "unspecified"
        Assert.Equal("Heart failure NOS", t.Describe("428"));          // not 4280 "CHF NOS"
        Assert.Equal("Volume depletion NOS", t.Describe("276"));       // no 2769: first NOS child
        Assert.Equal("Status cardiac pacemaker", t.Describe("V45"));   // lowest child
        Assert.Equal("DMII wo cmp nt st uncntr", t.Describe("250"));
        Assert.Null(t.Describe("999"));
        var v = t.Apply(new CodeVocabulary(["401", "999"]));
        Assert.Equal("Hypertension NOS", v.GetTitle(0));
        Assert.Null(v.GetTitle(1));
    }

    [Fact]
    public void LoadCms_MalformedLine_NamesLine()
    {
        var e = Assert.Throws<EhrDataFormatException>(() => Icd9Titles.LoadCms(new StringReader("ID  Diagnosis\n4010  ok\n4011\n"), "cms.txt"));
        Assert.Equal(3, e.LineNumber);
    }
}
