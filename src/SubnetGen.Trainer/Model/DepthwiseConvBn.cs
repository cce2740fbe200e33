using System.Collections.Generic;
using System.Globalization;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace SubnetGen.Trainer.Model;

/// <summary>
/// Depthwise Kmax×Kmax convolution + BN with OFA's elastic kernel: a smaller kernel is the centre crop
/// of the next larger one, flattened per channel and multiplied by a learned matrix
/// (<c>transform_7to5</c>, <c>transform_5to3</c>; y = x·Tᵀ as F.linear), initialised to identity.
/// </summary>
internal sealed class DepthwiseConvBn : ConvBn
{
    private readonly int[] _kernels;

    /// <param name="kernels">Legal kernel sizes, ascending; the largest is the stored one.</param>
    public DepthwiseConvBn(Tensor weight, IReadOnlyList<int> kernels, Device device) : base("dw", weight, device)
    {
        _kernels = System.Linq.Enumerable.ToArray(kernels);
        for (int i = kernels.Count - 1; i > 0; i--)
        {
            int from = kernels[i], to = kernels[i - 1];
            Param(TransformName(from, to), eye(to * to, device: device));
        }
    }

    public int MaxKernel => _kernels[_kernels.Length - 1];

    public static string TransformName(int from, int to) =>
        "transform_" + from.ToString(CultureInfo.InvariantCulture) + "to" + to.ToString(CultureInfo.InvariantCulture);

    /// <summary>OFA's get_active_filter for the first <paramref name="channels"/> channels at kernel <paramref name="kernel"/>.</summary>
    public Tensor ActiveFilter(int channels, int kernel)
    {
        Tensor filter = Conv.Weight.narrow(0, 0, channels);
        for (int i = _kernels.Length - 1; i > 0 && _kernels[i] > kernel; i--)
        {
            int from = _kernels[i], to = _kernels[i - 1], start = (from - to) / 2;
            var crop = filter.narrow(2, start, to).narrow(3, start, to).contiguous().view(channels, to * to);
            filter = nn.functional.linear(crop, Ref<Parameter>(TransformName(from, to))).view(channels, 1, to, to);
        }
        return filter;
    }
}
