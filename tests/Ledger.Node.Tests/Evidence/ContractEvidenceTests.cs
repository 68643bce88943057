using Ledger.Chain;
using Ledger.Chain.Admission;
using Ledger.Chain.Execution;
using Ledger.Chain.Pool;
using Ledger.Chain.Production;
using Ledger.Chaincode;
using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Evidence;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Storage;
using Ledger.TestKit.Network;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ledger.Node.Tests.Evidence;

/// <summary>
/// Contract bundles from a real chain (chaincode, state tree, sealed blocks), checked offline by
/// <see cref="ContractEvidenceVerifier"/>: the whole history with a state proof, absence, and every way of
/// tampering with the history or the state that a party might try.
/// </summary>
public class ContractEvidenceTests
{
    private const string Contract = "GZ-EVIDENCE-1";
    private const string Other = "GZ-EVIDENCE-2";

    private static readonly Lazy<Fixture> Shared = new(() => new Fixture());
    internal static Fixture Bundles => Shared.Value;
    private static Fixture F => Shared.Value;

    internal sealed class Fixture
    {
        public Fixture()
        {
            Consortium = new TestConsortium(validators: 1);
            var hasher = Sm3Hasher.Instance;
            var store = new BlockStore(new InMemoryKeyValueStore(), hasher);
            var chaincode = new LabourContractChaincode(LabourContractOptions.Guangdong);
            var admission = new TxAdmission(Consortium.ChainId, chaincode, new CertificateRegistry(Consortium.ChainValidator(), hasher), hasher, new StoreReplayIndex(store));
            Chain = new LedgerChain("test", Consortium.Genesis, Consortium.GenesisBytes, store, admission, new Mempool(), new Ledger.Chain.Governance.ValidatorSets(Consortium.Genesis, hasher), hasher, TimeProvider.System, new ChainMetrics());
            var validator = Consortium.Validators[0];
            var producer = new SoloProducer(Chain, new BlockExecutor(Consortium.ChainId, chaincode, hasher),
                new BlockSealer(Consortium.ChainId, new NodeIdentity(validator.Name, validator.Certificate!, validator.Key)),
                new ProducerOptions(), TimeProvider.System, NullLogger<SoloProducer>.Instance);

            var document = Sm3.Hash("contract v1"u8);
            Hash32 Commit(TxEnvelope envelope)
            {
                var submitted = Chain.Submit(envelope.Encode());
                Assert.That(submitted.Result.IsValid, Is.True, submitted.Result.ToString());
                Assert.That(producer.ProduceBlock(), Is.Not.Null);
                return submitted.TxId!.Value;
            }
            Register = Commit(Consortium.Transaction(Consortium.Register(Contract, document), Consortium.Employer, [Consortium.Employer]));   // height 1
            OtherRegister = Commit(Consortium.Transaction(Consortium.Register(Other, Sm3.Hash("other"u8)), Consortium.Employer, [Consortium.Employer])); // 2
            Sign = Commit(Consortium.Transaction(new SignPayload { ContractId = Contract, Version = 1, DocumentHash = document },
                Consortium.Employer, [Consortium.Employer, Consortium.WorkerOf(Contract)]));                                                                // 3
            // Signing again is refused by the chaincode: in a block, but no event of the contract.
            Refused = Commit(Consortium.Transaction(new SignPayload { ContractId = Contract, Version = 1, DocumentHash = document },
                Consortium.Employer, [Consortium.Employer, Consortium.WorkerOf(Contract)]));                                                                // 4
            Verifier = new ContractEvidenceVerifier(Consortium.Genesis);
        }

        public TestConsortium Consortium { get; }
        public LedgerChain Chain { get; }
        public Hash32 Register { get; }
        public Hash32 OtherRegister { get; }
        public Hash32 Sign { get; }
        public Hash32 Refused { get; }
        public ContractEvidenceVerifier Verifier { get; }

        public ContractEvidence Latest => Chain.GetContractEvidence(Contract, null)!;
    }

