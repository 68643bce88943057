using System.Collections.Concurrent;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Ledger.Client.Access;
using Ledger.Core;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Signer.Grpc;
using Ledger.Signer.Hosting;
using Microsoft.Extensions.Logging;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Rpc = Ledger.Proto.V1;

namespace Ledger.Signer.Tests;

/// <summary><c>ledger.v1.SignerService</c> over a real Kestrel on 127.0.0.1: statuses with typed details, limits, no secrets out.</summary>
public class GrpcTransportTests
{
    private SignerTestBed _bed = null!;
    private SignerHost? _host;
    private GrpcChannel? _channel;
    private readonly CollectingLogs _logs = new();

    [SetUp]
    public void SetUp() => _bed = new SignerTestBed();

    [TearDown]
    public async Task TearDown()
    {
        _channel?.Dispose();
        if (_host is not null) await _host.DisposeAsync();
        _bed.Dispose();
    }

    private async Task<Rpc.SignerService.SignerServiceClient> StartAsync(Func<SignerConfig, SignerConfig>? configure = null)
    {
        if (configure is not null) _bed.Config = configure(_bed.Config);
        _host = await _bed.StartHostAsync(_logs);
        _channel = _bed.Transport.Channel(_host.GrpcEndpoint, new GrpcChannelOptions { MaxSendMessageSize = null });
        // Every call signed by the bureau's operator, as an enrolment desk's client does (only Enrol and the bureau view need it).
        return new Rpc.SignerService.SignerServiceClient(_channel.Intercept(new CallSigningInterceptor(_bed.Operator, _bed.Clock)));
    }

