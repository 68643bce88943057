using Grpc.Core;
using Grpc.Net.Client;
using Ledger.Core.Transactions;
using Ledger.TestKit;
using Rpc = Ledger.Proto.V1;

namespace Ledger.E2E;

/// <summary>
/// Issue 16: a relay that drops a tx's Statement endorsements (the parties' consent) and submits the stripped copy
/// first must not get it admitted under the genuine tx's id — the genuine tx is then still admitted and committed
/// with every signature. Against a real <c>ledger node</c>, over gRPC.
/// </summary>
public class StrippedSignatureTests
{
    [Test]
    public async Task A_copy_stripped_of_the_parties_consent_is_refused_and_the_genuine_tx_commits_with_it()
    {
        using var devnet = new DevnetFixture();
        using var node = LedgerProcess.Start("node", "--config", devnet.NodeConfig());
        await devnet.WaitHealthyAsync(0, TimeSpan.FromSeconds(60), node);
        using var channel = devnet.Channel();
        var client = devnet.Client(channel);

        var (genuine, _) = devnet.NewRegistration();
        Assert.That(genuine.Endorsements.Select(e => e.Scope), Is.EqualTo(new[] { EndorsementScope.Body, EndorsementScope.Statement }));
        var stripped = new TxEnvelope { BodyBytes = genuine.BodyBytes, Endorsements = [genuine.Endorsements[0]] };

        RpcException? refusal = null;
        try
        {
            await client.SubmitAsync(DevnetFixture.Submit(stripped));
        }
        catch (RpcException e)
        {
            refusal = e;
        }
        Assert.That(refusal, Is.Not.Null, "the stripped copy is refused");
        Assert.That(refusal!.StatusCode, Is.EqualTo(StatusCode.FailedPrecondition));
        Assert.That(refusal.Trailers.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason, Is.EqualTo(nameof(Ledger.Core.ErrorCode.EndorsementsNotListed)), refusal.Status.Detail);

        var submitted = await client.SubmitAsync(DevnetFixture.Submit(genuine));
        var committed = await client.WaitForCommitAsync(new Rpc.WaitForCommitRequest { TxId = submitted.TxId, TimeoutMs = 60_000 });
        Assert.That(committed.ReceiptCode, Is.Zero, committed.ReceiptMessage);
        var tx = await client.GetTransactionAsync(new Rpc.GetTransactionRequest { TxId = submitted.TxId });
        Assert.That(tx.Envelope.ToByteArray(), Is.EqualTo(genuine.Encode()), "the chain holds the genuine envelope, with the party's consent");
    }
}
