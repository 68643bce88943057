namespace Ledger.Core.Wire;

/// <summary>Size caps checked before anything is decoded or stored. Part of the protocol: every node uses the same.</summary>
public static class EncodingLimits
{
    public const int MaxTxBytes = 128 * 1024;
    public const int MaxEndorsements = 16;
    public const int MaxCertificateBytes = 4 * 1024;
    public const int MaxSignatureBytes = 80;
    public const int MaxShortStringBytes = 128;
    public const int MaxMessageBytes = 1024;
    public const int MaxBlockBytes = 16 * 1024 * 1024;
    public const int MaxTxsPerBlock = 20_000;
    public const int MaxSeals = 256;
    public const int MaxWarnings = 16;
    public const int MaxHeaderBytes = 1024;
}
