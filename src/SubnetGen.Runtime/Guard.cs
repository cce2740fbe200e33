using System;
using System.Runtime.CompilerServices;

namespace SubnetGen.Runtime;

/// <summary>
/// Cheap argument checks for the kernels. The checks themselves allocate nothing; only the throw
/// paths (kept out of line so the callers stay small) build messages.
/// </summary>
internal static class Guard
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Positive(int value, string name)
    {
        if (value <= 0) ThrowNotPositive(value, name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Kernel(int kernel, string name)
    {
        if (kernel <= 0 || (kernel & 1) == 0) ThrowKernel(kernel, name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Defined(Activation activation, string name)
    {
        if (!Activations.IsDefined(activation)) ThrowActivation(activation, name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Defined(PixelFormat format, string name)
    {
        if ((uint)format > (uint)PixelFormat.Bgra32) ThrowPixelFormat(format, name);
    }

    /// <summary>Requires <c>span.Length == expected</c>; <paramref name="shape"/> names the product (e.g. "inH*inW*inC").</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Length(int actual, long expected, string name, string shape)
    {
        if (actual != expected) ThrowLength(actual, expected, name, shape, exact: true);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AtLeast(int actual, long expected, string name, string shape)
    {
        if (actual < expected) ThrowLength(actual, expected, name, shape, exact: false);
    }

    /// <summary>Requires a byte span of at least <paramref name="expected"/> bytes; <paramref name="shape"/> gives the formula with its numbers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AtLeastBytes(int actual, long expected, string name, string shape)
    {
        if (actual < expected) ThrowLength(actual, expected, name, shape, exact: false, unit: "bytes");
    }

    /// <summary>The kernel reads its input while writing its output: the two must not share memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NoOverlap(ReadOnlySpan<float> input, ReadOnlySpan<float> output, string inputName, string outputName)
    {
        if (input.Overlaps(output)) ThrowOverlap(inputName, outputName, sameSpanAllowed: false);
    }

    /// <summary>A kernel that reads bytes while writing floats: the output must not lie over the bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NoOverlap(ReadOnlySpan<byte> input, Span<float> output, string inputName, string outputName)
    {
        if (input.Overlaps(System.Runtime.InteropServices.MemoryMarshal.AsBytes(output))) ThrowOverlap(inputName, outputName, sameSpanAllowed: false);
    }

    /// <summary>Element-wise kernels may run in place (same span) but not on partly overlapping spans.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SameOrNoOverlap(ReadOnlySpan<float> input, ReadOnlySpan<float> output, string inputName, string outputName)
    {
        if (input.Overlaps(output, out int offset) && (offset != 0 || input.Length != output.Length))
            ThrowOverlap(inputName, outputName, sameSpanAllowed: true);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotPositive(int value, string name) =>
        throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive; it is {value}.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowKernel(int kernel, string name) =>
        throw new ArgumentOutOfRangeException(name, kernel, $"{name} must be a positive odd number (1, 3, 5, 7); it is {kernel}.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowActivation(Activation activation, string name) =>
        throw new ArgumentOutOfRangeException(name, activation, $"{name} {(int)activation} is not an Activation ({Members<Activation>()}).");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowPixelFormat(PixelFormat format, string name) =>
        throw new ArgumentOutOfRangeException(name, format, $"{name} {(int)format} is not a PixelFormat ({Members<PixelFormat>()}).");

    /// <summary>"0 None, 1 Relu, …": every member of an int-based enum with its value.</summary>
    private static string Members<T>() where T : struct, Enum
    {
        var values = (T[])Enum.GetValues(typeof(T));
        var parts = new string[values.Length];
        for (int i = 0; i < values.Length; i++)
            parts[i] = Convert.ToInt32(values[i], System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + values[i];
        return string.Join(", ", parts);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLength(int actual, long expected, string name, string shape, bool exact, string unit = "floats") =>
        throw new ArgumentException(
            exact
                ? $"{name} has {actual} {unit}; expected {expected} ({shape})."
                : $"{name} has {actual} {unit}; expected at least {expected} ({shape}).",
            name);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOverlap(string inputName, string outputName, bool sameSpanAllowed) =>
        throw new ArgumentException(
            sameSpanAllowed
                ? $"{inputName} and {outputName} partly overlap; pass the same span (in place) or disjoint spans."
                : $"{inputName} and {outputName} overlap; this kernel needs disjoint spans.",
            outputName);
}
