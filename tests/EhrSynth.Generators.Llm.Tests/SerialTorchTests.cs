// Torch tests run one at a time: libtorch already uses every core, the global RNG seed is process-wide, and a second
// allocating thread lets the GC finalize TorchSharp's implicit Scalars mid-call (see RootedScalars in the Torch layer).
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
