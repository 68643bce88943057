using System.Text;
using System.Text.Json.Nodes;
using Ledger.Core;
using Ledger.Crypto;
using Ledger.Signer.Audit;

namespace Ledger.Signer.Tests;

/// <summary>Any change to a key store file or to the audit log shows, with a typed error naming what.</summary>
public class TamperTests
{
    private SignerTestBed _bed = null!;

    [SetUp]
    public void SetUp() => _bed = new SignerTestBed();

    [TearDown]
    public void TearDown() => _bed.Dispose();

    private static LedgerException Refusal(Action action) => Refusals.Of(action);

    private (SignerService Service, string HolderId) EnrolledWorker()
    {
        var service = _bed.Open();
        return (service, _bed.EnrolWorker(service).Id);
    }

    [TestCase("wrapped")]
    [TestCase("certificate")]
    [TestCase("nonce")]
    public void A_flipped_byte_in_a_key_store_file_is_detected(string field)
    {
        var (service, holderId) = EnrolledWorker();
        using (service)
        {
            var path = _bed.DataPath("holders", holderId + ".holder");
            var json = JsonNode.Parse(File.ReadAllText(path))!;
            var bytes = Convert.FromBase64String(json[field]!.GetValue<string>());
            bytes[bytes.Length / 2] ^= 0x01;
            json[field] = Convert.ToBase64String(bytes);
            File.WriteAllText(path, json.ToJsonString());
            var statement = SignerTestBed.Statement();
            Assert.That(Refusal(() => service.RequestSignature(holderId, statement, "peer")).Code, Is.EqualTo(ErrorCode.KeyStoreTampered));
            Assert.That(Refusal(() => service.ListForHolder(holderId, SignerTestBed.Pin, 0, 1)).Code, Is.EqualTo(ErrorCode.KeyStoreTampered));
        }
    }

    [Test]
    public void A_truncated_or_swapped_key_store_file_is_detected()
    {
        var (service, holderId) = EnrolledWorker();
        using (service)
        {
            var other = _bed.EnrolEmployer(service).Id;
            var path = _bed.DataPath("holders", holderId + ".holder");
            var original = File.ReadAllBytes(path);
            File.WriteAllBytes(path, original[..(original.Length / 2)]);
            Assert.That(Refusal(() => service.GetHolder(holderId)).Code, Is.EqualTo(ErrorCode.KeyStoreTampered));

            // The employer's file under the worker's name: its header names another holder.
            File.Copy(_bed.DataPath("holders", other + ".holder"), path, overwrite: true);
            Assert.That(Refusal(() => service.GetHolder(holderId)).Code, Is.EqualTo(ErrorCode.KeyStoreTampered));
            // ... and with the header rewritten to match, the outer tag fails.
            File.WriteAllText(path, File.ReadAllText(path).Replace(other, holderId, StringComparison.Ordinal));
            Assert.That(Refusal(() => service.GetHolder(holderId)).Code, Is.EqualTo(ErrorCode.KeyStoreTampered));
        }
    }

    [Test]
    public void A_key_store_alone_is_useless_without_the_service_key()
    {
        var (service, holderId) = EnrolledWorker();
        service.Dispose();
        // Another KEK (a stolen store copied to another signer): nothing decrypts, not even to test a PIN.
        File.WriteAllText(Path.Combine(_bed.Directory.FullName, "kek"), new string('0', 32));
        using var thief = _bed.Open();
        Assert.That(Refusal(() => thief.GetHolder(holderId)).Code, Is.EqualTo(ErrorCode.KeyStoreTampered));
        var content = File.ReadAllText(_bed.DataPath("holders", holderId + ".holder"));
        Assert.That(content, Does.Not.Contain("pbkdf2"), "the PIN-protected key file is not visible without the KEK");
    }

    private string[] AuditWithRecords(int confirmations)
    {
        var (service, holderId) = EnrolledWorker();
        using (service)
        {
            for (var i = 0; i < confirmations; i++)
            {
                var statement = SignerTestBed.Statement(contractId: $"GZ-{i}");
                var challenge = service.RequestSignature(holderId, statement, "ipv4:10.0.0.7");
                service.ConfirmSignature(holderId, challenge.Id, SignerTestBed.Pin, statement, "ipv4:10.0.0.7");
            }
        }
        return File.ReadAllLines(_bed.DataPath("audit.log"));
    }

    [Test]
    public void An_intact_audit_log_verifies()
    {
        var lines = AuditWithRecords(3);
        Assert.That(lines, Has.Length.EqualTo(7), "enrolment, then a request and a confirmation each");
        var check = AuditLog.Verify(_bed.DataPath("audit.log"), 7);
        Assert.That(check.Intact, Is.True, check.Reason);
        Assert.That(check.HeadSequence, Is.EqualTo(7UL));
    }

    [Test]
    public void An_edited_audit_record_is_detected_and_named()
    {
        var lines = AuditWithRecords(3);
        lines[3] = lines[3].Replace("10.0.0.7", "10.0.0.8", StringComparison.Ordinal);
        File.WriteAllLines(_bed.DataPath("audit.log"), lines);
        var check = AuditLog.Verify(_bed.DataPath("audit.log"));
        Assert.That(check.Intact, Is.False);
        Assert.That(check.FirstBadSequence, Is.EqualTo(4UL));
        Assert.That(check.Code, Is.EqualTo(ErrorCode.AuditLogTampered));
        Assert.That(Refusal(() => _bed.Open()).Code, Is.EqualTo(ErrorCode.AuditLogTampered), "the signer does not append to a broken chain");
    }

