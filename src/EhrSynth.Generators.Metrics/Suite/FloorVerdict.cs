namespace EhrSynth.Generators.Metrics.Suite;

/// <summary>
/// Whether a model beats the independent-marginals floor on co-occurrence: lower normalised covariance error and higher
/// bigram R² than the floor on every seed, with a mean margin larger than the seed-to-seed spread of the model's own
/// value (its standard deviation over seeds) on both.
/// </summary>
/// <param name="Row">The model's row name.</param>
/// <param name="SeedsBeaten">Seeds on which it beat the floor on both values.</param>
/// <param name="Seeds">Seeds compared.</param>
/// <param name="CovarianceMargin">Mean of (floor − model) normalised covariance error over seeds.</param>
/// <param name="CovarianceSpread">Standard deviation of the model's normalised covariance error over seeds.</param>
/// <param name="BigramMargin">Mean of (model − floor) bigram R² over seeds.</param>
/// <param name="BigramSpread">Standard deviation of the model's bigram R² over seeds.</param>
public sealed record FloorVerdict(string Row, int SeedsBeaten, int Seeds, double CovarianceMargin, double CovarianceSpread, double BigramMargin, double BigramSpread)
{
    /// <summary>Beaten on every seed, by more than the spread (with one seed: beaten).</summary>
    public bool Clears => SeedsBeaten == Seeds && Seeds > 0
        && (Seeds == 1 || (CovarianceMargin > CovarianceSpread && BigramMargin > BigramSpread));
}
