namespace EhrSynth.Generators.Torch;

/// <summary>
/// Learning-rate schedules as pure functions of the step, laid over the run's <b>actual</b> number of steps (a budget
/// cut short still warms up and decays completely), and set on the optimizer every step, so a resumed run follows the
/// same curve without scheduler state.
/// </summary>
public static class LearningRateSchedule
{
    /// <summary>
    /// Linear warmup from 0, then cosine decay to 0 (Hugging Face <c>get_cosine_schedule_with_warmup</c>).
    /// </summary>
    /// <param name="step">1-based step.</param>
    /// <param name="totalSteps">Steps of the run.</param>
    /// <param name="warmupSteps">Warmup steps.</param>
    /// <param name="peak">Learning rate at the end of warmup.</param>
    public static double WarmupCosine(long step, long totalSteps, long warmupSteps, double peak)
    {
        if (step <= warmupSteps)
        {
            return peak * step / Math.Max(1, warmupSteps);
        }

        double progress = (double)(step - warmupSteps) / Math.Max(1, totalSteps - warmupSteps);
        return peak * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1, progress)));
    }

    /// <summary>Linear warmup from 0, then linear decay to 0 (Hugging Face <c>get_linear_schedule_with_warmup</c>).</summary>
    public static double WarmupLinear(long step, long totalSteps, long warmupSteps, double peak)
    {
        if (step <= warmupSteps)
        {
            return peak * step / Math.Max(1, warmupSteps);
        }

        return peak * Math.Max(0, (double)(totalSteps - step) / Math.Max(1, totalSteps - warmupSteps));
    }

    /// <summary>Sets every parameter group's learning rate.</summary>
    public static void Apply(TorchSharp.Modules.OptimizerHelper optimizer, double learningRate)
    {
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = learningRate;
        }
    }
}
