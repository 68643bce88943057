using System.Text.Json;
using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Evidence;
using Ledger.TestKit;

namespace Ledger.Node.Tests.Evidence;

/// <summary>
/// The independent JavaScript verifier (verifiers/js, written from docs/proof-format.md §3) and
/// <see cref="ContractEvidenceVerifier"/> judge the same contract bundles — from a real chain with its chaincode and
/// state tree — the same way: a sound bundle and a proof of absence pass in both, every deleted, reordered,
/// substituted or altered part fails in both with the same code.
/// </summary>
[NonParallelizable]
public class JsBundleAgreementTests
{
    private const string Contract = "GZ-EVIDENCE-1";
    private static ContractEvidenceTests.Fixture F => ContractEvidenceTests.Bundles;

    private string _verifierDir = "";
    private string _work = "";
    private string _genesis = "";

    [OneTimeSetUp]
    public void InstallVerifier()
    {
        _verifierDir = JsVerifier.Install();
        _work = Directory.CreateTempSubdirectory("js-bundles-").FullName;
        _genesis = Write("genesis.json", F.Consortium.Genesis.ToJson());
    }

    [OneTimeTearDown]
    public void RemoveWork()
    {
        if (_work.Length > 0) Directory.Delete(_work, recursive: true);
    }

    [Test]
    public void The_latest_bundle_passes_in_both_with_the_same_status_and_events()
    {
        var js = Agree(F.Latest, ErrorCode.Ok);
        Assert.That(js.GetProperty("found").GetBoolean(), Is.True);
        Assert.That(js.GetProperty("status").GetString(), Is.EqualTo("Effective"));
        Assert.That(js.GetProperty("effectiveVersion").GetInt32(), Is.EqualTo(1));
        Assert.That(js.GetProperty("height").GetInt32(), Is.EqualTo((int)F.Latest.Height));
        var events = js.GetProperty("events").EnumerateArray().ToArray();
        Assert.That(events.Select(e => e.GetProperty("txId").GetString()), Is.EqualTo(new[] { F.Register.ToString(), F.Sign.ToString() }));
        Assert.That(events.Select(e => e.GetProperty("action").GetString()), Is.EqualTo(new[] { "Register", "Sign" }));
    }

    [Test]
    public void An_earlier_bundle_passes_alone_and_is_stale_against_a_later_proof_in_both()
    {
        var old = F.Chain.GetContractEvidence(Contract, 1)!;
        Assert.That(Agree(old, ErrorCode.Ok).GetProperty("status").GetString(), Is.EqualTo("PendingSignature"));

        // The refused tx is in the head block: a tx proof of the newest certified height.
        var newer = F.Chain.GetEvidence(F.Refused)!.ToJson();
        var head = F.Chain.Head.Height;
        Assert.That(head, Is.GreaterThan(old.Height));
        Agree(old, ErrorCode.StaleStateProof, against: (newer, head));
        Agree(F.Latest, ErrorCode.Ok, against: (newer, head));
    }

    [TestCase("GZ-NEVER", null)]
    [TestCase("GZ-EVIDENCE-2", 1UL)]
    public void A_proof_of_absence_passes_in_both(string contractId, ulong? height)
    {
        var js = Agree(F.Chain.GetContractEvidence(contractId, height)!, ErrorCode.Ok);
        Assert.That(js.GetProperty("found").GetBoolean(), Is.False);
    }

    [Test]
    public void Deleted_reordered_substituted_and_repeated_events_fail_in_both()
    {
        var events = F.Latest.Events;
        Agree(F.Latest with { Events = [events[1]] }, ErrorCode.MissingEvent);
        Agree(F.Latest with { Events = [] }, ErrorCode.MissingEvent);
        Agree(F.Latest with { Events = [events[1], events[0]] }, ErrorCode.EventsOutOfOrder);
        Agree(F.Latest with { Events = [events[0], events[0], events[1]] }, ErrorCode.UnexpectedEvent);
        foreach (var intruder in new[] { F.Chain.GetEvidence(F.OtherRegister)!, F.Chain.GetEvidence(F.Refused)! })
        {
            Agree(F.Latest with { Events = [events[0], intruder] }, ErrorCode.UnexpectedEvent);
            Agree(F.Latest with { Events = [.. events, intruder] }, ErrorCode.UnexpectedEvent);
        }
    }

