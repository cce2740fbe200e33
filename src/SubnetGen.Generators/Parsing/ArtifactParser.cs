using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using SubnetGen.Generators.Json;
using SubnetGen.Generators.Model;

namespace SubnetGen.Generators.Parsing;

/// <summary>
/// <c>&lt;Model&gt;.subnet.json</c> (docs/formats.md, formatVersion 1) → a validated <see cref="ModelSpec"/>.
/// Everything the emitted code relies on is checked here — field types, ops, activations, every slice
/// inside the arena or the weights, every length against the op's shapes, the layer order — so a bad
/// artifact is a build error that points into the file, never a generator crash or generated code that
/// throws at run time. Stops at the first problem: the file is machine-written, one error is enough.
/// </summary>
internal sealed class ArtifactParser
{
    public const int SupportedFormatVersion = 1;

    private readonly string _path;
    private readonly string _fileName;
    private readonly SourceText _text;
    private readonly CancellationToken _cancellationToken;

    private ArtifactParser(string path, SourceText text, CancellationToken cancellationToken)
    {
        _path = path;
        _fileName = System.IO.Path.GetFileName(path);
        _text = text;
        _cancellationToken = cancellationToken;
    }

    public static ParseResult Parse(string path, SourceText? text, CancellationToken cancellationToken)
    {
        text ??= SourceText.From(string.Empty);
        var parser = new ArtifactParser(path, text, cancellationToken);
        try
        {
            return new ParseResult(path, parser.ParseModel(), EquatableArray<DiagnosticInfo>.Empty);
        }
        catch (ArtifactException e)
        {
            return new ParseResult(path, null, new EquatableArray<DiagnosticInfo>(new[] { e.Info }));
        }
    }

    private ModelSpec ParseModel()
    {
        JsonValue root;
        try
        {
            root = JsonReader.Parse(_text.ToString());
        }
        catch (JsonSyntaxException e)
        {
            var position = _text.Lines.GetLinePosition(Math.Min(e.Position, _text.Length));
            throw Fail(DiagnosticDescriptors.InvalidJson, new TextSpan(Math.Min(e.Position, _text.Length), 0),
                e.Message + " at line " + (position.Line + 1).ToString(CultureInfo.InvariantCulture) +
                ", column " + (position.Character + 1).ToString(CultureInfo.InvariantCulture));
        }
        _cancellationToken.ThrowIfCancellationRequested();
        if (root.Kind != JsonKind.Object) throw Invalid(root, "the document must be an object; found " + JsonValue.KindName(root.Kind));

        var version = root.Get("formatVersion");
        if (version is null || version.Kind != JsonKind.Number || version.Text != SupportedFormatVersion.ToString(CultureInfo.InvariantCulture))
        {
            string found = version is null ? "(missing)" : version.Kind == JsonKind.Number || version.Kind == JsonKind.String ? version.Text! : JsonValue.KindName(version.Kind);
            throw Fail(DiagnosticDescriptors.UnsupportedFormatVersion, version ?? root, found, SupportedFormatVersion.ToString(CultureInfo.InvariantCulture));
        }

        var nameValue = Required(root, "name", "");
        string name = String(root, "name", "");
        if (ModelNameProblem(name) is { } problem) throw Fail(DiagnosticDescriptors.InvalidModelName, nameValue, name, problem);
        string? ns = NullableString(root, "namespace", "");

        var supernet = Object(root, "supernet", "");
        string supernetId = String(supernet, "id", "supernet.");
        string supernetVersion = String(supernet, "version", "supernet.");
        string family = String(supernet, "family", "supernet.");
        bool trained = Bool(supernet, "trained", "supernet.");
        string target = String(root, "target", "");
        string architecture = String(root, "architecture", "");

        var input = Object(root, "input", "");
        var inputShape = new Shape(Int(input, "height", "input.", 1), Int(input, "width", "input.", 1), Int(input, "channels", "input.", 1));
        var mean = Floats(input, "mean", "input.", inputShape.Channels, positive: false);
        var std = Floats(input, "std", "input.", inputShape.Channels, positive: true);

        var (labels, identifiers) = Labels(root);

        var metrics = Object(root, "metrics", "");
        double? accuracy = NullableDouble(metrics, "predictedAccuracy", "metrics.");
        long macs = Long(metrics, "macs", "metrics.");
        long parameters = Long(metrics, "parameters", "metrics.");
        long weightBytes = Long(metrics, "weightBytes", "metrics.");
        long peakMemoryBytes = Long(metrics, "peakMemoryBytes", "metrics.");
        double? latency = metrics.Get("latencyMs") is null ? null : NullableDouble(metrics, "latencyMs", "metrics.");
        var interval = metrics.Get("accuracyInterval") is { Kind: not JsonKind.Null } ? Interval(Object(metrics, "accuracyInterval", "metrics.")) : null;

        int arenaFloats = Int(root, "arenaFloats", "", 1);
        string weightsResource = String(root, "weightsResource", "");
        if (weightsResource.Length == 0) throw Invalid(root.Get("weightsResource")!, "\"weightsResource\" must not be empty");
        int weightFloats = Int(root, "weightFloats", "", 0);

        // The budget the search checked must be what the generated code allocates and embeds.
        if (peakMemoryBytes != arenaFloats * 4L)
            throw Inconsistent(metrics.Get("peakMemoryBytes")!, "metrics.peakMemoryBytes is " + Format(peakMemoryBytes) +
                " but the arena (arenaFloats " + Format(arenaFloats) + " × 4) is " + Format(arenaFloats * 4L) + " bytes");
        if (weightBytes != weightFloats * 4L)
            throw Inconsistent(metrics.Get("weightBytes")!, "metrics.weightBytes is " + Format(weightBytes) +
                " but the weights (weightFloats " + Format(weightFloats) + " × 4) are " + Format(weightFloats * 4L) + " bytes");

        var layersValue = Required(root, "layers", "");
        if (layersValue.Kind != JsonKind.Array) throw WrongType(layersValue, "layers", "an array");
        var layers = new List<LayerSpec>(layersValue.Items!.Count);
        for (int i = 0; i < layersValue.Items.Count; i++)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            layers.Add(Layer(layersValue.Items[i], i, arenaFloats, weightFloats, inputShape, labels.Length));
        }
        CheckOrder(layersValue, layers);

