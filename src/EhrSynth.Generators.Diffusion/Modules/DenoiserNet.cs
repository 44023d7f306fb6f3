using EhrSynth.Generators.Torch;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace EhrSynth.Generators.Diffusion.Modules;

/// <summary>
/// EHRDiff's v2 denoiser (<c>model/linear_model.py</c>): a time embedding (sinusoidal → Linear → SiLU → Linear) and a
/// chain of pre-activation blocks <c>out = Linear(ReLU(x + Linear(t_emb)))</c> — no norm, no residual — with the time
/// embedding added at every block (v1: at the input block only). Widths D → 1024 → 384 → 384 → 384 → 1024 → D by default.
/// </summary>
public sealed class DenoiserNet : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly int _embeddingDim;

    [ComponentName(Name = "time_fc1")]
    private readonly Linear _timeFc1;

    [ComponentName(Name = "time_fc2")]
    private readonly Linear _timeFc2;

    [ComponentName(Name = "time_proj")]
    private readonly ModuleList<Linear> _timeProjections;

    [ComponentName(Name = "blocks")]
    private readonly ModuleList<Linear> _blocks;

    /// <summary>A denoiser for <paramref name="codes"/> codes with the given hidden widths and time embedding sizes.</summary>
    public DenoiserNet(int codes, IReadOnlyList<int> hidden, int embeddingDim, int timeHidden, bool timeInEveryBlock = true)
        : base(nameof(DenoiserNet))
    {
        _embeddingDim = embeddingDim;
        _timeFc1 = nn.Linear(embeddingDim, timeHidden);
        _timeFc2 = nn.Linear(timeHidden, timeHidden);
        int[] widths = [codes, .. hidden, codes];
        _timeProjections = new ModuleList<Linear>();
        _blocks = new ModuleList<Linear>();
        for (int i = 0; i + 1 < widths.Length; i++)
        {
            if (i == 0 || timeInEveryBlock)
            {
                _timeProjections.Add(nn.Linear(timeHidden, widths[i]));
            }

            _blocks.Add(nn.Linear(widths[i], widths[i + 1]));
        }

        RegisterComponents();
    }

    /// <summary>Values in the state of a denoiser of these sizes.</summary>
    public static long StateSize(int codes, IReadOnlyList<int> hidden, int embeddingDim, int timeHidden, bool timeInEveryBlock = true)
    {
        int[] widths = [codes, .. hidden, codes];
        long total = ModuleSizes.Linear(embeddingDim, timeHidden) + ModuleSizes.Linear(timeHidden, timeHidden);
        for (int i = 0; i + 1 < widths.Length; i++)
        {
            total += (i == 0 || timeInEveryBlock ? ModuleSizes.Linear(timeHidden, widths[i]) : 0) + ModuleSizes.Linear(widths[i], widths[i + 1]);
        }

        return total;
    }

    /// <param name="x">Scaled noisy data <c>[B, D]</c>.</param>
    /// <param name="noise">Noise conditioning per sample <c>[B]</c> (EDM's c_noise, or the DDPM timestep).</param>
    public override Tensor forward(Tensor x, Tensor noise)
    {
        var e = SinusoidalEmbedding.Embed(noise, _embeddingDim);                     // [B, E]
        e = _timeFc2.call(nn.functional.silu(_timeFc1.call(e)));                     // [B, T]
        var h = x;                                                                    // [B, D]
        for (int i = 0; i < _blocks.Count; i++)
        {
            if (i < _timeProjections.Count)
            {
                h = h.Plus(_timeProjections[i].call(e));                              // [B, w_i]
            }

            h = _blocks[i].call(nn.functional.relu(h));                               // [B, w_{i+1}]
        }

        return h;                                                                     // [B, D]
    }
}
