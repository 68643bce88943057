using Ledger.Core.Wire;

namespace Ledger.Core.Contracts;

/// <summary>
/// The terms of one contract version that the chain checks against the law:
/// <c>ContractTerms { type = 1, start = 2, end = 3, probation_end = 4, place_of_work = 5, industry = 6, model_text_id = 7 }</c>.
/// Dates are yyyymmdd and inclusive: a one-year contract from 2024-01-01 ends on 2024-12-31.
/// </summary>
public sealed record ContractTerms
{
    public required ContractType Type { get; init; }

    public required ContractDate Start { get; init; }

    /// <summary>Last day of the term: required for fixed-term, absent for open-ended, optional (expected) for task-based.</summary>
    public ContractDate? End { get; init; }

    /// <summary>Last day of probation, if the contract agrees one; probation starts with the contract (art. 19).</summary>
    public ContractDate? ProbationEnd { get; init; }

    /// <summary>12-digit statistical division code of the place of work.</summary>
    public required string PlaceOfWork { get; init; }

    /// <summary>GB/T 4754-2017 industry code: a section letter with up to four digits (C3911), or a four-digit class (3911).</summary>
    public required string Industry { get; init; }

    /// <summary>The id of the bureau's model text (示范文本) the contract follows, if any.</summary>
    public string? ModelTextId { get; init; }

    public byte[] Encode()
    {
        var w = new ProtoWriter(64);
        w.WriteUInt32(1, (uint)Type);
        w.WriteUInt32(2, Start.ToNumber());
        w.WriteUInt32(3, End?.ToNumber() ?? 0);
        w.WriteUInt32(4, ProbationEnd?.ToNumber() ?? 0);
        w.WriteString(5, PlaceOfWork);
        w.WriteString(6, Industry);
        w.WriteString(7, ModelTextId);
        return w.ToArray();
    }

    public static ContractTerms Decode(ReadOnlySpan<byte> bytes)
    {
        PayloadFields.CheckSize(bytes, "ContractTerms");
        var r = new ProtoReader(bytes, "ContractTerms");
        var type = ContractType.Unspecified;
        ContractDate? start = null, end = null, probationEnd = null;
        string? place = null, industry = null, modelText = null;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: type = PayloadFields.ReadEnum<ContractType>(ref r, "ContractTerms.type"); break;
                case 2: start = PayloadFields.ReadDate(ref r, "ContractTerms.start"); break;
                case 3: end = PayloadFields.ReadDate(ref r, "ContractTerms.end"); break;
                case 4: probationEnd = PayloadFields.ReadDate(ref r, "ContractTerms.probation_end"); break;
                case 5: place = r.ReadString(PayloadFields.MaxIdBytes); break;
                case 6: industry = r.ReadString(PayloadFields.MaxIdBytes); break;
                case 7: modelText = r.ReadString(PayloadFields.MaxIdBytes); break;
                default: throw r.UnknownField(field);
            }
        }
        return new ContractTerms
        {
            Type = PayloadFields.RequireEnum(type, ref r, "ContractTerms.type"),
            Start = PayloadFields.Require(start, ref r, "ContractTerms.start"),
            End = end,
            ProbationEnd = probationEnd,
            PlaceOfWork = PayloadFields.Require(place, ref r, "ContractTerms.place_of_work"),
            Industry = PayloadFields.Require(industry, ref r, "ContractTerms.industry"),
            ModelTextId = modelText,
        };
    }
}