        return new ModelSpec(name, ns, supernetId, supernetVersion, family, trained, target, architecture, inputShape,
            new EquatableArray<float>(mean), new EquatableArray<float>(std),
            new EquatableArray<string>(labels), new EquatableArray<string>(identifiers),
            accuracy, macs, parameters, weightBytes, peakMemoryBytes, latency, interval,
            arenaFloats, weightsResource, weightFloats, new EquatableArray<LayerSpec>(layers.ToArray()));
    }

    private (string[] Labels, string[] Identifiers) Labels(JsonValue root)
    {
        var value = Required(root, "labels", "");
        if (value.Kind != JsonKind.Array) throw WrongType(value, "labels", "an array of strings");
        if (value.Items!.Count == 0) throw Invalid(value, "\"labels\" must name at least one class");
        var labels = new string[value.Items.Count];
        var identifiers = new string[labels.Length];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < labels.Length; i++)
        {
            var item = value.Items[i];
            if (item.Kind != JsonKind.String) throw WrongType(item, "labels[" + Format(i) + "]", "a string");
            labels[i] = item.Text!;
            identifiers[i] = LabelIdentifiers.FromLabel(labels[i])
                ?? throw Fail(DiagnosticDescriptors.LabelNotIdentifier, item, Format(i), labels[i]);
            if (seen.TryGetValue(identifiers[i], out int other))
                throw Fail(DiagnosticDescriptors.DuplicateLabelIdentifier, item, labels[other], labels[i], identifiers[i]);
            seen.Add(identifiers[i], i);
        }
        return (labels, identifiers);
    }

    private LayerSpec Layer(JsonValue layer, int index, int arenaFloats, int weightFloats, Shape modelInput, int classes)
    {
        string at = "layers[" + Format(index) + "].";
        if (layer.Kind != JsonKind.Object) throw WrongType(layer, "layers[" + Format(index) + "]", "an object");
        string name = String(layer, "name", at);
        string where = "layer " + Format(index) + " (\"" + name + "\")";
        var opValue = Required(layer, "op", at);
        string opName = String(layer, "op", at);
        if (!Spellings.TryParse(opName, out OpKind op))
            throw Fail(DiagnosticDescriptors.UnknownOp, opValue, Format(index) + " (\"" + name + "\")", opName);

        var inShape = ShapeOf(layer, "inShape", at);
        var outShape = ShapeOf(layer, "outShape", at);
        Slice? input = Buffer(layer, "input", at, arenaFloats, inShape, where);
        Slice? output = Buffer(layer, "output", at, arenaFloats, outShape, where);

        bool spatial = LayerFields.HasKernel(op);
        int kernel = spatial ? Int(layer, "kernel", at, 1) : 1;
        int stride = spatial ? Int(layer, "stride", at, 1) : 1;
        if (spatial && kernel % 2 == 0) throw Inconsistent(layer.Get("kernel")!, where + " has kernel " + Format(kernel) + "; kernels are odd (padding is kernel/2)");
        var activation = LayerFields.HasActivation(op) ? Activation(layer, at, index, name) : Model.Activation.None;

        Slice? residual = null, scratch = null, weights = null, bias = null, weights2 = null, bias2 = null;
        int reduced = 0;
        Slice WeightSlice(string field, long expected, string formula) => Weights(layer, field, at, weightFloats, expected, formula, where);

        switch (op)
        {
            case OpKind.Normalize:
                if (input is not null) throw Structure(layer.Get("input")!, where + ": normalize reads the caller's pixels, so its input must be null");
                if (inShape != modelInput) throw Inconsistent(layer.Get("inShape")!, where + " has inShape " + inShape + " but the model input is " + modelInput);
                RequireSameShape(layer, inShape, outShape, where);
                break;
            case OpKind.Conv:
            case OpKind.Depthwise:
                if (op == OpKind.Depthwise && outShape.Channels != inShape.Channels)
                    throw Inconsistent(layer.Get("outShape")!, where + ": depthwise keeps the channel count, but inShape " + inShape + " and outShape " + outShape + " differ");
                var expectedOut = new Shape((inShape.Height - 1) / stride + 1, (inShape.Width - 1) / stride + 1, outShape.Channels);
                if (outShape != expectedOut)
                    throw Inconsistent(layer.Get("outShape")!, where + " has outShape " + outShape + "; a stride-" + Format(stride) + " convolution of " + inShape + " gives " + expectedOut);
                weights = op == OpKind.Conv
                    ? WeightSlice("weights", (long)outShape.Channels * kernel * kernel * inShape.Channels, "outC×k×k×inC")
                    : WeightSlice("weights", (long)kernel * kernel * inShape.Channels, "k×k×C");
                bias = WeightSlice("bias", outShape.Channels, "outC");
                break;
            case OpKind.Pointwise:
                if (outShape.Height != inShape.Height || outShape.Width != inShape.Width)
                    throw Inconsistent(layer.Get("outShape")!, where + ": a pointwise layer keeps height and width, but inShape is " + inShape + " and outShape " + outShape);
                weights = WeightSlice("weights", (long)inShape.Channels * outShape.Channels, "inC×outC");
                bias = WeightSlice("bias", outShape.Channels, "outC");
                residual = Buffer(layer, "residual", at, arenaFloats, outShape, where);
                if (residual is { } r && output is { } o && r.Overlaps(o))
                    throw Inconsistent(layer.Get("residual")!, where + ": the residual overlaps the output in the arena");
                break;
            case OpKind.SqueezeExcite:
                RequireSameShape(layer, inShape, outShape, where);
                if (input != output) throw Inconsistent(layer.Get("output")!, where + ": squeeze-excite works in place, so input and output must be the same slice");
                reduced = Int(layer, "reduced", at, 1);
                weights = WeightSlice("weights", (long)reduced * inShape.Channels, "reduced×C");
                bias = WeightSlice("bias", reduced, "reduced");
                weights2 = WeightSlice("weights2", (long)inShape.Channels * reduced, "C×reduced");
                bias2 = WeightSlice("bias2", inShape.Channels, "C");
                scratch = Buffer(layer, "scratch", at, arenaFloats, null, where)
                    ?? throw Invalid(layer.Get("scratch") ?? layer, "\"" + at + "scratch\" must be an arena slice for squeezeExcite");
                if (scratch.Value.Length < (long)inShape.Channels + reduced)
                    throw Inconsistent(layer.Get("scratch")!, where + " has a scratch of " + Format(scratch.Value.Length) + " floats; squeeze-excite needs channels + reduced = " + Format((long)inShape.Channels + reduced));
                if (input is { } data && scratch.Value.Overlaps(data))
                    throw Inconsistent(layer.Get("scratch")!, where + ": the scratch overlaps the data in the arena");
                break;
            case OpKind.GlobalAveragePool:
                if (outShape != new Shape(1, 1, inShape.Channels))
                    throw Inconsistent(layer.Get("outShape")!, where + ": global average pooling of " + inShape + " gives 1×1×" + Format(inShape.Channels) + ", not " + outShape);
                break;
            case OpKind.Linear:
                if (outShape.Height != 1 || outShape.Width != 1)
                    throw Inconsistent(layer.Get("outShape")!, where + ": a linear layer outputs a vector (1×1×F), not " + outShape);
                weights = WeightSlice("weights", inShape.Length * outShape.Channels, "outF×inF");
                bias = WeightSlice("bias", outShape.Channels, "outF");
                break;
            case OpKind.Softmax:
                if (output is not null) throw Structure(layer.Get("output")!, where + ": softmax writes the caller's probabilities, so its output must be null");
                RequireSameShape(layer, inShape, outShape, where);
                if (inShape.Length != classes)
                    throw Inconsistent(layer.Get("inShape")!, where + " has " + Format(inShape.Length) + " logits but there are " + Format(classes) + " labels");
                break;
            default:
                // A spelling without rules here: the emitter could not call its kernel safely.
                throw Fail(DiagnosticDescriptors.UnknownOp, opValue, Format(index) + " (\"" + name + "\")", opName);
        }
        if (op != OpKind.Normalize && input is null) throw Structure(layer.Get("input") ?? layer, where + ": only the first layer (normalize) may read the caller's pixels (input null)");
        if (op != OpKind.Softmax && output is null) throw Structure(layer.Get("output") ?? layer, where + ": only the last layer (softmax) may write the caller's probabilities (output null)");
        if (op != OpKind.SqueezeExcite && input is { } i && output is { } ou && i.Overlaps(ou))
            throw Inconsistent(layer.Get("output")!, where + ": input and output overlap in the arena");

        return new LayerSpec(op, name, input, output, inShape, outShape, kernel, stride, activation, residual, scratch, reduced, weights, bias, weights2, bias2);
    }

    private void CheckOrder(JsonValue layersValue, List<LayerSpec> layers)
    {
        if (layers.Count < 2 || layers[0].Op != OpKind.Normalize || layers[layers.Count - 1].Op != OpKind.Softmax)
            throw Structure(layersValue, "the layers must start with normalize and end with softmax");
        for (int i = 1; i < layers.Count - 1; i++)
            if (layers[i].Op is OpKind.Normalize or OpKind.Softmax)
                throw Structure(layersValue.Items![i], "layer " + Format(i) + " (\"" + layers[i].Name + "\"): normalize and softmax may only be the first and the last layer");
    }

    private void RequireSameShape(JsonValue layer, Shape inShape, Shape outShape, string where)
    {
        if (inShape != outShape) throw Inconsistent(layer.Get("outShape")!, where + " has inShape " + inShape + " but outShape " + outShape + "; they must be equal");
    }

    private Activation Activation(JsonValue layer, string at, int index, string name)
    {
        var value = Required(layer, "activation", at);
        string text = String(layer, "activation", at);
        return Spellings.TryParse(text, out Activation activation)
            ? activation
            : throw Fail(DiagnosticDescriptors.UnknownActivation, value, Format(index) + " (\"" + name + "\")", text);
    }

    /// <summary>An arena slice (null stays null) whose length, when <paramref name="shape"/> is given, is the shape's.</summary>
    private Slice? Buffer(JsonValue layer, string field, string at, int arenaFloats, Shape? shape, string where)
    {
        var value = layer.Get(field);
        if (value is null || value.Kind == JsonKind.Null) return null;
        var slice = SliceOf(value, at + field);
        if (slice.End > arenaFloats)
            throw Fail(DiagnosticDescriptors.SliceOutOfRange, value, at + field, Format(slice.Offset), Format(slice.End), "arena (arenaFloats)", Format(arenaFloats));
        if (shape is { } s && slice.Length != s.Length)
            throw Inconsistent(value, where + ": " + field + " has " + Format(slice.Length) + " floats but its shape " + s + " has " + Format(s.Length));
        return slice;
    }

    private Slice Weights(JsonValue layer, string field, string at, int weightFloats, long expected, string formula, string where)
    {
        var value = layer.Get(field);
        if (value is null || value.Kind == JsonKind.Null) throw Invalid(value ?? layer, "\"" + at + field + "\" is missing");
        var slice = SliceOf(value, at + field);
        if (slice.End > weightFloats)
            throw Fail(DiagnosticDescriptors.SliceOutOfRange, value, at + field, Format(slice.Offset), Format(slice.End), "weights (weightFloats)", Format(weightFloats));
        if (slice.Length != expected)
            throw Inconsistent(value, where + ": " + field + " has " + Format(slice.Length) + " floats; its shapes need " + formula + " = " + Format(expected));
        return slice;
    }

    private Slice SliceOf(JsonValue value, string path)
    {
        if (value.Kind != JsonKind.Object) throw WrongType(value, path, "an object {\"offset\", \"length\"} or null");
        return new Slice(Int(value, "offset", path + ".", 0), Int(value, "length", path + ".", 0));
    }

    private Shape ShapeOf(JsonValue layer, string field, string at)
    {
        var value = Required(layer, field, at);
        if (value.Kind != JsonKind.Array || value.Items!.Count != 3)
            throw WrongType(value, at + field, "an array [height, width, channels]");
        var dims = new int[3];
        for (int i = 0; i < 3; i++)
            dims[i] = IntValue(value.Items[i], at + field + "[" + Format(i) + "]", 1);
        var shape = new Shape(dims[0], dims[1], dims[2]);
        if (shape.Length > int.MaxValue) throw Inconsistent(value, at + field + " " + shape + " has more than " + Format(int.MaxValue) + " elements");
        return shape;
    }

    private float[] Floats(JsonValue obj, string field, string at, int count, bool positive)
    {
        var value = Required(obj, field, at);
        if (value.Kind != JsonKind.Array) throw WrongType(value, at + field, "an array of numbers");
        if (value.Items!.Count != count)
            throw Inconsistent(value, at + field + " has " + Format(value.Items.Count) + " values but the input has " + Format(count) + " channels");
        var result = new float[count];
        for (int i = 0; i < count; i++)
        {
            var item = value.Items[i];
            string path = at + field + "[" + Format(i) + "]";
            if (item.Kind != JsonKind.Number) throw WrongType(item, path, "a number");
            if (!float.TryParse(item.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out result[i]) || float.IsInfinity(result[i]))
                throw Invalid(item, "\"" + path + "\" is out of the float range");
            if (positive && !(result[i] > 0)) throw Invalid(item, "\"" + path + "\" must be positive");
        }
        return result;
    }

    private JsonValue Required(JsonValue obj, string field, string at) =>
        obj.Get(field) ?? throw Invalid(obj, "\"" + at + field + "\" is missing");

    private JsonValue Object(JsonValue obj, string field, string at)
    {
        var value = Required(obj, field, at);
        return value.Kind == JsonKind.Object ? value : throw WrongType(value, at + field, "an object");
    }

    private string String(JsonValue obj, string field, string at)
    {
        var value = Required(obj, field, at);
        return value.Kind == JsonKind.String ? value.Text! : throw WrongType(value, at + field, "a string");
    }

    private string? NullableString(JsonValue obj, string field, string at)
    {
        var value = obj.Get(field);
        if (value is null || value.Kind == JsonKind.Null) return null;
        return value.Kind == JsonKind.String ? value.Text! : throw WrongType(value, at + field, "a string or null");
    }

    private bool Bool(JsonValue obj, string field, string at)
    {
        var value = Required(obj, field, at);
        return value.Kind switch
        {
            JsonKind.True => true,
            JsonKind.False => false,
            _ => throw WrongType(value, at + field, "true or false"),
        };
    }

    private int Int(JsonValue obj, string field, string at, int min) => IntValue(Required(obj, field, at), at + field, min);

    private int IntValue(JsonValue value, string path, int min)
    {
        long n = LongValue(value, path);
        if (n < min || n > int.MaxValue)
            throw Invalid(value, "\"" + path + "\" is " + value.Text + "; it must be an integer from " + Format(min) + " to " + Format(int.MaxValue));
        return (int)n;
    }

    private long Long(JsonValue obj, string field, string at)
    {
        var value = Required(obj, field, at);
        long n = LongValue(value, at + field);
        return n >= 0 ? n : throw Invalid(value, "\"" + at + field + "\" must not be negative");
    }

    private long LongValue(JsonValue value, string path)
    {
        if (value.Kind != JsonKind.Number) throw WrongType(value, path, "an integer");
        return long.TryParse(value.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n)
            ? n
            : throw Invalid(value, "\"" + path + "\" is " + value.Text + "; it must be an integer");
    }

    /// <summary><c>metrics.accuracyInterval</c>: bounds in [0, 1] around the accuracy, a confidence in (0, 1), the images measured.</summary>
    private AccuracyIntervalSpec Interval(JsonValue obj)
    {
        const string at = "metrics.accuracyInterval.";
        double Fraction(string field, bool open)
        {
            var value = Required(obj, field, at);
            double d = NullableDouble(obj, field, at) ?? throw WrongType(value, at + field, "a number");
            bool inside = open ? d > 0 && d < 1 : d >= 0 && d <= 1;
            return inside ? d : throw Invalid(value, "\"" + at + field + "\" is " + value.Text + "; it must be " + (open ? "between 0 and 1" : "from 0 to 1"));
        }
        double lower = Fraction("lower", open: false), upper = Fraction("upper", open: false);
        if (lower > upper) throw Invalid(Required(obj, "lower", at), "\"" + at + "lower\" is above \"" + at + "upper\"");
        return new AccuracyIntervalSpec(lower, upper, Fraction("confidence", open: true), Int(obj, "images", at, 1));
    }

    private double? NullableDouble(JsonValue obj, string field, string at)
    {
        var value = Required(obj, field, at);
        if (value.Kind == JsonKind.Null) return null;
        if (value.Kind != JsonKind.Number) throw WrongType(value, at + field, "a number or null");
        if (!double.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || double.IsInfinity(d))
            throw Invalid(value, "\"" + at + field + "\" is out of the double range");
        return d;
    }

    /// <summary>Members of the generated class: a class cannot have a member named like itself (CS0542).</summary>
    private static readonly string[] s_memberNames =
    {
        "InputHeight", "InputWidth", "InputChannels", "InputLength", "ClassCount", "Macs", "Parameters", "WeightBytes",
        "PeakMemoryBytes", "PredictedAccuracy", "PredictedAccuracyLower", "PredictedAccuracyUpper", "PredictedAccuracyConfidence", "Architecture", "SupernetId", "SupernetVersion", "Target", "Labels",
        "Predict", "Classify", "Forward", "BestClass", "ArenaFloats", "WeightFloats", "WeightsResource", "LoadWeights", "ThrowWrongLength",
    };

    private static string? ModelNameProblem(string name)
    {
        if (!SyntaxFacts.IsValidIdentifier(name)) return "it is not a C# identifier (letters, digits and underscores, not starting with a digit)";
        if (SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None) return "it is a C# keyword";
        if (Array.IndexOf(s_memberNames, name) >= 0) return "it is the name of a member of the generated class";
        return null;
    }

    /// <summary>A dotted namespace whose every part is an identifier and not a keyword.</summary>
    public static bool IsValidNamespace(string ns)
    {
        foreach (string part in ns.Split('.'))
            if (!SyntaxFacts.IsValidIdentifier(part) || SyntaxFacts.GetKeywordKind(part) != SyntaxKind.None) return false;
        return true;
    }

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    private ArtifactException WrongType(JsonValue value, string path, string expected) =>
        Invalid(value, "\"" + path + "\" must be " + expected + "; found " + JsonValue.KindName(value.Kind));

    private ArtifactException Invalid(JsonValue at, string message) => Fail(DiagnosticDescriptors.InvalidField, at, message);

    private ArtifactException Inconsistent(JsonValue at, string message) => Fail(DiagnosticDescriptors.InconsistentSizes, at, message);

    private ArtifactException Structure(JsonValue at, string message) => Fail(DiagnosticDescriptors.InvalidLayerOrder, at, message);

    private ArtifactException Fail(DiagnosticDescriptor descriptor, JsonValue at, params string[] args) =>
        Fail(descriptor, new TextSpan(at.Start, at.Length), args);

    /// <summary>Every message starts with the file name; <paramref name="args"/> are the rest.</summary>
    private ArtifactException Fail(DiagnosticDescriptor descriptor, TextSpan span, params string[] args)
    {
        var all = new string[args.Length + 1];
        all[0] = _fileName;
        Array.Copy(args, 0, all, 1, args.Length);
        return new ArtifactException(new DiagnosticInfo(descriptor, _path, span, _text.Lines.GetLinePositionSpan(span), new EquatableArray<string>(all)));
    }

    private sealed class ArtifactException : Exception
    {
        public ArtifactException(DiagnosticInfo info) => Info = info;

        public DiagnosticInfo Info { get; }
    }
}
