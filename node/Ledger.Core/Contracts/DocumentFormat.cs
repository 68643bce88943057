namespace Ledger.Core.Contracts;

/// <summary>The file format of the anchored contract document. Values are on the wire: never renumber.</summary>
public enum DocumentFormat
{
    Unspecified = 0,
    Pdf = 1,

    /// <summary>GB/T 33190 Open Fixed-layout Document, the Chinese e-government format.</summary>
    Ofd = 2,
}