    internal static async Task<(StatusCode Status, ErrorCode? Code, Google.Rpc.Status? Details)> Failure(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (RpcException e)
        {
            var details = e.GetRpcStatus();
            var info = details?.GetDetail<ErrorInfo>();
            ErrorCode? code = info is null ? null : Enum.Parse<ErrorCode>(info.Reason);
            if (info is not null) Assert.That(info.Metadata["code"], Is.EqualTo(((int)code!).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return (e.StatusCode, code, details);
        }
        Assert.Fail("the call succeeded");
        throw new InvalidOperationException();
    }

    private static Rpc.EnrolRequest WorkerEnrolment(string pin = SignerTestBed.Pin) => new()
    {
        Kind = Rpc.HolderKind.Person,
        Pin = pin,
        IdNumber = SignerTestBed.WorkerIdNumber,
    };

    [Test]
    public async Task Enrol_request_and_confirm_over_grpc()
    {
        var client = await StartAsync();
        var enrolled = await client.EnrolAsync(await _bed.AuthoriseAsync(client, WorkerEnrolment()));
        var certificate = LedgerCertificate.FromDer(enrolled.Certificate.ToByteArray());
        Assert.That(enrolled.HolderId, Is.EqualTo(certificate.PublicKey.Id.ToHex()));
        var payload = SignerGrpcService.ToProto(SignerTestBed.Statement());
        var statement = SignerGrpcService.ToProto(SignerTestBed.Statement().Statement);
        var challenge = await client.RequestSignatureAsync(new Rpc.RequestSignatureRequest { HolderId = enrolled.HolderId, Payload = payload });
        Assert.That(challenge.ChallengeId.Length, Is.EqualTo(16));
        Assert.That(challenge.Statement, Is.EqualTo(statement));
        Assert.That(challenge.StatementText, Does.Contain("GZ-2026-000001"));
        Assert.That(challenge.ExpiresAt, Is.EqualTo(_bed.Clock.GetUtcNow().AddSeconds(_bed.Config.ChallengeSeconds).ToUnixTimeMilliseconds()));

        var confirmed = await client.ConfirmSignatureAsync(new Rpc.ConfirmSignatureRequest { HolderId = enrolled.HolderId, ChallengeId = challenge.ChallengeId, Pin = SignerTestBed.Pin, Payload = payload });
        Assert.That(certificate.PublicKey.Verify(SignerTestBed.Statement().SigningMessage(), confirmed.Signature.Span), Is.True);
        var verified = await client.VerifyAsync(new Rpc.VerifyRequest { Statement = statement, Signature = confirmed.Signature, HolderId = enrolled.HolderId });
        Assert.That(verified is { Valid: true, IssuedHere: true }, Is.True);
        var fetched = await client.GetCertificateAsync(new Rpc.GetCertificateRequest { HolderId = enrolled.HolderId });
        Assert.That(fetched.Certificate, Is.EqualTo(enrolled.Certificate));
        Assert.That(fetched.IssuerCertificate.ToByteArray(), Is.EqualTo(_bed.CityCa.Certificate.Der));

        var mine = await client.ListAuditEventsAsync(new Rpc.ListAuditEventsRequest { Holder = new Rpc.HolderCredentials { HolderId = enrolled.HolderId, Pin = SignerTestBed.Pin } });
        Assert.That(mine.Events.Select(e => e.Kind), Is.EqualTo(new[] { "Enrolled", "SignatureRequested", "SignatureConfirmed" }));
        Assert.That(mine.Events[2].Client, Does.StartWith("ipv4:127.0.0.1:"), "where the confirmation came from");
        Assert.That(mine.Events[2].Sequence, Is.EqualTo(confirmed.AuditSequence));
        var all = await client.ListAuditEventsAsync(new Rpc.ListAuditEventsRequest { Bureau = new Rpc.BureauRequester() });
        Assert.That(all.Check.Intact, Is.True);
        Assert.That(all.Check.HeadSequence, Is.EqualTo(4UL), "three holder events and the bureau's read of the log, audited before the answer");
        Assert.That(all.Events.Select(e => e.Kind), Is.EqualTo(new[] { "Enrolled", "SignatureRequested", "SignatureConfirmed", "BureauListed" }));
    }

    [Test]
    public async Task Refusals_are_typed_statuses()
    {
        var client = await StartAsync(c => c with { MaxFailedPins = 2 });
        var enrolled = await client.EnrolAsync(await _bed.AuthoriseAsync(client, WorkerEnrolment()));
        var payload = SignerGrpcService.ToProto(SignerTestBed.Statement());
        var statement = SignerGrpcService.ToProto(SignerTestBed.Statement().Statement);
        var challenge = await client.RequestSignatureAsync(new Rpc.RequestSignatureRequest { HolderId = enrolled.HolderId, Payload = payload });
        Rpc.ConfirmSignatureRequest Confirm(string pin, Rpc.PayloadToSign? p = null, ByteString? id = null) =>
            new() { HolderId = enrolled.HolderId, ChallengeId = id ?? challenge.ChallengeId, Pin = pin, Payload = p ?? payload };

        var wrong = await Failure(() => client.ConfirmSignatureAsync(Confirm("999999")).ResponseAsync);
        Assert.That((wrong.Status, wrong.Code), Is.EqualTo((StatusCode.PermissionDenied, (ErrorCode?)ErrorCode.WrongPin)));
        var locked = await Failure(() => client.ConfirmSignatureAsync(Confirm("999999")).ResponseAsync);
        Assert.That((locked.Status, locked.Code), Is.EqualTo((StatusCode.PermissionDenied, (ErrorCode?)ErrorCode.KeyLocked)));
        Assert.That(locked.Details!.GetDetail<RetryInfo>().RetryDelay.ToTimeSpan(), Is.EqualTo(TimeSpan.FromSeconds(_bed.Config.LockoutSeconds)));

        var unknown = await Failure(() => client.ConfirmSignatureAsync(Confirm(SignerTestBed.Pin, id: ByteString.CopyFrom(new byte[16]))).ResponseAsync);
        Assert.That((unknown.Status, unknown.Code), Is.EqualTo((StatusCode.PermissionDenied, (ErrorCode?)ErrorCode.ChallengeUnknown)));
        var badPayload = await Failure(() => client.RequestSignatureAsync(new Rpc.RequestSignatureRequest { HolderId = enrolled.HolderId, Payload = new Rpc.PayloadToSign(payload) { Payload = ByteString.CopyFrom(payload.Payload.Span[..^1]) } }).ResponseAsync);
        Assert.That((badPayload.Status, badPayload.Code), Is.EqualTo((StatusCode.InvalidArgument, (ErrorCode?)ErrorCode.Truncated)));
        Assert.That(badPayload.Details!.GetDetail<BadRequest>().FieldViolations[0].Field, Is.EqualTo("payload.payload"));
        var notContract = await Failure(() => client.RequestSignatureAsync(new Rpc.RequestSignatureRequest { HolderId = enrolled.HolderId, Payload = new Rpc.PayloadToSign(payload) { PayloadField = 23 } }).ResponseAsync);
        Assert.That((notContract.Status, notContract.Code), Is.EqualTo((StatusCode.InvalidArgument, (ErrorCode?)ErrorCode.UnknownPayload)));
        var noHolder = await Failure(() => client.GetCertificateAsync(new Rpc.GetCertificateRequest { HolderId = new string('b', 64) }).ResponseAsync);
        Assert.That((noHolder.Status, noHolder.Code), Is.EqualTo((StatusCode.NotFound, (ErrorCode?)ErrorCode.HolderNotFound)));
        var anonymous = new Rpc.SignerService.SignerServiceClient(_channel!);
        var operatorRefused = await Failure(() => anonymous.ListAuditEventsAsync(new Rpc.ListAuditEventsRequest { Bureau = new Rpc.BureauRequester() }).ResponseAsync);
        Assert.That((operatorRefused.Status, operatorRefused.Code), Is.EqualTo((StatusCode.PermissionDenied, (ErrorCode?)ErrorCode.NotAuthorised)));

        File.WriteAllText(_bed.DataPath("holders", enrolled.HolderId + ".holder"), "{}");
        var tampered = await Failure(() => client.GetCertificateAsync(new Rpc.GetCertificateRequest { HolderId = enrolled.HolderId }).ResponseAsync);
        Assert.That((tampered.Status, tampered.Code), Is.EqualTo((StatusCode.DataLoss, (ErrorCode?)ErrorCode.KeyStoreTampered)));
    }

    [Test]
    public async Task A_client_over_its_rate_gets_resource_exhausted_until_the_bucket_refills()
    {
        var client = await StartAsync(c => c with { RateLimitPerSecond = 2, RateLimitBurst = 3 });
        var request = new Rpc.GetCertificateRequest { HolderId = new string('c', 64) };
        for (var i = 0; i < 3; i++)
            Assert.That((await Failure(() => client.GetCertificateAsync(request).ResponseAsync)).Status, Is.EqualTo(StatusCode.NotFound), $"call {i} is within the burst");
        var limited = await Failure(() => client.GetCertificateAsync(request).ResponseAsync);
        Assert.That((limited.Status, limited.Code), Is.EqualTo((StatusCode.ResourceExhausted, (ErrorCode?)ErrorCode.RateLimited)));
        Assert.That(limited.Details!.GetDetail<RetryInfo>().RetryDelay.ToTimeSpan(), Is.EqualTo(TimeSpan.FromSeconds(0.5)));
        _bed.Clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.That((await Failure(() => client.GetCertificateAsync(request).ResponseAsync)).Status, Is.EqualTo(StatusCode.NotFound), "one token back after 0.5 s at 2/s");
    }

    [Test]
    public async Task A_message_over_the_size_cap_is_refused()
    {
        var client = await StartAsync(c => c with { MaxMessageBytes = 4096 });
        var small = new Rpc.EnrolRequest { Kind = Rpc.HolderKind.Organisation, Pin = SignerTestBed.Pin, OrganisationName = new string('x', 3000), CreditCode = SignerTestBed.EmployerCode };
        var authorisedSmall = await _bed.AuthoriseAsync(client, small);
        Assert.That((await Failure(() => client.EnrolAsync(authorisedSmall).ResponseAsync)).Code, Is.EqualTo(ErrorCode.InvalidCertificate), "under the cap it reaches the service (and the name is too long for a certificate)");
        var large = new Rpc.EnrolRequest { Kind = Rpc.HolderKind.Organisation, Pin = SignerTestBed.Pin, OrganisationName = new string('x', 4200), CreditCode = SignerTestBed.EmployerCode };   // with its authorisation, above 4 KiB and under the body limit
        var authorisedLarge = await _bed.AuthoriseAsync(client, large);
        Assert.That((await Failure(() => client.EnrolAsync(authorisedLarge).ResponseAsync)).Status, Is.EqualTo(StatusCode.ResourceExhausted));
        Assert.That(Directory.GetFiles(_bed.DataPath("holders")), Is.Empty);
    }

    [Test]
    public async Task A_call_past_the_server_deadline_is_cut_off()
    {
        var client = await StartAsync(c => c with { CallTimeoutSeconds = 1 });
        await client.EnrolAsync(await _bed.AuthoriseAsync(client, WorkerEnrolment()));
        await _host!.Service.AnchorOnceAsync(CancellationToken.None);
        _bed.Ledger.ReadDelay = TimeSpan.FromSeconds(10);
        var started = DateTime.UtcNow;
        var slow = await Failure(() => client.ListAuditEventsAsync(new Rpc.ListAuditEventsRequest { Bureau = new Rpc.BureauRequester() }).ResponseAsync);
        Assert.That(slow.Status, Is.EqualTo(StatusCode.DeadlineExceeded));
        Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(8)));
    }

