namespace EhrSynth.Generators.Generation;

/// <summary>
/// The name of a training phase, as progress reports, logs and checkpoints carry it. The built-in phases are the static
/// members; a family with a phase of its own makes one with <c>new TrainingPhaseName("…")</c>.
/// </summary>
/// <param name="Value">The name, lower-case words joined by hyphens (<c>pretrain-autoencoder</c>).</param>
public readonly record struct TrainingPhaseName(string Value)
{
    /// <summary>The main (or only) phase of a fit.</summary>
    public static TrainingPhaseName Train { get; } = new("train");

    /// <summary>The GANs' autoencoder pre-training before the adversarial phase.</summary>
    public static TrainingPhaseName PretrainAutoencoder { get; } = new("pretrain-autoencoder");

    /// <summary>The phase a private fit runs instead of the family's own: DP-SGD on its per-patient objective.</summary>
    public static TrainingPhaseName DpSgd { get; } = new("dp-sgd");

    /// <inheritdoc />
    public override string ToString() => Value ?? "";
}
