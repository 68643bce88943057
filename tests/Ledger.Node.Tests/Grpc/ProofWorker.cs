using Ledger.Crypto;

namespace Ledger.Node.Tests.Grpc;

/// <summary>One worker key (a bare SM2 key, no certificate) shared by the gRPC tests.</summary>
public static class ProofWorker
{
    public static Sm2PrivateKey Key { get; } = Sm2PrivateKey.Generate();
}