    [Test]
    public void A_deleted_audit_record_is_detected()
    {
        var lines = AuditWithRecords(3).ToList();
        lines.RemoveAt(2);
        File.WriteAllLines(_bed.DataPath("audit.log"), lines);
        var check = AuditLog.Verify(_bed.DataPath("audit.log"));
        Assert.That(check.Intact, Is.False);
        Assert.That(check.FirstBadSequence, Is.EqualTo(3UL));
    }

    [Test]
    public void Reordered_audit_records_are_detected()
    {
        var lines = AuditWithRecords(3);
        (lines[4], lines[5]) = (lines[5], lines[4]);
        File.WriteAllLines(_bed.DataPath("audit.log"), lines);
        var check = AuditLog.Verify(_bed.DataPath("audit.log"));
        Assert.That(check.Intact, Is.False);
        Assert.That(check.FirstBadSequence, Is.EqualTo(5UL));
    }

    [Test]
    public void Records_cut_from_the_end_are_detected_against_the_running_head()
    {
        var (service, holderId) = EnrolledWorker();
        using (service)
        {
            var statement = SignerTestBed.Statement();
            service.RequestSignature(holderId, statement, "peer");
            var lines = File.ReadAllLines(_bed.DataPath("audit.log"));
            File.WriteAllLines(_bed.DataPath("audit.log"), lines[..1]);
            var check = service.CheckAuditAsync(CancellationToken.None).GetAwaiter().GetResult();
            Assert.That(check.Intact, Is.False);
            Assert.That(check.FirstBadSequence, Is.EqualTo(2UL));
        }
    }

    [Test]
    public async Task A_log_rewritten_consistently_after_anchoring_fails_against_the_anchor()
    {
        AuditWithRecords(2);
        using (var service = _bed.Open())
        {
            Assert.That(await service.AnchorOnceAsync(CancellationToken.None), Is.True);
            Assert.That(await service.AnchorOnceAsync(CancellationToken.None), Is.False, "nothing new to anchor");
            var before = await service.CheckAuditAsync(CancellationToken.None);
            Assert.That(before is { Valid: true, Anchored: true, AnchorMatches: true, AnchoredSequence: 5 }, Is.True, before.Reason);
        }

        // Rewrite record 2's client address and recompute every hash after it: the chain alone checks again.
        var path = _bed.DataPath("audit.log");
        var lines = File.ReadAllLines(path);
        var prev = AuditRecord.GenesisPrev;
        for (var i = 0; i < lines.Length; i++)
        {
            var json = JsonNode.Parse(lines[i])!;
            if (i == 1) json["client"] = "ipv4:192.0.2.1";
            var record = new AuditRecord(json["seq"]!.GetValue<ulong>(), json["time"]!.GetValue<long>(), Hash32.Parse(json["holder"]!.GetValue<string>()),
                Enum.Parse<AuditEventKind>(json["kind"]!.GetValue<string>()), json["statement"]!.GetValue<string>() is { Length: > 0 } s ? Hash32.Parse(s) : null,
                Convert.FromHexString(json["challenge"]!.GetValue<string>()), json["client"]!.GetValue<string>(), (ErrorCode)json["code"]!.GetValue<int>(), prev,
                json["operator"]?.GetValue<string>() is { } op ? Hash32.Parse(op) : null, json["operatorSubject"]?.GetValue<string>());
            json["prev"] = prev.ToHex();
            json["hash"] = record.Hash.ToHex();
            prev = record.Hash;
            lines[i] = json.ToJsonString();
        }
        File.WriteAllLines(path, lines);
        Assert.That(AuditLog.Verify(path).Intact, Is.True, "a consistent rewrite fools the chain check alone");

        using var reopened = _bed.Open();
        var after = await reopened.CheckAuditAsync(CancellationToken.None);
        Assert.That(after.Anchored, Is.True);
        Assert.That(after.AnchorMatches, Is.False);
        Assert.That(after.Code, Is.EqualTo(ErrorCode.AuditAnchorMismatch), after.Reason);
    }

    [Test]
    public void The_audit_log_holds_no_pin_and_records_each_step()
    {
        var lines = AuditWithRecords(1);
        var text = string.Join('\n', lines);
        Assert.That(text, Does.Not.Contain(SignerTestBed.Pin));
        Assert.That(lines.Select(l => JsonNode.Parse(l)!["kind"]!.GetValue<string>()), Is.EqualTo(new[] { "Enrolled", "SignatureRequested", "SignatureConfirmed" }));
        var confirmed = JsonNode.Parse(lines[2])!;
        Assert.That(confirmed["statement"]!.GetValue<string>(), Is.EqualTo(Sm3.Hash(SignerTestBed.Statement(contractId: "GZ-0").SigningMessage()).ToHex()));
        Assert.That(confirmed["client"]!.GetValue<string>(), Is.EqualTo("ipv4:10.0.0.7"));
        Assert.That(confirmed["challenge"]!.GetValue<string>(), Is.EqualTo(JsonNode.Parse(lines[1])!["challenge"]!.GetValue<string>()));
        Assert.That(Encoding.UTF8.GetByteCount(text), Is.GreaterThan(0));
    }
}
