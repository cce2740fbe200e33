namespace SubnetGen.Core.Diagnostics;

/// <summary>SNG1xxx: the content of constraints.json. Documented in docs/errors/constraints.md.</summary>
public static partial class DiagnosticCodes
{
    /// <summary>constraints.json is not valid JSON (comments and trailing commas are allowed).</summary>
    public const string ConstraintsInvalidJson = "SNG1001";

    /// <summary>The top level of constraints.json is not an object.</summary>
    public const string ConstraintsRootNotObject = "SNG1002";

    /// <summary><c>models</c> is missing or is an empty array.</summary>
    public const string ConstraintsModelsMissing = "SNG1003";

    /// <summary>A key that constraints.json does not define at that level (often a typo).</summary>
    public const string ConstraintsUnknownKey = "SNG1004";

    /// <summary>The same key appears twice in one object.</summary>
    public const string ConstraintsDuplicateKey = "SNG1005";

    /// <summary>A value has the wrong JSON type (a string where a number belongs, and so on).</summary>
    public const string ConstraintsWrongType = "SNG1006";

    /// <summary>A required key (<c>name</c>, <c>supernet</c>, <c>supernet.id</c>, <c>supernet.version</c>, <c>targets</c>) is missing.</summary>
    public const string ConstraintsRequiredKeyMissing = "SNG1007";

    /// <summary>A model name is not a valid C# identifier (it becomes the generated class name).</summary>
    public const string ConstraintsInvalidModelName = "SNG1010";

    /// <summary>Two models have the same name.</summary>
    public const string ConstraintsDuplicateModelName = "SNG1011";

    /// <summary>A model namespace is not a valid dotted C# name.</summary>
    public const string ConstraintsInvalidNamespace = "SNG1012";

    /// <summary><c>supernet.id</c> is not a valid NuGet package id.</summary>
    public const string ConstraintsInvalidSupernetId = "SNG1020";

    /// <summary><c>supernet.version</c> is not an exact version (major.minor.patch[-prerelease]).</summary>
    public const string ConstraintsInvalidSupernetVersion = "SNG1021";

    /// <summary><c>supernet.sha512</c> is not a base64 SHA-512 (a hex digest gets its base64 form as the fix).</summary>
    public const string ConstraintsInvalidSupernetHash = "SNG1022";

    /// <summary><c>targets</c> is an empty object.</summary>
    public const string ConstraintsNoTargets = "SNG1030";

    /// <summary>A target name is empty or has characters other than letters, digits, '.', '-' and '_'.</summary>
    public const string ConstraintsInvalidTargetName = "SNG1031";

    /// <summary>The target selected with <c>SubnetGenTarget</c> is not among the model's targets.</summary>
    public const string ConstraintsUnknownTarget = "SNG1032";

    /// <summary>A budget is zero or negative.</summary>
    public const string ConstraintsBudgetNotPositive = "SNG1040";

    /// <summary><c>maxMacs</c> or <c>maxParameters</c> is not a whole number.</summary>
    public const string ConstraintsBudgetNotInteger = "SNG1041";

    /// <summary>A budget is too large to represent, or a KB budget is smaller than one byte.</summary>
    public const string ConstraintsBudgetOutOfRange = "SNG1042";

    /// <summary><c>minAccuracy</c> is outside (0, 1].</summary>
    public const string ConstraintsMinAccuracyOutOfRange = "SNG1043";

    /// <summary><c>latencyTable</c> is empty or not a usable path.</summary>
    public const string ConstraintsInvalidLatencyTablePath = "SNG1044";

    /// <summary><c>minimize</c> names no cost (latency, peakMemory, weights, macs, parameters).</summary>
    public const string ConstraintsUnknownObjective = "SNG1045";

    /// <summary><c>minimize</c> without <c>minAccuracy</c>: the cheapest subnet with no accuracy floor is just the smallest.</summary>
    public const string ConstraintsObjectiveWithoutMinAccuracy = "SNG1046";

    /// <summary>Warning: a target sets no budget at all, so the search picks the most accurate subnet regardless of cost.</summary>
    public const string ConstraintsTargetWithoutBudget = "SNG1050";

    /// <summary>Warning: a target has a <c>latencyTable</c> but no <c>maxLatencyMs</c>, so the table constrains nothing.</summary>
    public const string ConstraintsLatencyTableWithoutMaxLatency = "SNG1051";
}
