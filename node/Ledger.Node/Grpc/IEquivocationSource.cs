using Ledger.Core;

namespace Ledger.Node.Grpc;

/// <summary>Conflicting messages one validator signed for the same height, round and type, each encoded as received.</summary>
public sealed record Equivocation(Hash32 Validator, ulong Height, uint Round, string Type, byte[] First, byte[] Second);

/// <summary>Where the gRPC service finds equivocation evidence: the consensus engine of a consortium node.</summary>
public interface IEquivocationSource
{
    Task<IReadOnlyList<Equivocation>> ListAsync(CancellationToken cancellationToken);
}