    [Test]
    public void An_event_whose_own_proof_is_altered_fails_in_both_with_its_code()
    {
        var broken = F.Latest.Events[0] with { Commit = F.Latest.Events[1].Commit };
        var js = Agree(F.Latest with { Events = [broken, F.Latest.Events[1]] }, ErrorCode.InvalidBlockHash);
        Assert.That(js.GetProperty("reason").GetString(), Does.StartWith("event 0"));
    }

    [Test]
    public void A_mixed_hidden_or_borrowed_state_proof_fails_in_both()
    {
        var old = F.Chain.GetContractEvidence(Contract, 1)!;
        Agree(F.Latest with { Record = old.Record, StateProof = old.StateProof, Events = old.Events }, ErrorCode.InvalidStateProof);
        Agree(F.Latest with { Record = null, Events = [] }, ErrorCode.InvalidStateProof);
        Agree(F.Chain.GetContractEvidence("GZ-NEVER", null)! with { ContractId = Contract }, ErrorCode.InvalidStateProof);
        var proof = F.Latest.StateProof;
        Agree(F.Latest with { StateProof = proof with { LeafValueHash = null } }, ErrorCode.InvalidStateProof);
        Agree(F.Latest with { StateProof = proof with { Siblings = [.. proof.Siblings, proof.Siblings[0]] } }, ErrorCode.InvalidStateProof);
        Agree(F.Latest with { StateProof = proof with { LeafKeyHash = "not hex" } }, ErrorCode.InvalidStateProof);
    }

    [Test]
    public void The_header_must_be_certified_at_the_stated_height_of_this_chain_in_both()
    {
        var old = F.Chain.GetContractEvidence(Contract, 1)!;
        Agree(F.Latest with { Height = 1 }, ErrorCode.InvalidProof);
        Agree(F.Latest with { Commit = old.Commit }, ErrorCode.InvalidBlockHash);
        Agree(F.Latest with { ChainId = "another" }, ErrorCode.WrongChainId);
        Agree(F.Latest with { ContractId = "" }, ErrorCode.InvalidProof);
    }

    [Test]
    public void Flipped_bytes_of_the_record_and_the_siblings_fail_in_both_with_the_same_code()
    {
        var record = Convert.FromBase64String(F.Latest.Record!);
        for (var i = 0; i < record.Length; i += 11)
        {
            var altered = (byte[])record.Clone();
            altered[i] ^= 0x01;
            Agree(F.Latest with { Record = Convert.ToBase64String(altered) }, expected: null, $"record byte {i}");
        }
        var siblings = F.Latest.StateProof.Siblings;
        for (var i = 0; i < siblings.Count; i++)
        {
            var altered = siblings.ToArray();
            altered[i] = (altered[i][0] == '0' ? "1" : "0") + altered[i][1..];
            Agree(F.Latest with { StateProof = F.Latest.StateProof with { Siblings = altered } }, ErrorCode.InvalidStateProof, $"sibling {i}");
        }
    }

    [Test]
    public void A_signer_revoked_on_chain_before_the_tx_fails_in_both_and_one_revoked_after_does_not()
    {
        var chain = RevocationOnChainTests.Revoked;
        var genesis = Write("revocation-genesis.json", chain.Consortium.Genesis.ToJson());
        AgreeTx(chain.Chain.GetEvidence(chain.Before)!, chain.Verifier, genesis, ErrorCode.Ok);
        AgreeTx(chain.Chain.GetEvidence(chain.SignedBefore)!, chain.Verifier, genesis, ErrorCode.Ok);
        var after = chain.Chain.GetEvidence(chain.After)!;
        AgreeTx(after, chain.Verifier, genesis, ErrorCode.CertificateRevoked);

        var dropped = after.Revocations.Where(r => r.Record is null).ToArray();
        AgreeTx(after with { Revocations = dropped }, chain.Verifier, genesis, ErrorCode.RevocationStatusMissing);
        AgreeTx(after with { Revocations = after.Revocations.Reverse().ToArray() }, chain.Verifier, genesis, ErrorCode.RevocationStatusMissing);
        AgreeTx(after with { Revocations = after.Revocations.Select(r => r with { Record = null }).ToArray() }, chain.Verifier, genesis, ErrorCode.InvalidStateProof);
        var before = chain.Chain.GetEvidence(chain.Before)!;
        AgreeTx(before with { Revocations = [.. before.Revocations, before.Revocations[0]] }, chain.Verifier, genesis, ErrorCode.RevocationStatusMissing);
        AgreeTx(before with { Revocations = before.Revocations.Select(r => r with { Key = r.Key.ToUpperInvariant() }).ToArray() }, chain.Verifier, genesis, ErrorCode.Ok);
    }

