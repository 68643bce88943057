using Ledger.Analytics.Indexing;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Contracts;
using Ledger.Crypto;
using Ledger.TestKit.Builders;

namespace Ledger.Analytics.Tests;

/// <summary>
/// Hand-made certified blocks for the warning rules: an employer (the test network's, registered in Tianhe, Guangzhou)
/// with a workforce of paper contracts in force, then dissolutions for economic reasons (art. 41) block by block.
/// </summary>
internal sealed class LayoffScenario(ChainIndexer indexer)
{
    private static readonly TestNetwork Network = IndexingTests.TestNet;
    private readonly List<string> _inForce = [];
    private ulong _height;
    private ulong _nonce;
    private Hash32? _parent;

    public DateTimeOffset Time { get; set; } = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);

    public List<(string ContractId, Hash32 TxId)> Dissolved { get; } = [];

    public async Task HireAsync(int workers)
    {
        var envelopes = new List<byte[]>();
        for (var i = 0; i < workers; i++)
        {
            var id = $"LAYOFF-{_inForce.Count + 1:D5}";
            _inForce.Add(id);
            envelopes.Add(TestContracts.Envelope(Network, new UploadPaperPayload
            {
                ContractId = id, ScanHash = TestContracts.Document(id, 1), ScanFormat = DocumentFormat.Pdf,
                EmployerCreditCode = TestNetwork.EmployerCreditCode.Value, WorkerPseudonym = Sm3.Hash(System.Text.Encoding.ASCII.GetBytes(id)),
                Terms = TestContracts.Terms() with { Start = ContractDate.Create(2025, 1, 1), End = ContractDate.Create(2027, 12, 31) },
                PaperSignedOn = ContractDate.Create(2024, 12, 20),
            }, Network.Employer, nonce: ++_nonce));
        }
        await BlockAsync(envelopes);
    }

    public async Task DissolveAsync(int workers, DissolutionBasis basis = DissolutionBasis.Art41Layoff)
    {
        var envelopes = new List<byte[]>();
        var date = ContractDate.FromUnixMilliseconds(Time.ToUnixTimeMilliseconds());
        for (var i = 0; i < workers; i++)
        {
            var id = _inForce[0];
            _inForce.RemoveAt(0);
            var envelope = TestContracts.Envelope(Network, new DissolvePayload
            {
                ContractId = id, Version = 1, DocumentHash = TestContracts.Document(id, 1), Basis = basis, EffectiveDate = date,
            }, Network.Employer, Network.Employer, nonce: ++_nonce);
            envelopes.Add(envelope);
            if (basis == DissolutionBasis.Art41Layoff)
                Dissolved.Add((id, Sm3Hasher.Instance.Hash(Core.Transactions.TxEnvelope.Decode(envelope).BodyBytes.Span)));
        }
        await BlockAsync(envelopes);
    }

    private async Task BlockAsync(List<byte[]> envelopes)
    {
        var block = TestBlocks.Build(Network, ++_height, envelopes.Select(e => (ReadOnlyMemory<byte>)e).ToArray(),
            envelopes.Select(e => new Receipt { TxId = Sm3Hasher.Instance.Hash(Core.Transactions.TxEnvelope.Decode(e).BodyBytes.Span) }).ToArray(),
            _parent ?? Hash32.Zero, Time);
        _parent = await indexer.IndexAsync(block, _parent);
        Time += TimeSpan.FromHours(1);
    }
}
