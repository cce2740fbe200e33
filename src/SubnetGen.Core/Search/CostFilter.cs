using System;
using SubnetGen.Core.Cost;

namespace SubnetGen.Core.Search;

/// <summary>
/// A feasibility rule of the caller's own on top of a <see cref="Budget"/>, for a cost that is no budget key (e.g. MOOFA's
/// analytical memory, <see cref="SubnetCost.MoofaPeakElements"/>): a config it rejects is treated as one that breaks a
/// budget, so the search never predicts it, never picks it and redraws it as it redraws any other. Builds never pass one.
/// </summary>
/// <param name="Description">What it requires, as a budget is quoted in SNG3001's message: "MOOFA peak memory ≤ 40,000 elements".</param>
public sealed record CostFilter(string Description, Func<SubnetCost, bool> Admits);