    [Test]
    public async Task No_pin_or_key_material_leaves_the_service()
    {
        const string pin = "p1n-Секрет-8642";
        var client = await StartAsync();
        var responses = new List<byte[]>();
        var enrolled = await client.EnrolAsync(await _bed.AuthoriseAsync(client, WorkerEnrolment(pin)));
        responses.Add(enrolled.ToByteArray());
        var payload = SignerGrpcService.ToProto(SignerTestBed.Statement());
        var statement = SignerGrpcService.ToProto(SignerTestBed.Statement().Statement);
        var challenge = await client.RequestSignatureAsync(new Rpc.RequestSignatureRequest { HolderId = enrolled.HolderId, Payload = payload });
        responses.Add(challenge.ToByteArray());
        await Failure(() => client.ConfirmSignatureAsync(new Rpc.ConfirmSignatureRequest { HolderId = enrolled.HolderId, ChallengeId = challenge.ChallengeId, Pin = pin + "x", Payload = payload }).ResponseAsync);
        var confirmed = await client.ConfirmSignatureAsync(new Rpc.ConfirmSignatureRequest { HolderId = enrolled.HolderId, ChallengeId = challenge.ChallengeId, Pin = pin, Payload = payload });
        responses.Add(confirmed.ToByteArray());
        responses.Add((await client.ListAuditEventsAsync(new Rpc.ListAuditEventsRequest { Holder = new Rpc.HolderCredentials { HolderId = enrolled.HolderId, Pin = pin } })).ToByteArray());
        responses.Add((await client.ListAuditEventsAsync(new Rpc.ListAuditEventsRequest { Bureau = new Rpc.BureauRequester() })).ToByteArray());

        // The holder's private scalar, recovered here only to look for it.
        var store = new Keys.HolderKeyStore(_bed.DataPath(), Convert.FromHexString(File.ReadAllText(Path.Combine(_bed.Directory.FullName, "kek")).Trim()), KeyFileOptions.ForTests);
        using var key = store.Unlock(enrolled.HolderId, pin);
        var der = Convert.FromBase64String(string.Concat(key.ToPkcs8Pem().Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
        var scalar = ECPrivateKeyStructure.GetInstance(PrivateKeyInfo.GetInstance(der).ParsePrivateKey()).GetKey().ToByteArrayUnsigned();
        var scalarHex = Convert.ToHexStringLower(scalar);

        var pinBytes = System.Text.Encoding.UTF8.GetBytes(pin);
        foreach (var response in responses)
        {
            Assert.That(Contains(response, pinBytes), Is.False, "a response carries the PIN");
            Assert.That(Contains(response, scalar), Is.False, "a response carries the private key");
        }
        var logText = string.Join('\n', _logs.Lines);
        Assert.That(_logs.Lines, Is.Not.Empty, "the service logs (so the check below can fail)");
        Assert.That(logText, Does.Not.Contain(pin));
        Assert.That(logText, Does.Not.Contain(scalarHex).IgnoreCase);
        foreach (var file in Directory.EnumerateFiles(_bed.DataPath(), "*", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(file);
            Assert.That(Contains(bytes, pinBytes) || Contains(bytes, scalar) || System.Text.Encoding.UTF8.GetString(bytes).Contains(scalarHex, StringComparison.OrdinalIgnoreCase), Is.False, file);
        }
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    /// <summary>Every log line the host writes, at every level.</summary>
    private sealed class CollectingLogs : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CollectingLogs owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Lines.Enqueue($"{category} {logLevel} {formatter(state, exception)} {exception}");
        }
    }
}
