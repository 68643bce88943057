using System.Diagnostics;
using System.Text.Json;
using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Evidence;
using Ledger.Core.Genesis;
using Ledger.Crypto;
using Ledger.TestKit.Builders;

namespace Ledger.Client.Tests.Evidence;

/// <summary>
/// The independent JavaScript verifier (verifiers/js, written from docs/proof-format.md) and the C# verifier judge the
/// same proofs the same way: a sound proof passes in both, every tampered or forged one fails in both with the same code.
/// </summary>
[NonParallelizable]
public class JsVerifierAgreementTests
{
    private static ProofFixture F => ProofFixture.Instance;

    private string _verifierDir = "";
    private string _work = "";

    [OneTimeSetUp]
    public void InstallVerifier()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Ledger.sln")))
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Ledger.sln not found above the test directory");
        _verifierDir = Path.Combine(root, "verifiers", "js");
        if (Run("node", ["--version"], _verifierDir).ExitCode is not 0)
            Assert.Ignore("node is not installed");
        // scripts/test.sh runs `npm ci` before the suite; a run without it installs here, from package-lock.json.
        if (!Directory.Exists(Path.Combine(_verifierDir, "node_modules", "sm-crypto")))
        {
            var ci = Run("npm", ["ci", "--no-audit", "--no-fund", "--prefer-offline"], _verifierDir);
            Assert.That(ci.ExitCode, Is.Zero, $"npm ci in verifiers/js failed: {ci.Output}");
        }
        _work = Directory.CreateTempSubdirectory("js-verifier-").FullName;
    }

    [OneTimeTearDown]
    public void RemoveWork()
    {
        if (_work.Length > 0) Directory.Delete(_work, recursive: true);
    }

    [Test]
    public void A_sound_proof_passes_in_both_verifiers_with_and_without_its_document()
    {
        var js = Agree(F.Proof, F.Network.Genesis, ErrorCode.Ok);
        Assert.That(js.GetProperty("txId").GetString(), Is.EqualTo(F.ProvenTxId.ToString()));
        Assert.That(js.GetProperty("height").GetInt32(), Is.EqualTo(7));
        Agree(F.Proof, F.Network.Genesis, ErrorCode.Ok, F.DocumentBytes);
    }

    [Test]
    public void A_document_one_byte_different_fails_in_both()
    {
        var file = F.DocumentBytes.ToArray();
        file[^1] ^= 1;
        Agree(F.Proof, F.Network.Genesis, ErrorCode.DocumentHashMismatch, file);
    }

    [TestCase("header", 5, ErrorCode.InvalidBlockHash, Description = "a byte of prev_hash")]
    [TestCase("receipt", 3, ErrorCode.InvalidProof, Description = "a byte of the receipt's tx id")]
    [TestCase("envelope", 10, ErrorCode.InvalidProof, Description = "a byte of the body: another tx id")]
    [TestCase("envelope", -1, ErrorCode.InvalidProof, Description = "the last endorsement's scope written as its default: not canonical")]
    [TestCase("envelope", -4, ErrorCode.InvalidMerkleProof, Description = "a byte of the last signature: another leaf")]
    [TestCase("commit", -1, ErrorCode.InvalidSeal, Description = "a byte of the last seal's signature")]
    public void A_flipped_byte_fails_in_both_with_the_same_code(string field, int offset, ErrorCode expected)
    {
        var proof = F.Proof with { };
        string Flip(string base64)
        {
            var bytes = Convert.FromBase64String(base64);
            bytes[offset >= 0 ? offset : bytes.Length + offset] ^= 0x01;
            return Convert.ToBase64String(bytes);
        }
        proof = field switch
        {
            "header" => proof with { Header = Flip(proof.Header) },
            "receipt" => proof with { Receipt = Flip(proof.Receipt) },
            "envelope" => proof with { Envelope = Flip(proof.Envelope) },
            "commit" => proof with { Commit = Flip(proof.Commit) },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };
        Agree(proof, F.Network.Genesis, expected);
    }

    [Test]
    public void A_tx_stripped_of_a_party_signature_fails_in_both()
    {
        // Same body, same tx id, the worker's consent dropped, sealed by the genuine validators: not the tx the body lists.
        var genuine = Core.Transactions.TxEnvelope.Decode(F.Envelopes[0]);
        var stripped = new Core.Transactions.TxEnvelope { BodyBytes = genuine.BodyBytes, Endorsements = genuine.Endorsements.Take(genuine.Endorsements.Count - 1).ToArray() };
        var block = TestBlocks.Build(F.Network, 11, [stripped.Encode()]);

        Agree(TestBlocks.Proof(F.Network, block, 0), F.Network.Genesis, ErrorCode.EndorsementsNotListed);
    }

    [Test]
    public void A_paper_confirmation_by_the_worker_passes_in_both_and_one_of_another_scan_fails_in_both()
    {
        // ConfirmPaperContract (TxBody field 25): the worker's statement names version 1, the scan and CONFIRM_PAPER.
        var confirm = new Core.Contracts.ConfirmPaperPayload { ContractId = "GZ-JS-PAPER", ScanHash = Sm3.Hash("scan GZ-JS-PAPER"u8) };
        var genuine = TestContracts.Envelope(F.Network, confirm, F.Network.Integrator, worker: F.Worker);
        Agree(TestBlocks.Proof(F.Network, TestBlocks.Build(F.Network, 13, [genuine]), 0), F.Network.Genesis, ErrorCode.Ok);

        var recorded = confirm with { ScanHash = Sm3.Hash("another scan"u8) };
        var carried = Core.Transactions.TxEnvelope.Decode(TestContracts.Envelope(F.Network, recorded, F.Network.Integrator, worker: F.Worker));
        var workerStatement = Core.Contracts.ContractPayloads.StatementFor(confirm, F.Network.ChainId, Sm3Hasher.Instance).SigningMessage();
        var forged = new Core.Transactions.TxEnvelope
        {
            BodyBytes = carried.BodyBytes,
            Endorsements = [.. carried.Endorsements.Take(carried.Endorsements.Count - 1),
                new Core.Transactions.Endorsement { Certificate = F.Worker.Certificate.Der, Signature = F.Worker.Key.Sign(workerStatement), Scope = Core.Transactions.EndorsementScope.Statement }],
        };
        Agree(TestBlocks.Proof(F.Network, TestBlocks.Build(F.Network, 14, [forged.Encode()]), 0), F.Network.Genesis, ErrorCode.StatementMismatch);
    }

    [Test]
    public void A_tx_whose_payload_differs_from_what_the_worker_signed_fails_in_both()
    {
        // The worker signed the terms ending 2027-06-30; the tx (its body, signed by the submitter, listing the same
        // endorsers) records another end date. Sealed by the genuine validators, still not what the worker agreed to.
        var signed = TestContracts.Register("GZ-JS-V2");
        var recorded = signed with { Terms = signed.Terms with { End = Core.Contracts.ContractDate.Create(2029, 6, 30) } };
        var genuine = Core.Transactions.TxEnvelope.Decode(TestContracts.Envelope(F.Network, recorded, F.Network.Integrator, F.Network.Employer, F.Worker));
        var workerStatement = Core.Contracts.ContractPayloads.StatementFor(signed, F.Network.ChainId, Sm3Hasher.Instance).SigningMessage();
        var forged = new Core.Transactions.TxEnvelope
        {
            BodyBytes = genuine.BodyBytes,
            Endorsements = [.. genuine.Endorsements.Take(genuine.Endorsements.Count - 1),
                new Core.Transactions.Endorsement { Certificate = F.Worker.Certificate.Der, Signature = F.Worker.Key.Sign(workerStatement), Scope = Core.Transactions.EndorsementScope.Statement }],
        };

        Agree(TestBlocks.Proof(F.Network, TestBlocks.Build(F.Network, 12, [forged.Encode()]), 0), F.Network.Genesis, ErrorCode.StatementMismatch);
    }

    [Test]
    public void Dropped_and_repeated_seals_fail_in_both()
    {
        var seals = F.Block.Commit!.Seals;
        Agree(F.WithSeals(seals.Take(2).ToArray()), F.Network.Genesis, ErrorCode.InsufficientSeals);
        Agree(F.WithSeals([.. seals, seals[0]]), F.Network.Genesis, ErrorCode.DuplicateSeal);
    }

    [Test]
    public void A_self_issued_validator_fails_in_both()
    {
        var impostor = TestNetwork.Impostor(F.Network.City, F.Network.ChainId);
        Agree(TestBlocks.Proof(impostor, TestBlocks.Build(impostor, 7, [Forged(impostor, "GZ-JS-1")], sealers: [0]), 0), F.Network.Genesis, ErrorCode.UnknownValidatorSet);

        var envelope = Forged(impostor, "GZ-JS-2");
        var namingTheRealSet = TestBlocks.Build(impostor, 8, [envelope], [Succeeded(envelope)], sealers: [0], validatorSetHash: F.Network.ValidatorSetHash);
        var proof = TestBlocks.Proof(impostor, namingTheRealSet, 0);
        Agree(proof, F.Network.Genesis, ErrorCode.UnknownValidator);
        Agree(proof with { Validators = F.Proof.Validators }, F.Network.Genesis, ErrorCode.UnknownValidator);
    }

    [Test]
    public void A_minority_of_genuine_validators_fails_in_both()
    {
        Agree(TestBlocks.Proof(F.Network, TestBlocks.Build(F.Network, 13, [Forged(F.Network, "GZ-JS-3")], sealers: [1]), 0), F.Network.Genesis, ErrorCode.InsufficientSeals);

        var alone = F.Network.WithValidators([F.Network.Validators[1]]);
        var proof = TestBlocks.Proof(alone, TestBlocks.Build(alone, 14, [Forged(alone, "GZ-JS-4")], sealers: [0]), 0);
        Agree(proof, alone.Genesis, ErrorCode.Ok);
        Agree(proof, F.Network.Genesis, ErrorCode.UnknownValidatorSet);
    }

    [Test]
    public void A_lapsed_validators_seal_counts_in_neither_and_the_rest_still_prove_the_block()
    {
        var key = Crypto.Sm2PrivateKey.Generate();
        var lapsedCertificate = F.Network.City.Issue(new Crypto.Certificates.CertificateRequest("lapsed validator", Core.Identity.Role.Validator,
            Core.Identity.DivisionCode.Parse("440106000000"), key.PublicKey, TestNetwork.NotBefore, TestNetwork.DefaultBlockTime.AddDays(-30)));
        var network = F.Network.WithValidators([.. F.Network.Validators.Take(3), new TestIdentity(key, lapsedCertificate)]);
        var genesis = F.Network.Genesis with
        {
            Validators = [.. F.Network.Genesis.Validators.Take(3), new Core.Genesis.GenesisValidator("lapsed", "440106000000", lapsedCertificate.ToPem())],
        };
        var withoutIt = Agree(TestBlocks.Proof(network, TestBlocks.Build(network, 5, [Forged(network, "GZ-JS-LAPSED-1")], sealers: [0, 1, 2, 3]), 0), genesis, ErrorCode.Ok);
        Assert.That(withoutIt.GetProperty("sealedBy").GetArrayLength(), Is.EqualTo(3), "the lapsed seal is not shown as counted");
        Agree(TestBlocks.Proof(network, TestBlocks.Build(network, 6, [Forged(network, "GZ-JS-LAPSED-2")], sealers: [0, 1, 3]), 0), genesis, ErrorCode.CertificateExpired);
    }

    [Test]
    public void Another_networks_validator_set_fails_in_both()
    {
        var staging = TestNetwork.Impostor(F.Network.City, F.Network.ChainId, validators: 4);
        Agree(TestBlocks.Proof(staging, TestBlocks.Build(staging, 7, [Forged(staging, "GZ-JS-5")]), 0), F.Network.Genesis, ErrorCode.UnknownValidatorSet);
    }

    [Test]
    public void An_endorsement_from_a_foreign_root_fails_in_both()
    {
        var foreign = TestNetwork.Create(1);
        var asEmployer = TestContracts.Envelope(F.Network, TestContracts.Register("GZ-JS-6"), F.Network.Integrator, foreign.Employer, F.Worker);
        var asSubmitter = TestContracts.Envelope(F.Network, TestContracts.Register("GZ-JS-7"), foreign.Integrator, F.Network.Employer, F.Worker);
        Agree(TestBlocks.Proof(F.Network, TestBlocks.Build(F.Network, 15, [asEmployer]), 0), F.Network.Genesis, ErrorCode.UntrustedCertificate);
        Agree(TestBlocks.Proof(F.Network, TestBlocks.Build(F.Network, 15, [asSubmitter]), 0), F.Network.Genesis, ErrorCode.UntrustedCertificate);
    }

    [Test]
    public void Height_zero_and_pre_genesis_blocks_fail_in_both()
    {
        Agree(TestBlocks.Proof(F.Network, TestBlocks.Build(F.Network, 0, [F.Envelopes[0]]), 0), F.Network.Genesis, ErrorCode.PreGenesisBlock);
        var envelope = F.Envelopes[0];
        var before = TestBlocks.Build(F.Network, 3, [envelope], [Succeeded(envelope)], time: TestNetwork.NotBefore.AddDays(-30));
        Agree(TestBlocks.Proof(F.Network, before, 0), F.Network.Genesis, ErrorCode.PreGenesisBlock);
    }

    [Test]
    public void Another_chains_genesis_fails_in_both()
    {
        Agree(F.Proof, TestNetwork.Create(4, "gd-labour-other").Genesis, ErrorCode.WrongChainId);
    }

    [Test]
    public void An_unreadable_proof_exits_2_and_a_malformed_one_is_InvalidProof()
    {
        var genesis = Write("genesis.json", F.Network.Genesis.ToJson());
        var missing = RunVerifier([Path.Combine(_work, "no-such.json"), "--genesis", genesis]);
        Assert.That(missing.ExitCode, Is.EqualTo(2), missing.Output);
        Assert.That(missing.Output.Trim().Split('\n'), Has.Length.EqualTo(1));

        var extra = F.Proof.ToJson().Replace("\"chainId\"", "\"extra\": 1, \"chainId\"");
        var result = RunVerifier([Write("extra.json", extra), "--genesis", genesis]);
        Assert.That(result.ExitCode, Is.EqualTo(1), result.Output);
        Assert.That(JsonDocument.Parse(result.Output).RootElement.GetProperty("code").GetString(), Is.EqualTo("InvalidProof"));
    }

    private static byte[] Forged(TestNetwork network, string contractId) =>
        TestContracts.Envelope(network, TestContracts.Register(contractId, Sm3.Hash("never submitted"u8)), network.Integrator, network.Employer, F.Worker);

    private static Receipt Succeeded(byte[] envelope) =>
        new() { TxId = Core.Transactions.TxEnvelope.Decode(envelope).ComputeId(Sm3Hasher.Instance) };

    /// <summary>Both verifiers on one proof: the C# code must be <paramref name="expected"/>, and the JS verifier's the same.</summary>
    private JsonElement Agree(EvidenceProof proof, GenesisDocument genesis, ErrorCode expected, byte[]? file = null)
    {
        using var stream = file is null ? null : new MemoryStream(file);
        var report = EvidenceVerifier.Verify(proof, genesis, stream);
        Assert.That(report.Result.Code, Is.EqualTo(expected), $"C#: {report.Result}");

        var id = Guid.NewGuid().ToString("N");
        List<string> args = [Write($"{id}.proof.json", proof.ToJson()), "--genesis", Write($"{id}.genesis.json", genesis.ToJson())];
        if (file is not null) args.AddRange(["--file", Write($"{id}.file", file)]);
        var run = RunVerifier(args);
        Assert.That(run.Output.Trim().Split('\n'), Has.Length.EqualTo(1), $"one JSON line: {run.Output}");
        var js = JsonDocument.Parse(run.Output).RootElement;
        var code = js.GetProperty("code").GetString();
        Assert.That(code, Is.EqualTo(expected == ErrorCode.Ok ? "Ok" : expected.ToString()), $"JS: {run.Output}");
        Assert.That(js.GetProperty("valid").GetBoolean(), Is.EqualTo(expected == ErrorCode.Ok));
        Assert.That(run.ExitCode, Is.EqualTo(expected == ErrorCode.Ok ? 0 : 1), run.Output);
        return js.Clone();
    }

    private string Write(string name, string text) => Write(name, System.Text.Encoding.UTF8.GetBytes(text));

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_work, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private (int ExitCode, string Output) RunVerifier(IEnumerable<string> args) =>
        Run("node", ["verify.js", .. args], _verifierDir);

    private static (int ExitCode, string Output) Run(string program, IEnumerable<string> args, string directory)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
                return (-1, "timed out");
            }
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
