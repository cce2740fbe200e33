using System;
using SubnetGen.Core.Space;
using SubnetGen.Runtime;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Model;

/// <summary>
/// Elastic MBConv (OFA's DynamicMBConvLayer): 1×1 expand + BN + act → depthwise k×k + BN + act →
/// squeeze-excite → 1×1 project + BN, identity shortcut when stride 1 and widths match. The active
/// kernel and expand ratio pick the first middle channels and the transformed kernel.
/// </summary>
internal sealed class MBConvBlock : Named
{
    public MBConvBlock(string name, SupernetSpec spec, int stage, int block, Init init, Device device) : base(name)
    {
        var stageSpec = spec.Stages[stage];
        InChannels = spec.BlockInputChannels(stage, block);
        OutChannels = stageSpec.Width;
        Stride = block == 0 ? stageSpec.Stride : 1;
        Activation = stageSpec.Activation;
        Spec = spec;
        StageIndex = stage;
        BlockIndex = block;
        MaxMiddle = spec.MaxMiddleChannels(stage, block);
        int kmax = spec.Space.MaxKernelSize;

        Child("expand", new ConvBn("expand", init.Conv(MaxMiddle, InChannels, 1, device), device));
        Child("dw", new DepthwiseConvBn(init.Conv(MaxMiddle, 1, kmax, device), spec.Space.KernelSizes, device));
        HasSe = stageSpec.SqueezeExcite;
        if (HasSe)
        {
            int reduced = Channels.SqueezeChannels(MaxMiddle);
            var se = Child("se", new Named("se"));
            se.Child("reduce", new WeightBias("reduce", init.Conv(reduced, MaxMiddle, 1, device), zeros(reduced, device: device)));
            se.Child("expand", new WeightBias("expand", init.Conv(MaxMiddle, reduced, 1, device), zeros(MaxMiddle, device: device)));
        }
        Child("project", new ConvBn("project", init.Conv(OutChannels, MaxMiddle, 1, device), device));
    }

    public SupernetSpec Spec { get; }
    public int StageIndex { get; }
    public int BlockIndex { get; }
    public int InChannels { get; }
    public int OutChannels { get; }
    public int Stride { get; }
    public int MaxMiddle { get; }
    public Activation Activation { get; }
    public bool HasSe { get; }
    public bool HasShortcut => Stride == 1 && InChannels == OutChannels;

    public ConvBn Expand => Ref<ConvBn>("expand");
    public DepthwiseConvBn Depthwise => Ref<DepthwiseConvBn>("dw");
    public WeightBias? SeReduce => HasSe ? Ref<Named>("se").Ref<WeightBias>("reduce") : null;
    public WeightBias? SeExpand => HasSe ? Ref<Named>("se").Ref<WeightBias>("expand") : null;
    public ConvBn Project => Ref<ConvBn>("project");

    /// <summary>
    /// OFA's re_organize_middle_weights: sorts the middle channels by the L1 norm of their projection
    /// weights (most important first) and applies that permutation to expand conv + BN, depthwise conv + BN,
    /// SE and project, then sorts SE's reduced channels by the L1 norm of SE's expand weights. The full
    /// block computes the same function; smaller expand ratios then keep the most important channels.
    /// </summary>
    public void SortChannels()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var order = Project.Conv.Weight.abs().sum(new long[] { 0, 2, 3 }).argsort(descending: true);
        Permute(Project.Conv.Weight, 1, order);
        if (SeReduce is not null && SeExpand is not null)
        {
            Permute(SeExpand.Weight, 0, order);
            Permute(SeExpand.Bias, 0, order);
            Permute(SeReduce.Weight, 1, order);
            var reducedOrder = SeExpand.Weight.abs().sum(new long[] { 0, 2, 3 }).argsort(descending: true);
            Permute(SeExpand.Weight, 1, reducedOrder);
            Permute(SeReduce.Weight, 0, reducedOrder);
            Permute(SeReduce.Bias, 0, reducedOrder);
        }
        foreach (var convBn in new ConvBn[] { Depthwise, Expand })
        {
            Permute(convBn.Conv.Weight, 0, order);
            Permute(convBn.Bn.Weight, 0, order);
            Permute(convBn.Bn.Bias, 0, order);
            Permute(convBn.Bn.RunningMean, 0, order);
            Permute(convBn.Bn.RunningVar, 0, order);
        }
    }

    private static void Permute(Tensor target, int dim, Tensor order) => target.copy_(target.index_select(dim, order));

    public Tensor Forward(Tensor x, BlockConfig active, BatchNormMode bn)
    {
        int middle = Spec.MiddleChannels(StageIndex, BlockIndex, active.ExpandRatio);
        if (middle > MaxMiddle) throw new ArgumentException($"Expand ratio {active.ExpandRatio} exceeds the supernet's {Spec.Space.MaxExpandRatio}.");
        using var scope = NewDisposeScope();

        var h = nn.functional.conv2d(x, Expand.Conv.Weight.narrow(0, 0, middle));
        h = Activations.Apply(bn.Apply(Expand.Bn, h, middle), Activation);

        int k = active.KernelSize;
        h = nn.functional.conv2d(h, Depthwise.ActiveFilter(middle, k),
            strides: new long[] { Stride }, padding: new long[] { k / 2 }, groups: middle);
        h = Activations.Apply(bn.Apply(Depthwise.Bn, h, middle), Activation);

        if (SeReduce is not null && SeExpand is not null)
        {
            int reduced = Channels.SqueezeChannels(middle);
            var s = h.mean(new long[] { 2, 3 }, keepdim: true);
            s = nn.functional.conv2d(s, SeReduce.Weight.narrow(0, 0, reduced).narrow(1, 0, middle), SeReduce.Bias.narrow(0, 0, reduced));
            s = nn.functional.relu(s);
            s = nn.functional.conv2d(s, SeExpand.Weight.narrow(0, 0, middle).narrow(1, 0, reduced), SeExpand.Bias.narrow(0, 0, middle));
            h = h * nn.functional.hardsigmoid(s);
        }

        h = nn.functional.conv2d(h, Project.Conv.Weight.narrow(1, 0, middle));
        h = bn.Apply(Project.Bn, h, OutChannels);
        if (HasShortcut) h = h.add(x, Scalars.One);
        return h.MoveToOuterDisposeScope();
    }
}
