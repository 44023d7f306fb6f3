using EhrSynth.Generators.Data;
using EhrSynth.Generators.Datasets;
using EhrSynth.Generators.Llm.Text;
using EhrSynth.Generators.Llm.Tokenization;

namespace EhrSynth.Generators.Llm.Tests;

public class TextAndTokenizerTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "tiny-gpt2");

    [Theory]
    [InlineData("Patient ID 12 has Diagnostic Code(s) 401, 428, 250")]
    [InlineData("Hello world, patient has 401.9 hypertension.")]
    [InlineData("  multiple   spaces\tand\ttabs\n\nnewlines  ")]
    [InlineData("emoji 🙂 and accents é à ü, code E8788 V4501")]
    [InlineData("<|endoftext|> special")]
    public void BpeFromFiles_AndEmbeddedTiktoken_GiveIdenticalIds(string text)
    {
        var files = Gpt2BpeTokenizer.FromFiles(Path.Combine(Folder, "vocab.json"), Path.Combine(Folder, "merges.txt"));
        var embedded = Gpt2BpeTokenizer.Embedded();
        Assert.Equal(embedded.Encode(text), files.Encode(text));
    }

    [Fact]
    public void Bpe_ReferenceIds() =>
        Assert.Equal([15496, 995, 11, 5827, 468, 22219, 13, 24, 37454, 13], Gpt2BpeTokenizer.Embedded().Encode("Hello world, patient has 401.9 hypertension."));

    [Fact]
    public void Codec_RoundTripsEveryMimicDemoRecord_AndStructuralTokensEqualBpeOfTheText()
    {
        var data = EhrDatasets.MimicIIIDemo();
        var codec = new PatientSentenceCodec(data.Vocabulary);
        var bpe = Gpt2BpeTokenizer.Embedded();
        foreach (var record in data.Records)
        {
            string text = codec.Encode(record.PatientId, record.Codes);
            var decoded = codec.Decode(text);
            Assert.Equal(RecordIssues.None, decoded.Issues);
            Assert.Equal(record.Codes, decoded.Codes);
            Assert.Equal(record.PatientId, decoded.PatientId);

            var structural = bpe.Prompt(codec.Prompt(record.PatientId)).ToList();
            for (int i = 0; i < record.Codes.Count; i++)
            {
                if (i > 0)
                {
                    structural.Add(bpe.SeparatorToken);
                }

                structural.AddRange(bpe.Code(record.Codes[i]));
            }

            Assert.Equal(bpe.Encode(text), structural);
            Assert.Equal(text, bpe.Decode(structural));
        }
    }

    [Fact]
    public void CodeTokenizer_DecodesToTheSentence()
    {
        var vocabulary = new CodeVocabulary(["401", "E878", "V45"]);
        var codec = new PatientSentenceCodec(vocabulary);
        var tokenizer = CodeTokenizer.For(codec.Template, vocabulary);
        var tokens = tokenizer.Prompt(codec.Prompt("1207")).Concat(tokenizer.Code("E878")).Append(tokenizer.SeparatorToken).Concat(tokenizer.Code("401")).Append(tokenizer.EosToken);
        Assert.Equal("Patient ID 1207 has Diagnostic Code(s) E878, 401", tokenizer.Decode(tokens));
        Assert.Equal(["E878", "401"], codec.Decode(tokenizer.Decode(tokens)).Codes);
        Assert.Equal(3 + 10 + 5 + 3, tokenizer.VocabSize);   // pad, eos, comma; digits; Patient ID has Diagnostic Code(s); codes
    }

    [Fact]
    public void CodesOnlyTemplate_EncodesWithoutTheId_AndTheCodeTokenizerPromptsWithTwoWords()
    {
        var vocabulary = new CodeVocabulary(["401", "E878", "V45"]);
        var codec = new PatientSentenceCodec(vocabulary, PatientSentenceCodec.CodesOnlyTemplate);
        Assert.False(codec.HasId);
        Assert.Equal("Diagnostic Code(s) 401, V45", codec.Encode("1207", ["401", "V45"]));
        var decoded = codec.Decode("Diagnostic Code(s) 401, V45");
        Assert.Equal(["401", "V45"], decoded.Codes);
        Assert.Null(decoded.PatientId);
        Assert.Equal(RecordIssues.None, decoded.Issues);
        var tokenizer = CodeTokenizer.For(codec.Template, vocabulary);
        Assert.Equal(2, tokenizer.Prompt(codec.Prompt("1207")).Length);
        Assert.Equal(3 + 10 + 2 + 3, tokenizer.VocabSize);   // pad, eos, comma; digits; Diagnostic Code(s); codes
    }

    [Theory]
    [InlineData(PatientSentenceCodec.DefaultTemplate, null)]
    [InlineData(PatientSentenceCodec.CodesOnlyTemplate, null)]
    [InlineData("{id} {codes}", null)]
    [InlineData("{codes}", "needs words or {id}")]
    [InlineData("   {codes}", "needs words or {id}")]
    [InlineData("no placeholders", "must end with {codes}")]
    [InlineData("Patient {id} and {id} {codes}", "at most once")]
    [InlineData("Codes {codes} {codes}", "once, at its end")]
    public void TemplateProblems_AreNamed(string template, string? problem)
    {
        if (problem is null)
        {
            Assert.Null(PatientSentenceCodec.Problem(template));
            _ = new PatientSentenceCodec(new CodeVocabulary(["401"]), template);
        }
        else
        {
            Assert.Contains(problem, PatientSentenceCodec.Problem(template), StringComparison.Ordinal);
            Assert.Contains(problem, Assert.Throws<ArgumentException>(() => new PatientSentenceCodec(new CodeVocabulary(["401"]), template)).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Codec_ReportsEveryIssue()
    {
        var codec = new PatientSentenceCodec(new CodeVocabulary(["401", "250"]));
        var r = codec.Decode("Patient ID 3 has Diagnostic Code(s) 401, 999, 401, , 250", ended: false);
        Assert.Equal(["401", "250"], r.Codes);
        Assert.Equal(["999"], r.UnknownCodes);
        Assert.Equal(1, r.DuplicatesRemoved);
        Assert.Equal(RecordIssues.UnknownCode | RecordIssues.Duplicate | RecordIssues.Malformed | RecordIssues.Truncated, r.Issues);
        Assert.False(r.IsValid);
        Assert.Equal(RecordIssues.Malformed | RecordIssues.Empty, codec.Decode("garbage").Issues);
        Assert.Equal(RecordIssues.Empty, codec.Decode("Patient ID 3 has Diagnostic Code(s)").Issues);
        Assert.Equal(RecordIssues.Malformed | RecordIssues.Empty, codec.Decode(null).Issues);
    }

    [Fact]
    public void Decoder_NeverThrowsOnRandomTokenStreams()
    {
        var vocabulary = EhrDatasets.MimicIIIDemo().Vocabulary;
        var codec = new PatientSentenceCodec(vocabulary);
        var tokenizers = new IPatientTokenizer[] { Gpt2BpeTokenizer.Embedded(), CodeTokenizer.For(codec.Template, vocabulary) };
        var rng = new Random(1);
        foreach (var tokenizer in tokenizers)
        {
            for (int i = 0; i < 2_000; i++)
            {
                var prefix = i % 2 == 0 ? tokenizer.Prompt(codec.Prompt("5")) : [];
                var tokens = prefix.Concat(Enumerable.Range(0, rng.Next(0, 40)).Select(_ => rng.Next(-5, tokenizer.VocabSize + 5)));
                var record = codec.Decode(tokenizer.Decode(tokens), rng.Next(2) == 0);
                Assert.All(record.Codes, c => Assert.True(vocabulary.Contains(c)));
            }
        }
    }
}
