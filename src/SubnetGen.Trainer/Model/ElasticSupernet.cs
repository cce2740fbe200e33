using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Space;
using SubnetGen.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Model;

/// <summary>
/// The elastic supernet built from Core's <see cref="SupernetSpec"/>: stem → first block → stages of
/// elastic MBConv blocks (first d active) → head. <see cref="SetActive"/> picks the subnet the forward
/// pass runs. Parameter and buffer names are docs/formats.md's tensor names. Input: pixels in [0,1],
/// NCHW; the spec's mean/std normalisation happens inside, as in the generated model.
/// </summary>
internal sealed class ElasticSupernet : nn.Module<Tensor, Tensor>
{
    // A plain object, not fields of this module: TorchSharp would register module/tensor fields under their C# names.
    private readonly Parts _parts = new();
    private SubnetConfig _active;

    private sealed class Parts
    {
        public ConvBn? Stem, FirstDepthwise, FirstProject, FinalExpand;
        public ConvWeight? FeatureMix;
        public WeightBias? Classifier;
        public Tensor? Mean, Std;
        public readonly List<List<MBConvBlock>> Blocks = new();
    }

    public ElasticSupernet(SupernetSpec spec, Device device, long seed) : base("supernet")
    {
        spec.Validate();
        Spec = spec;
        Device = device;
        using var init = new Init(seed);

        var stem = spec.Stem;
        _parts.Stem = new ConvBn("stem", init.Conv(stem.OutChannels, spec.Input.Channels, stem.Kernel, device), device);
        register_module("stem", _parts.Stem);

        var first = new Named("first");
        register_module("first", first);
        _parts.FirstDepthwise = first.Child("dw", new ConvBn("dw", init.Conv(stem.OutChannels, 1, spec.FirstBlock.Kernel, device), device));
        _parts.FirstProject = first.Child("project", new ConvBn("project", init.Conv(spec.FirstBlock.OutChannels, stem.OutChannels, 1, device), device));

        var stages = new Named("stages");
        register_module("stages", stages);
        for (int s = 0; s < spec.Stages.Count; s++)
        {
            var stage = stages.Child(S(s), new Named(S(s)));
            var blocks = stage.Child("blocks", new Named("blocks"));
            var list = new List<MBConvBlock>();
            for (int b = 0; b < spec.Stages[s].MaxDepth; b++)
                list.Add(blocks.Child(S(b), new MBConvBlock(S(b), spec, s, b, init, device)));
            _parts.Blocks.Add(list);
        }

        var head = new Named("head");
        register_module("head", head);
        int last = spec.Stages[spec.Stages.Count - 1].Width;
        _parts.FinalExpand = head.Child("final_expand", new ConvBn("final_expand", init.Conv(spec.Head.FinalExpandChannels, last, 1, device), device));
        var mix = head.Child("feature_mix", new Named("feature_mix"));
        _parts.FeatureMix = mix.Child("conv", new ConvWeight(init.Conv(spec.Head.FeatureMixChannels, spec.Head.FinalExpandChannels, 1, device)));
        _parts.Classifier = head.Child("classifier", new WeightBias("classifier",
            init.Linear(spec.ClassCount, spec.Head.FeatureMixChannels, device), zeros(spec.ClassCount, device: device)));

        _parts.Mean = tensor(spec.Input.Mean.ToArray(), device: device).view(1, -1, 1, 1);
        _parts.Std = tensor(spec.Input.Std.ToArray(), device: device).view(1, -1, 1, 1);
        _active = Full;
    }

    public SupernetSpec Spec { get; }
    public Device Device { get; }
    public ConvBn Stem => _parts.Stem!;
    public ConvBn FirstDepthwise => _parts.FirstDepthwise!;
    public ConvBn FirstProject => _parts.FirstProject!;
    public IReadOnlyList<IReadOnlyList<MBConvBlock>> Blocks => _parts.Blocks;
    public ConvBn FinalExpand => _parts.FinalExpand!;
    public ConvWeight FeatureMix => _parts.FeatureMix!;
    public WeightBias Classifier => _parts.Classifier!;

    /// <summary>
    /// Feature-map layout after the stem. Contiguous unless a training loop switches it for its SGD steps:
    /// channels-last batch statistics are less precise, which BN recalibration and evaluation cannot afford.
    /// </summary>
    public MemoryFormat MemoryFormat { get; set; } = MemoryFormat.Contiguous;

    /// <summary>Batch-norm behaviour for the next forward passes; follows train()/eval() unless set for recalibration.</summary>
    public BatchNormMode? BatchNormOverride { get; set; }

    public SubnetConfig Active => _active;

    /// <summary>Every block at the stored maximum: largest kernel, expand ratio and depth (OFA's full net).</summary>
    public SubnetConfig Full => new(Spec.Stages.Select(s =>
        (IReadOnlyList<BlockConfig>)Enumerable.Repeat(new BlockConfig(Spec.Space.MaxKernelSize, Spec.Space.MaxExpandRatio), s.MaxDepth).ToArray()).ToArray());

