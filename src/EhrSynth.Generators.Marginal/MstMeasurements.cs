namespace EhrSynth.Generators.Marginal;

/// <summary>What MST measures with the Gaussian mechanism.</summary>
public enum MstMeasurements
{
    /// <summary>
    /// The reference (private-pgm's <c>mst.py</c>): each code's whole one-way table (absent, present) and each selected
    /// pair's whole 2 × 2 table. Every patient adds 1 to a cell of every table, so one patient moves the D one-way tables
    /// by √D in L2 and the D − 1 pair tables by √(D − 1): the noise grows with the number of codes.
    /// </summary>
    OneHot,

    /// <summary>
    /// For sparse binary records (a departure, named in the settings line): the number of patients, each code's count
    /// of patients who have it, and each selected pair's count of patients who have both — the other cells follow. A
    /// patient with k codes adds min(1, K/k) to each of its codes and pairs (<see cref="MstOptions.CodeCap"/>), so one
    /// patient moves them by at most √(1 + K) and √K whatever the number of codes: far less noise on EHR data, where a
    /// patient has a handful of a thousand codes.
    /// </summary>
    Sparse,
}