    [Test]
    public void Unknown_members_and_misused_options_are_refused()
    {
        var extra = F.Latest.ToJson().Replace("\"chainId\"", "\"extra\": 1, \"chainId\"");
        var run = Js(Write("extra.json", extra));
        Assert.That(run.ExitCode, Is.EqualTo(1), run.StdOut);
        Assert.That(Code(run), Is.EqualTo("InvalidProof"));

        var bundle = Write("bundle.json", F.Latest.ToJson());
        var withFile = Js(bundle, "--file", _genesis);
        Assert.That(withFile.ExitCode, Is.EqualTo(2), "--file goes with a tx proof");
        var txProof = Write("tx.json", F.Chain.GetEvidence(F.Sign)!.ToJson());
        Assert.That(Js(txProof, "--against", bundle).ExitCode, Is.EqualTo(2), "--against goes with a bundle");
    }

    /// <summary>
    /// Both verifiers on one bundle: the C# code must be <paramref name="expected"/> (or, when null, any failure), and
    /// the JS verifier's the same code.
    /// </summary>
    private JsonElement Agree(ContractEvidence bundle, ErrorCode? expected, string what = "", (string Json, ulong Height)? against = null)
    {
        var report = F.Verifier.Verify(ContractEvidence.FromJson(bundle.ToJson()), against?.Height);
        if (expected is { } code) Assert.That(report.Result.Code, Is.EqualTo(code), $"C# {what}: {report.Result}");
        else Assert.That(report.IsValid, Is.False, $"C# {what}: must fail");

        var id = Guid.NewGuid().ToString("N");
        List<string> args = [Write($"{id}.bundle.json", bundle.ToJson())];
        if (against is { } newer) args.AddRange(["--against", Write($"{id}.newer.json", newer.Json)]);
        var run = Js([.. args]);
        Assert.That(run.StdOut.Trim().Split('\n'), Has.Length.EqualTo(1), $"one JSON line {what}: {run.StdOut}{run.StdErr}");
        var js = JsonDocument.Parse(run.StdOut).RootElement;
        var expectedCode = report.Result.IsValid ? "Ok" : report.Result.Code.ToString();
        Assert.That(js.GetProperty("code").GetString(), Is.EqualTo(expectedCode), $"JS {what}: {run.StdOut}; C#: {report.Result}");
        Assert.That(run.ExitCode, Is.EqualTo(report.Result.IsValid ? 0 : 1), run.StdOut);
        return js.Clone();
    }

    /// <summary>Both verifiers on one tx proof, against <paramref name="genesis"/> (a file): the same code.</summary>
    private void AgreeTx(EvidenceProof proof, EvidenceVerifier verifier, string genesis, ErrorCode expected)
    {
        var report = verifier.Verify(EvidenceProof.FromJson(proof.ToJson()));
        Assert.That(report.Result.Code, Is.EqualTo(expected), $"C#: {report.Result}");
        var run = ProcessRunner.Run("node", ["verify.js", Write($"{Guid.NewGuid():N}.proof.json", proof.ToJson()), "--genesis", genesis], _verifierDir);
        Assert.That(run.StdOut.Trim().Split('\n'), Has.Length.EqualTo(1), $"one JSON line: {run.StdOut}{run.StdErr}");
        Assert.That(Code(run), Is.EqualTo(expected == ErrorCode.Ok ? "Ok" : expected.ToString()), $"JS: {run.StdOut}; C#: {report.Result}");
        Assert.That(run.ExitCode, Is.EqualTo(expected == ErrorCode.Ok ? 0 : 1), run.StdOut);
    }

    private ProcessRunner.Outcome Js(params string[] args) =>
        ProcessRunner.Run("node", ["verify.js", .. args, "--genesis", _genesis], _verifierDir);

    private static string? Code(ProcessRunner.Outcome run) => JsonDocument.Parse(run.StdOut).RootElement.GetProperty("code").GetString();

    private string Write(string name, string text)
    {
        var path = Path.Combine(_work, name);
        File.WriteAllText(path, text);
        return path;
    }
}
