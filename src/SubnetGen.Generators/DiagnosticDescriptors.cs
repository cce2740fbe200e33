using Microsoft.CodeAnalysis;

namespace SubnetGen.Generators;

/// <summary>
/// Every diagnostic the generator reports (SNG5000–SNG5999), in one place. The IDs are stable: never
/// reuse or renumber one. Each is documented, with an example and the fix, in docs/errors/generator.md.
/// All are errors: a model that cannot be generated must fail the build, not ship without its class.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "SubnetGen";

    public static readonly DiagnosticDescriptor GeneratorFailed = Create(
        "SNG5000", "SubnetGen generator failed",
        "The SubnetGen generator failed on '{0}': {1}");

    public static readonly DiagnosticDescriptor InvalidJson = Create(
        "SNG5001", "Subnet artifact is not valid JSON",
        "'{0}' is not valid JSON: {1}");

    public static readonly DiagnosticDescriptor UnsupportedFormatVersion = Create(
        "SNG5002", "Unsupported subnet artifact format version",
        "'{0}' has formatVersion {1}; this SubnetGen generator reads formatVersion {2}");

    public static readonly DiagnosticDescriptor InvalidField = Create(
        "SNG5003", "Subnet artifact field missing or of the wrong type",
        "'{0}': {1}");

    public static readonly DiagnosticDescriptor UnknownOp = Create(
        "SNG5004", "Unknown layer op in subnet artifact",
        "'{0}': layer {1} has op '{2}'; expected one of normalize, conv, depthwise, pointwise, squeezeExcite, globalAveragePool, linear, softmax");

    public static readonly DiagnosticDescriptor UnknownActivation = Create(
        "SNG5005", "Unknown activation in subnet artifact",
        "'{0}': layer {1} has activation '{2}'; expected one of none, relu, hswish, hsigmoid");

    public static readonly DiagnosticDescriptor SliceOutOfRange = Create(
        "SNG5006", "Subnet artifact slice outside its buffer",
        "'{0}': {1} covers floats [{2}, {3}) but the {4} holds {5} floats");

    public static readonly DiagnosticDescriptor InconsistentSizes = Create(
        "SNG5007", "Inconsistent sizes in subnet artifact",
        "'{0}': {1}");

    public static readonly DiagnosticDescriptor InvalidLayerOrder = Create(
        "SNG5008", "Subnet artifact layer list is not a classifier",
        "'{0}': {1}");

    public static readonly DiagnosticDescriptor LabelNotIdentifier = Create(
        "SNG5009", "Class label cannot be made an identifier",
        "'{0}': class label {1} (\"{2}\") has no letter or digit to build an enum member from");

    public static readonly DiagnosticDescriptor DuplicateLabelIdentifier = Create(
        "SNG5010", "Two class labels give the same identifier",
        "'{0}': class labels \"{1}\" and \"{2}\" both become the enum member {3}");

    public static readonly DiagnosticDescriptor InvalidModelName = Create(
        "SNG5011", "Model name is not a C# identifier",
        "'{0}': the model name '{1}' cannot name the generated class: {2}");

    public static readonly DiagnosticDescriptor InvalidNamespace = Create(
        "SNG5012", "Namespace is not a valid C# namespace",
        "'{0}': the namespace '{1}' (from {2}) is not a valid C# namespace");

    public static readonly DiagnosticDescriptor DuplicateModel = Create(
        "SNG5013", "Two subnet artifacts generate the same class",
        "'{0}': the class {1} is already generated from '{2}'");

    private static DiagnosticDescriptor Create(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