    /// <summary>Selects the subnet the forward pass runs. Any structurally valid config (also outside the family's space, e.g. the full net).</summary>
    public void SetActive(SubnetConfig config)
    {
        if (config.Stages.Count != Spec.Stages.Count)
            throw new ArgumentException($"Config {config} has {config.Stages.Count} stages; the supernet has {Spec.Stages.Count}.", nameof(config));
        for (int s = 0; s < config.Stages.Count; s++)
        {
            if (config.Stages[s].Count > Spec.Stages[s].MaxDepth)
                throw new ArgumentException($"Stage {s + 1} of {config} has depth {config.Stages[s].Count}; the supernet stores {Spec.Stages[s].MaxDepth}.", nameof(config));
            foreach (var block in config.Stages[s])
            {
                if (!Spec.Space.KernelSizes.Contains(block.KernelSize) || !Spec.Space.ExpandRatios.Contains(block.ExpandRatio))
                    throw new ArgumentException($"Block {block} of {config} is not elastic in this supernet (kernels {string.Join(",", Spec.Space.KernelSizes)}, expand ratios {string.Join(",", Spec.Space.ExpandRatios)}).", nameof(config));
            }
        }
        _active = config;
    }

    public override Tensor forward(Tensor pixels)
    {
        var bn = BatchNormOverride ?? (training ? BatchNormMode.Train : BatchNormMode.Eval);
        using var scope = NewDisposeScope();
        var x = ForwardStem(pixels, bn);
        for (int s = 0; s < _active.Stages.Count; s++)
            x = ForwardStage(s, _active.Stages[s], x, bn);
        return ForwardHead(x, bn).MoveToOuterDisposeScope();
    }

    /// <summary>(pixels − mean) / std per channel, in float: the tensor the network sees, as the generated model's input layer computes it.</summary>
    public Tensor Normalise(Tensor pixels) => (pixels - _parts.Mean!) / _parts.Std!;

    /// <summary>Normalisation, stem and first block: the part every subnet shares.</summary>
    public Tensor ForwardStem(Tensor pixels, BatchNormMode bn)
    {
        using var scope = NewDisposeScope();
        var x = Normalise(pixels);

        var stem = Spec.Stem;
        x = nn.functional.conv2d(x, Stem.Conv.Weight, strides: new long[] { stem.Stride }, padding: new long[] { stem.Kernel / 2 });
        x = Activations.Apply(bn.Apply(Stem.Bn, x, stem.OutChannels), stem.Activation);
        x = MemoryFormats.Apply(x, MemoryFormat);

        var shortcut = x;
        int c = stem.OutChannels, k = Spec.FirstBlock.Kernel;
        x = nn.functional.conv2d(x, FirstDepthwise.Conv.Weight, padding: new long[] { k / 2 }, groups: c);
        x = Activations.Apply(bn.Apply(FirstDepthwise.Bn, x, c), Spec.FirstBlock.Activation);
        x = bn.Apply(FirstProject.Bn, nn.functional.conv2d(x, FirstProject.Conv.Weight), Spec.FirstBlock.OutChannels);
        if (c == Spec.FirstBlock.OutChannels) x = x.add(shortcut, Scalars.One);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Stage <paramref name="stage"/> with the first <c>blocks.Count</c> blocks active, as configured.</summary>
    public Tensor ForwardStage(int stage, IReadOnlyList<BlockConfig> blocks, Tensor x, BatchNormMode bn)
    {
        using var scope = NewDisposeScope();
        for (int b = 0; b < blocks.Count; b++)
            x = _parts.Blocks[stage][b].Forward(x, blocks[b], bn);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Final expand, pooling, feature mix and classifier: logits.</summary>
    public Tensor ForwardHead(Tensor x, BatchNormMode bn)
    {
        using var scope = NewDisposeScope();
        x = Activations.Apply(bn.Apply(FinalExpand.Bn, nn.functional.conv2d(x, FinalExpand.Conv.Weight), Spec.Head.FinalExpandChannels), Activation.HSwish);
        x = x.mean(new long[] { 2, 3 }, keepdim: true);
        x = nn.functional.hardswish(nn.functional.conv2d(x, FeatureMix.Weight)).flatten(1);
        x = nn.functional.linear(x, Classifier.Weight, Classifier.Bias);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>All batch norms of the network (for recalibration).</summary>
    public IEnumerable<DynamicBatchNorm> BatchNorms() => modules().OfType<DynamicBatchNorm>();

    /// <summary>
    /// Sets the running statistics of the BNs named in <paramref name="statistics"/> (bundle names, active
    /// channels first) — what recalibrating that subnet leaves behind, e.g. a bundle's <c>bnstats.safetensors</c>
    /// entry. Every named BN must exist.
    /// </summary>
    public void LoadBatchNormStatistics(IReadOnlyDictionary<string, Core.Extract.BatchNormStatistics> statistics)
    {
        using var _ = no_grad();
        int loaded = 0;
        foreach (var (name, module) in named_modules())
        {
            if (module is not DynamicBatchNorm bn || !statistics.TryGetValue(name, out var stats)) continue;
            bn.RunningMean.narrow(0, 0, stats.RunningMean.Length).copy_(tensor(stats.RunningMean));
            bn.RunningVar.narrow(0, 0, stats.RunningVar.Length).copy_(tensor(stats.RunningVar));
            loaded++;
        }
        if (loaded != statistics.Count)
            throw new ArgumentException($"Only {loaded} of the {statistics.Count} BN statistics name a BN of this supernet.", nameof(statistics));
    }

    private static string S(int i) => i.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
