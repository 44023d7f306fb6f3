using EhrSynth.Generators.Data;
using EhrSynth.Generators.Generation;

namespace EhrSynth.Generators.Core.Tests.Generation;

/// <summary>Cohort conditions, sampling by rejection (against a hand-computed order of draws), and the exact tree conditional (against enumeration).</summary>
public class CohortTests
{
    private static readonly CodeVocabulary Codes = new(["A", "B", "C", "D"]);

    [Fact]
    public void Condition_ParsesTheCommandLinesLists_AndResolvesOrListsEveryProblem()
    {
        var condition = CohortCondition.Parse(" B, A ,, A", "D");
        Assert.Equal(["B", "A"], condition.With);
        Assert.Equal("with B, A; without D", condition.ToString());
        var resolved = condition.Resolve(Codes);
        Assert.Equal([0, 1], resolved.Required);
        Assert.Equal([3], resolved.Excluded);
        Assert.True(resolved.IsSatisfiedBy([0, 1, 2]));
        Assert.False(resolved.IsSatisfiedBy([0, 1, 3]));
        Assert.False(resolved.IsSatisfiedBy([1, 2]));
        Assert.Equal("everyone", CohortCondition.Parse(null, " ").ToString());

        var e = Assert.Throws<ArgumentException>(() => CohortCondition.Parse("A,X", "A,Y").Resolve(Codes));
        Assert.Contains("'X' is not in the vocabulary", e.Message, StringComparison.Ordinal);
        Assert.Contains("'Y' is not in the vocabulary", e.Message, StringComparison.Ordinal);
        Assert.Contains("'A' is both required and excluded", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Condition_TakesAnUnmarkedIcdCode_WhenOneVersionHasIt_AndAsksWhenBothDo()
    {
        var marked = new CodeVocabulary(["9:428", "10:I50", "9:250", "10:250"]);
        Assert.Equal([0, 1], CohortCondition.Having("428", "I50").Resolve(marked).Required);
        var e = Assert.Throws<ArgumentException>(() => CohortCondition.Having("250").Resolve(marked));
        Assert.Contains("'250' is in both ICD versions here: write 9:250 or 10:250", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejection_KeepsTheFirstSatisfyingDrawsInOrder_WithBatchSeedsFromTheCallsSeed()
    {
        // A scripted sampler: record j of the batch drawn with seed s is {A, C} when (s + j) % 4 == 0, {A, D} when
        // (s + j) % 4 == 1, else {B}: half the draws satisfy "with A", and the kept ones show their order.
        var batches = new List<(int N, int Seed)>();
        int[] Record(int s, int j) => ((s + j) % 4) switch { 0 => [0, 2], 1 => [0, 3], _ => [1] };
        EhrDataset Draw(int n, int s)
        {
            batches.Add((n, s));
            var b = new EhrDatasetBuilder(Codes, "s-");
            for (int j = 0; j < n; j++)
            {
                b.AddPatient(Record(s, j));
            }

            return b.Build();
        }

        var cohort = CohortCondition.Having("A").Resolve(Codes);
        var (data, report) = CohortSampler.Rejection("scripted", cohort, Codes, 300, 7, Draw, CohortSamplingOptions.Default, null, CancellationToken.None);

        // By hand: every draw in order, the satisfying ones kept until 300.
        var expected = batches.SelectMany(b => Enumerable.Range(0, b.N).Select(j => Record(b.Seed, j))).Where(r => r[0] == 0).ToList();
        Assert.Equal(300, data.PatientCount);
        Assert.Equal(expected.Take(300).Select(r => string.Join(",", r)), Enumerable.Range(0, 300).Select(p => string.Join(",", data.GetCodes(p).ToArray())));
        Assert.Equal(CohortSampler.BatchSeed(7, 0), batches[0].Seed);
        Assert.Equal(Enumerable.Range(0, batches.Count).Select(k => CohortSampler.BatchSeed(7, k)), batches.Select(b => b.Seed));
        Assert.Equal(256 < 330 ? 330 : 256, batches[0].N);                                 // max(256, 300 / 1 · 1.1)
        Assert.Equal(batches.Sum(b => b.N), report.Drawn);
        Assert.Equal(expected.Count, report.Accepted);
        Assert.Equal(CohortMethod.Rejection, report.Method);
        Assert.InRange(report.AcceptanceRate, 0.45, 0.55);
        Assert.Equal("with A", report.Condition);
    }

    [Fact]
    public void Rejection_OfARareCohort_StopsEarly_NamingTheRate()
    {
        // 1 record in 1,000 satisfies: below the default 1 %, sampling stops once (accepted + 3) / drawn < 1 %.
        long total = 0;
        EhrDataset Draw(int n, int s)
        {
            var b = new EhrDatasetBuilder(Codes, "s-");
            for (int j = 0; j < n; j++)
            {
                b.AddPatient([(total + j) % 1_000 == 999 ? 0 : 1]);
            }

            total += n;
            return b.Build();
        }

        var cohort = CohortCondition.Having("A").Resolve(Codes);
        var e = Assert.Throws<CohortUnreachableException>(() => CohortSampler.Rejection("rare", cohort, Codes, 50, 1, Draw, CohortSamplingOptions.Default, null, CancellationToken.None));
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"rare: {e.Report.AcceptanceRate:P3} of the records it samples satisfy with A ({e.Report.Accepted:N0} of {e.Report.Drawn:N0} drawn)"), e.Message, StringComparison.Ordinal);
        Assert.InRange(e.Report.AcceptanceRate, 0.0005, 0.0015);
        Assert.Contains("below the 1.00 % that sampling by rejection accepts", e.Message, StringComparison.Ordinal);
        Assert.True(total < 50 * 200, $"drew {total:N0} records before stopping");
        Assert.Equal(total, e.Report.Drawn);

        // With the minimum lowered, the same cohort is reached.
        total = 0;
        var (data, report) = CohortSampler.Rejection("rare", cohort, Codes, 50, 1, Draw, new CohortSamplingOptions { MinimumAcceptance = 1e-4 }, null, CancellationToken.None);
        Assert.Equal(50, data.PatientCount);
        Assert.InRange(report.AcceptanceRate, 0.0009, 0.0011);

        var none = Assert.Throws<CohortUnreachableException>(() => CohortSampler.Rejection("never", CohortCondition.Having("C").Resolve(Codes), Codes, 5, 1, Draw, CohortSamplingOptions.Default, null, CancellationToken.None));
        Assert.Contains("none of the", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TreeConditional_EqualsTheJointRestrictedToTheEvidence_ByEnumeration()
    {
        // A chain and a branch over five codes: 0 – 1 – 2, 1 – 3, and 4 alone.
        (int, int)[] edges = [(0, 1), (1, 2), (1, 3)];
        double[] present = [0.3, 0.4, 0.25, 0.5, 0.1];
        double[] joint = [0.2, 0.15, 0.1];
        var tree = BinaryTreeModel.Create(5, edges, c => present[c], e => joint[e]);
        foreach (var (required, excluded) in new (int[], int[])[] { ([2], []), ([0], [3]), ([2, 3], [0]), ([], [1]), ([4], [2]) })
        {
            var (conditioned, probability) = tree.Condition(required, excluded);
            double evidence = 0;
            var restricted = new double[32];
            for (int x = 0; x < 32; x++)
            {
                if (required.All(c => (x >> c & 1) == 1) && excluded.All(c => (x >> c & 1) == 0))
                {
                    restricted[x] = Probability(tree, x);
                    evidence += restricted[x];
                }
            }

            Assert.Equal(evidence, probability, 12);
            for (int x = 0; x < 32; x++)
            {
                Assert.Equal(restricted[x] / evidence, Probability(conditioned, x), 12);
            }
        }

        // Evidence the model cannot produce: code 0 present while its only tie says 1 is present with it: P(0, ¬1) = 0.1 > 0,
        // so use an impossible one — a code of prevalence 0.
        var impossible = BinaryTreeModel.Create(2, [(0, 1)], c => c == 0 ? 0.5 : 0.0, _ => 0.0);
        Assert.Equal(0, impossible.Condition([1], []).Probability);
    }

    /// <summary>P(x) under the tree's tables, for the codes set in the bits of <paramref name="x"/>.</summary>
    private static double Probability(BinaryTreeModel tree, int x)
    {
        double p = 1;
        for (int c = 0; c < tree.CodeCount; c++)
        {
            int parent = tree.Parents[c];
            double one = tree.PresentGiven(c, parent >= 0 && (x >> parent & 1) == 1);
            p *= (x >> c & 1) == 1 ? one : 1 - one;
        }

        return p;
    }
}