    [Test]
    public void Ledger_proof_verify_checks_a_contract_bundle_offline_with_exit_codes()
    {
        var dir = Directory.CreateTempSubdirectory("ledger-contract-bundle-").FullName;
        try
        {
            string Save(string name, string text)
            {
                var path = Path.Combine(dir, name);
                File.WriteAllText(path, text);
                return path;
            }
            var genesis = Save("genesis.json", F.Consortium.Genesis.ToJson());
            var latest = Save("latest.json", F.Latest.ToJson());
            var old = Save("old.json", F.Chain.GetContractEvidence(Contract, 1)!.ToJson());
            var missing = Save("missing.json", (F.Latest with { Events = [F.Latest.Events[1]] }).ToJson());
            var absent = Save("absent.json", F.Chain.GetContractEvidence("GZ-NEVER", null)!.ToJson());
            var txProof = Save("tx.json", F.Chain.GetEvidence(F.Sign)!.ToJson());
            var harness = new Ledger.Cli.Tests.Commands.CliHarness();

            var ok = harness.Run("proof", "verify", latest, "--genesis", genesis);
            Assert.That(ok.Exit, Is.EqualTo(0), ok.Error);
            Assert.That(ok.Out, Does.Contain($"contract {Contract}").And.Contain("Effective").And.Contain("2 events, none missing"));

            var deleted = harness.Run("proof", "verify", missing, "--genesis", genesis);
            Assert.That(deleted.Exit, Is.EqualTo(1));
            Assert.That(deleted.Error, Does.Contain("MissingEvent"));

            var stale = harness.Run("proof", "verify", old, "--genesis", genesis, "--against", txProof);
            Assert.That(stale.Exit, Is.EqualTo(1));
            Assert.That(stale.Error, Does.Contain("StaleStateProof"));
            var current = harness.Run("proof", "verify", latest, "--genesis", genesis, "--against", txProof);
            Assert.That(current.Exit, Is.EqualTo(0), current.Error);

            var none = harness.Run("proof", "verify", absent, "--genesis", genesis);
            Assert.That(none.Exit, Is.EqualTo(0), none.Error);
            Assert.That(none.Out, Does.Contain("has no record"));

            Assert.That(harness.Run("proof", "verify", latest, "--genesis", genesis, "--file", genesis).Exit, Is.EqualTo(2), "--file goes with a tx proof");
            Assert.That(harness.Run("proof", "verify", txProof, "--genesis", genesis, "--against", latest).Exit, Is.EqualTo(2));
            Assert.That(harness.Run("proof", "verify", txProof, "--genesis", genesis).Exit, Is.EqualTo(0), "tx proofs keep working");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Genesis_state_root_is_the_tree_of_the_genesis_hash()
    {
        Assert.That(F.Chain.GetBlock(0)!.Header.StateRoot,
            Is.EqualTo(LedgerChain.GenesisStateRoot(Sm3Hasher.Instance, F.Consortium.GenesisBytes)));
        Assert.That(F.Chain.GetBlock(1)!.Header.StateRoot, Is.Not.EqualTo(F.Chain.GetBlock(0)!.Header.StateRoot));
    }

    [Test]
    public void Latest_bundle_shows_the_status_and_every_event_in_order()
    {
        var bundle = F.Latest;
        Assert.That(bundle.Height, Is.EqualTo(F.Chain.Head.Height));
        var report = F.Verifier.Verify(ContractEvidence.FromJson(bundle.ToJson()));
        Assert.That(report.Result.IsValid, Is.True, report.Result.ToString());
        Assert.That(report.Found, Is.True);
        Assert.That(report.Status, Is.EqualTo(ContractStatus.Effective));
        Assert.That(report.EffectiveVersion, Is.EqualTo(1u));
        Assert.That(report.Height, Is.EqualTo(4UL));
        Assert.That(report.Events.Select(e => e.TxId), Is.EqualTo(new Hash32?[] { F.Register, F.Sign }), "the refused tx is no event");
        Assert.That(report.Events.Select(e => e.Action), Is.EqualTo(new ContractAction?[] { ContractAction.Register, ContractAction.Sign }));
        Assert.That(report.SealedBy, Has.Count.GreaterThanOrEqualTo(1));
    }

    [Test]
    public void Bundle_at_an_earlier_height_shows_the_state_then_and_is_stale_against_a_later_certified_height()
    {
        var old = F.Chain.GetContractEvidence(Contract, 1)!;
        var report = F.Verifier.Verify(old);
        Assert.That(report.Result.IsValid, Is.True, report.Result.ToString());
        Assert.That(report.Status, Is.EqualTo(ContractStatus.PendingSignature));
        Assert.That(report.Events.Select(e => e.TxId), Is.EqualTo(new Hash32?[] { F.Register }));

        var stale = F.Verifier.Verify(old, knownHeight: F.Latest.Height);
        Assert.That(stale.Result.Code, Is.EqualTo(ErrorCode.StaleStateProof), stale.Result.ToString());
        Assert.That(F.Verifier.Verify(F.Latest, knownHeight: F.Latest.Height).IsValid, Is.True, "the latest is not stale against its own height");
    }

    [Test]
    public void A_contract_without_a_record_gets_a_verifiable_proof_of_absence()
    {
        foreach (var (id, height) in new[] { ("GZ-NEVER", (ulong?)null), (Other, (ulong?)1) })
        {
            var bundle = F.Chain.GetContractEvidence(id, height)!;
            Assert.That(bundle.Record, Is.Null);
            var report = F.Verifier.Verify(bundle);
            Assert.That(report.Result.IsValid, Is.True, $"{id}: {report.Result}");
            Assert.That(report.Found, Is.False);
            Assert.That(report.Events, Is.Empty);
        }
    }

    [Test]
    public void No_bundle_at_genesis_or_beyond_the_head()
    {
        Assert.That(F.Chain.GetContractEvidence(Contract, 0), Is.Null);
        Assert.That(F.Chain.GetContractEvidence(Contract, F.Chain.Head.Height + 1), Is.Null);
    }

    [Test]
    public void Deleting_an_event_fails_with_MissingEvent()
    {
        var bundle = F.Latest with { Events = [F.Latest.Events[1]] };
        Assert.That(F.Verifier.Verify(bundle).Result.Code, Is.EqualTo(ErrorCode.MissingEvent));
        Assert.That(F.Verifier.Verify(F.Latest with { Events = [] }).Result.Code, Is.EqualTo(ErrorCode.MissingEvent));
    }

    [Test]
    public void Reordering_events_fails_with_EventsOutOfOrder()
    {
        var bundle = F.Latest with { Events = [F.Latest.Events[1], F.Latest.Events[0]] };
        Assert.That(F.Verifier.Verify(bundle).Result.Code, Is.EqualTo(ErrorCode.EventsOutOfOrder));
    }

    [Test]
    public void Substituting_or_adding_an_event_fails_with_UnexpectedEvent()
    {
        var otherContract = F.Chain.GetEvidence(F.OtherRegister)!;
        var refused = F.Chain.GetEvidence(F.Refused)!;
        foreach (var intruder in new[] { otherContract, refused })
        {
            Assert.That(F.Verifier.Verify(F.Latest with { Events = [F.Latest.Events[0], intruder] }).Result.Code, Is.EqualTo(ErrorCode.UnexpectedEvent));
            Assert.That(F.Verifier.Verify(F.Latest with { Events = [.. F.Latest.Events, intruder] }).Result.Code, Is.EqualTo(ErrorCode.UnexpectedEvent));
        }
        Assert.That(F.Verifier.Verify(F.Latest with { Events = [F.Latest.Events[0], F.Latest.Events[0], F.Latest.Events[1]] }).Result.Code, Is.EqualTo(ErrorCode.UnexpectedEvent));
    }

    [Test]
    public void An_event_whose_own_proof_is_altered_fails_with_its_reason()
    {
        var broken = F.Latest.Events[0] with { Commit = F.Latest.Events[1].Commit };
        var report = F.Verifier.Verify(F.Latest with { Events = [broken, F.Latest.Events[1]] });
        Assert.That(report.Result.Code, Is.EqualTo(ErrorCode.InvalidBlockHash));
        Assert.That(report.Result.Reason, Does.StartWith("event 0"));
    }

    [Test]
    public void An_old_record_under_the_latest_header_or_a_hidden_record_fails_the_state_proof()
    {
        var old = F.Chain.GetContractEvidence(Contract, 1)!;
        var mixed = F.Latest with { Record = old.Record, StateProof = old.StateProof, Events = old.Events };
        Assert.That(F.Verifier.Verify(mixed).Result.Code, Is.EqualTo(ErrorCode.InvalidStateProof));

        var hidden = F.Latest with { Record = null, Events = [] };
        Assert.That(F.Verifier.Verify(hidden).Result.Code, Is.EqualTo(ErrorCode.InvalidStateProof), "a present record cannot be passed off as absent");

        var absent = F.Chain.GetContractEvidence("GZ-NEVER", null)!;
        Assert.That(F.Verifier.Verify(absent with { ContractId = Contract }).Result.Code, Is.EqualTo(ErrorCode.InvalidStateProof), "another key's absence");
    }

    [Test]
    public void The_header_must_be_certified_and_at_the_stated_height()
    {
        var old = F.Chain.GetContractEvidence(Contract, 1)!;
        Assert.That(F.Verifier.Verify(F.Latest with { Height = 1 }).Result.Code, Is.EqualTo(ErrorCode.InvalidProof));
        Assert.That(F.Verifier.Verify(F.Latest with { Commit = old.Commit }).Result.Code, Is.EqualTo(ErrorCode.InvalidBlockHash));
        Assert.That(F.Verifier.Verify(F.Latest with { ChainId = "another" }).Result.Code, Is.EqualTo(ErrorCode.WrongChainId));
    }

    [Test]
    public void Every_flipped_byte_of_the_record_or_the_state_proof_fails()
    {
        var record = Convert.FromBase64String(F.Latest.Record!);
        for (var i = 0; i < record.Length; i += 7)
        {
            var altered = (byte[])record.Clone();
            altered[i] ^= 0x01;
            var report = F.Verifier.Verify(F.Latest with { Record = Convert.ToBase64String(altered) });
            Assert.That(report.IsValid, Is.False, $"byte {i}");
        }
        var siblings = F.Latest.StateProof.Siblings;
        for (var i = 0; i < siblings.Count; i++)
        {
            var altered = siblings.ToArray();
            altered[i] = (altered[i][0] == '0' ? "1" : "0") + altered[i][1..];
            var report = F.Verifier.Verify(F.Latest with { StateProof = F.Latest.StateProof with { Siblings = altered } });
            Assert.That(report.Result.Code, Is.EqualTo(ErrorCode.InvalidStateProof), $"sibling {i}");
        }
    }
}
