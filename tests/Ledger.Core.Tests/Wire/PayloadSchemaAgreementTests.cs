using Google.Protobuf;
using Ledger.Core.Access;
using Ledger.Core.Audit;
using Ledger.Core.Revocation;
using Ledger.Core.Contracts;
using Ledger.Core.Transactions;
using Ledger.TestKit;
using Schema = Ledger.Proto.V1;

namespace Ledger.Core.Tests.Wire;

/// <summary>
/// Every payload codec in Core against Google.Protobuf's code generated from proto/ledger/v1/contract.proto and
/// tx.proto: the same values give the same bytes both ways (schema-built message → Core decodes it to the same
/// payload; Core's encoding → Google.Protobuf parses and re-writes it unchanged), so an integrator in any language
/// who follows the schema builds exactly the bytes the chain signs and hashes.
/// </summary>
public class PayloadSchemaAgreementTests
{
    private static IEnumerable<int> Seeds => Enumerable.Range(0, 60);

    [TestCaseSource(nameof(Seeds))]
    public void Register_contract_agrees_with_the_schema(int seed)
    {
        var g = new PayloadGenerator(seed);
        var payload = new RegisterPayload
        {
            ContractId = g.Id(), DocumentHash = g.Hash(), DocumentFormat = g.Enum<DocumentFormat>(), EmployerCreditCode = g.Id(),
            WorkerPseudonym = g.Hash(), Terms = g.Terms(),
        };
        var schema = new Schema.RegisterContract
        {
            ContractId = payload.ContractId, DocumentHash = Bytes(payload.DocumentHash), DocumentFormat = (Schema.DocumentFormat)payload.DocumentFormat,
            EmployerCreditCode = payload.EmployerCreditCode, WorkerPseudonym = Bytes(payload.WorkerPseudonym), Terms = Terms(payload.Terms),
        };
        AssertAgreement(payload, schema, Schema.RegisterContract.Parser, RegisterPayload.Decode);
    }

    [TestCaseSource(nameof(Seeds))]
    public void Sign_contract_agrees_with_the_schema(int seed)
    {
        var g = new PayloadGenerator(seed);
        var payload = new SignPayload { ContractId = g.Id(), Version = g.Version(), DocumentHash = g.Hash() };
        var schema = new Schema.SignContract { ContractId = payload.ContractId, Version = payload.Version, DocumentHash = Bytes(payload.DocumentHash) };
        AssertAgreement(payload, schema, Schema.SignContract.Parser, SignPayload.Decode);
    }

    [TestCaseSource(nameof(Seeds))]
    public void Change_and_renew_agree_with_the_schema(int seed)
    {
        var g = new PayloadGenerator(seed);
        var change = new ChangePayload { ContractId = g.Id(), BaseVersion = g.Version(), DocumentHash = g.Hash(), DocumentFormat = g.Enum<DocumentFormat>(), Terms = g.Terms() };
        var changeSchema = new Schema.ChangeContract
        {
            ContractId = change.ContractId, BaseVersion = change.BaseVersion, DocumentHash = Bytes(change.DocumentHash),
            DocumentFormat = (Schema.DocumentFormat)change.DocumentFormat, Terms = Terms(change.Terms),
        };
        AssertAgreement(change, changeSchema, Schema.ChangeContract.Parser, ChangePayload.Decode);

        var renew = new RenewPayload { ContractId = g.Id(), BaseVersion = g.Version(), DocumentHash = g.Hash(), DocumentFormat = g.Enum<DocumentFormat>(), Terms = g.Terms() };
        var renewSchema = new Schema.RenewContract
        {
            ContractId = renew.ContractId, BaseVersion = renew.BaseVersion, DocumentHash = Bytes(renew.DocumentHash),
            DocumentFormat = (Schema.DocumentFormat)renew.DocumentFormat, Terms = Terms(renew.Terms),
        };
        AssertAgreement(renew, renewSchema, Schema.RenewContract.Parser, RenewPayload.Decode);
    }

    [TestCaseSource(nameof(Seeds))]
    public void Dissolve_and_terminate_agree_with_the_schema(int seed)
    {
        var g = new PayloadGenerator(seed);
        var dissolve = new DissolvePayload { ContractId = g.Id(), Version = g.Version(), DocumentHash = g.Hash(), Basis = g.Enum<DissolutionBasis>(), EffectiveDate = g.Date(), ProposedBy = (Proposer)(seed % 3) };
        var dissolveSchema = new Schema.DissolveContract
        {
            ContractId = dissolve.ContractId, Version = dissolve.Version, DocumentHash = Bytes(dissolve.DocumentHash),
            Basis = (Schema.DissolutionBasis)dissolve.Basis, EffectiveDate = dissolve.EffectiveDate.ToNumber(), ProposedBy = (Schema.Proposer)dissolve.ProposedBy,
        };
        AssertAgreement(dissolve, dissolveSchema, Schema.DissolveContract.Parser, DissolvePayload.Decode);

        var terminate = new TerminatePayload { ContractId = g.Id(), Version = g.Version(), DocumentHash = g.Hash(), Reason = g.Enum<TerminationReason>(), EffectiveDate = g.Date() };
        var terminateSchema = new Schema.TerminateContract
        {
            ContractId = terminate.ContractId, Version = terminate.Version, DocumentHash = Bytes(terminate.DocumentHash),
            Reason = (Schema.TerminationReason)terminate.Reason, EffectiveDate = terminate.EffectiveDate.ToNumber(),
        };
        AssertAgreement(terminate, terminateSchema, Schema.TerminateContract.Parser, TerminatePayload.Decode);
    }

    [TestCaseSource(nameof(Seeds))]
    public void Upload_paper_contract_agrees_with_the_schema(int seed)
    {
        var g = new PayloadGenerator(seed);
        var payload = new UploadPaperPayload
        {
            ContractId = g.Id(), ScanHash = g.Hash(), ScanFormat = g.Enum<DocumentFormat>(), EmployerCreditCode = g.Id(), WorkerPseudonym = g.Hash(),
            Terms = g.Terms(), PaperSignedOn = g.Date(), AttestationReference = g.OptionalId(),
        };
        var schema = new Schema.UploadPaperContract
        {
            ContractId = payload.ContractId, ScanHash = Bytes(payload.ScanHash), ScanFormat = (Schema.DocumentFormat)payload.ScanFormat,
            EmployerCreditCode = payload.EmployerCreditCode, WorkerPseudonym = Bytes(payload.WorkerPseudonym), Terms = Terms(payload.Terms),
            PaperSignedOn = payload.PaperSignedOn.ToNumber(), AttestationReference = payload.AttestationReference ?? "",
        };
        AssertAgreement(payload, schema, Schema.UploadPaperContract.Parser, UploadPaperPayload.Decode);
    }

    [TestCaseSource(nameof(Seeds))]
    public void Confirm_paper_contract_agrees_with_the_schema(int seed)
    {
        var g = new PayloadGenerator(seed);
        var payload = new ConfirmPaperPayload { ContractId = g.Id(), ScanHash = g.Hash(), AttestationReference = g.OptionalId() };
        var schema = new Schema.ConfirmPaperContract { ContractId = payload.ContractId, ScanHash = Bytes(payload.ScanHash), AttestationReference = payload.AttestationReference ?? "" };
        AssertAgreement(payload, schema, Schema.ConfirmPaperContract.Parser, ConfirmPaperPayload.Decode);
        var body = ContractPayloads.CreateBody(payload, "gd", 7, 1_700_000_000_000, g.Hash());
        var schemaBody = new Schema.TxBody
        {
            ChainId = "gd", Nonce = 7, ExpiresAt = 1_700_000_000_000, Submitter = Bytes(body.Submitter),
            Endorsers = { new Schema.TxEndorser { Signer = Bytes(body.Submitter), Scope = Schema.EndorsementScope.Body } },
            ConfirmPaperContract = schema,
        };
        Assert.That(schemaBody.ToByteArray(), Is.EqualTo(body.Encode()), "field 25 of the oneof");
    }

    [TestCaseSource(nameof(Seeds))]
    public void Audit_anchor_body_agrees_with_the_schema(int seed)
    {
        var g = new PayloadGenerator(seed);
        var anchor = new AuditAnchorPayload { Sequence = (ulong)g.Random.NextInt64(1, long.MaxValue), HeadHash = g.Hash() };
        var schema = new Schema.AuditAnchor { Sequence = anchor.Sequence, HeadHash = Bytes(anchor.HeadHash) };
        Assert.That(schema.ToByteArray(), Is.EqualTo(anchor.Encode()));
        Assert.That(AuditAnchorPayload.Decode(schema.ToByteArray()), Is.EqualTo(anchor));
        var body = anchor.CreateBody("gd", 9, 1_700_000_000_000, g.Hash());
        var schemaBody = new Schema.TxBody
        {
            ChainId = "gd", Nonce = 9, ExpiresAt = 1_700_000_000_000, Submitter = Bytes(body.Submitter),
            Endorsers = { new Schema.TxEndorser { Signer = Bytes(body.Submitter), Scope = Schema.EndorsementScope.Body } },
            AuditAnchor = schema,
        };
        Assert.That(schemaBody.ToByteArray(), Is.EqualTo(body.Encode()));
    }

    [TestCaseSource(nameof(Seeds))]
    public void External_anchor_body_agrees_with_the_schema(int seed)
    {
        var g = new PayloadGenerator(seed);
        var contract = new byte[20];
        g.Random.NextBytes(contract);
        var anchor = new Ledger.Core.Anchoring.ExternalAnchorPayload
        {
            Height = (ulong)g.Random.NextInt64(1, long.MaxValue), BlockHash = g.Hash(), EvmChainId = (ulong)g.Random.NextInt64(1, long.MaxValue),
            Contract = contract, TxHash = g.Hash(), ExternalBlock = (ulong)g.Random.NextInt64(1, long.MaxValue), ExternalBlockHash = g.Hash(),
            ExternalTime = g.Random.NextInt64(1, long.MaxValue),
        };
        var schema = new Schema.ExternalAnchor
        {
            Height = anchor.Height, BlockHash = Bytes(anchor.BlockHash), EvmChainId = anchor.EvmChainId, Contract = ByteString.CopyFrom(contract),
            TxHash = Bytes(anchor.TxHash), ExternalBlock = anchor.ExternalBlock, ExternalBlockHash = Bytes(anchor.ExternalBlockHash), ExternalTime = anchor.ExternalTime,
        };
        Assert.That(schema.ToByteArray(), Is.EqualTo(anchor.Encode()));
        Assert.That(Ledger.Core.Anchoring.ExternalAnchorPayload.Decode(schema.ToByteArray()), Is.EqualTo(anchor));
        var body = anchor.CreateBody("gd", 9, 1_700_000_000_000, g.Hash());
        var schemaBody = new Schema.TxBody
        {
            ChainId = "gd", Nonce = 9, ExpiresAt = 1_700_000_000_000, Submitter = Bytes(body.Submitter),
            Endorsers = { new Schema.TxEndorser { Signer = Bytes(body.Submitter), Scope = Schema.EndorsementScope.Body } },
            ExternalAnchor = schema,
        };
        Assert.That(schemaBody.ToByteArray(), Is.EqualTo(body.Encode()));

        // A contract that is not an address, and missing fields, are typed refusals.
        var shortAddress = schema.Clone();
        shortAddress.Contract = ByteString.CopyFrom(contract, 0, 19);
        Assert.That(Assert.Throws<LedgerException>(() => Ledger.Core.Anchoring.ExternalAnchorPayload.Decode(shortAddress.ToByteArray()))!.Code, Is.EqualTo(ErrorCode.InvalidFieldValue));
        var noTx = schema.Clone();
        noTx.TxHash = ByteString.Empty;
        Assert.That(Assert.Throws<LedgerException>(() => Ledger.Core.Anchoring.ExternalAnchorPayload.Decode(noTx.ToByteArray()))!.Code, Is.EqualTo(ErrorCode.MissingField));
    }

    [TestCaseSource(nameof(Seeds))]
    public void Paper_batch_parts_and_seals_agree_with_the_schema(int seed)
    {
        var g = new PayloadGenerator(seed);
        var leaves = Enumerable.Range(0, 3).Select(i => new PaperBatchLeaf(g.Hash(), $"GZ-{seed}-{i}", i == 0 ? EvidenceGrade.ElectronicSignature : EvidenceGrade.PaperScan)).ToArray();
        var part = new PaperBatchPart { Root = g.Hash(), DocumentCount = 1024 + 3, Index = 1, Leaves = leaves };
        var schemaPart = new Schema.UploadPaperBatch
        {
            Part = new Schema.PaperBatchPart
            {
                Root = Bytes(part.Root), DocumentCount = 1027, Index = 1,
                Leaves = { leaves.Select(l => new Schema.PaperBatchLeaf { DocumentHash = Bytes(l.DocumentHash), ContractId = l.ContractId, Grade = (uint)l.Grade }) },
            },
        };
        Assert.That(schemaPart.ToByteArray(), Is.EqualTo(part.Encode()));
        var decoded = (PaperBatchPart)UploadPaperBatchPayload.Decode(schemaPart.ToByteArray());
        Assert.That(decoded.Leaves, Is.EqualTo(leaves));
        Assert.That(decoded.Root, Is.EqualTo(part.Root));

        var seal = new PaperBatchSeal { Root = g.Hash(), DocumentCount = 100_000, ManifestDigest = g.Hash() };
        var schemaSeal = new Schema.UploadPaperBatch { Seal = new Schema.PaperBatchSeal { Root = Bytes(seal.Root), DocumentCount = 100_000, ManifestDigest = Bytes(seal.ManifestDigest) } };
        Assert.That(schemaSeal.ToByteArray(), Is.EqualTo(seal.Encode()));
        Assert.That(UploadPaperBatchPayload.Decode(schemaSeal.ToByteArray()), Is.EqualTo(seal));
        var body = seal.CreateBody("gd", 9, 1_700_000_000_000, g.Hash());
        var schemaBody = new Schema.TxBody
        {
            ChainId = "gd", Nonce = 9, ExpiresAt = 1_700_000_000_000, Submitter = Bytes(body.Submitter),
            Endorsers = { new Schema.TxEndorser { Signer = Bytes(body.Submitter), Scope = Schema.EndorsementScope.Body } },
            UploadPaperBatch = schemaSeal,
        };
        Assert.That(schemaBody.ToByteArray(), Is.EqualTo(body.Encode()));

        // Refusals: a part with too few leaves for its place, more than 100,000 documents, a part and a seal at once.
        Assert.That(Assert.Throws<LedgerException>(() => UploadPaperBatchPayload.Decode(new PaperBatchPart { Root = part.Root, DocumentCount = 5000, Index = 1, Leaves = leaves }.Encode()))!.Code,
            Is.EqualTo(ErrorCode.InvalidPaperBatch));
        var tooMany = schemaSeal.Clone();
        tooMany.Seal.DocumentCount = 100_001;
        Assert.That(Assert.Throws<LedgerException>(() => UploadPaperBatchPayload.Decode(tooMany.ToByteArray()))!.Code, Is.EqualTo(ErrorCode.InvalidPaperBatch));
        byte[] both = [.. schemaPart.ToByteArray(), .. schemaSeal.ToByteArray()];
        Assert.That(() => UploadPaperBatchPayload.Decode(both), Throws.InstanceOf<LedgerException>());
    }

    [Test]
    public void Every_payload_field_of_the_schema_is_a_payload_core_decodes()
    {
        // The TxBody oneof in tx.proto names exactly the payload fields Core knows, with the same numbers.
        var oneof = Schema.TxBody.Descriptor.Oneofs.Single(o => o.Name == "payload");
        var numbers = oneof.Fields.Select(f => f.FieldNumber).Order().ToArray();
        Assert.That(numbers, Is.EqualTo(new[]
        {
            ContractPayloads.RegisterField, ContractPayloads.SignField, ContractPayloads.ChangeField, ContractPayloads.RenewField,
            ContractPayloads.DissolveField, ContractPayloads.TerminateField, ContractPayloads.UploadPaperField, AuditAnchorPayload.Field,
            UploadPaperBatchPayload.Field, ContractPayloads.ConfirmPaperField, PublishCrlPayload.Field,
            AccessPayloads.AccessRecordField, AccessPayloads.AccessGrantField, AccessPayloads.GrantRevocationField,
            Ledger.Core.Anchoring.ExternalAnchorPayload.Field,
        }));
    }

    [TestCaseSource(nameof(Seeds))]
    public void Access_payloads_agree_with_the_schema(int seed)
    {
        var g = new PayloadGenerator(seed);
        var consent = seed % 2 == 0;
        var record = consent
            ? new AccessRecordPayload { ContractId = g.Id(), Basis = AccessBasis.WorkerConsent, GrantId = g.Hash(), OnBehalfOf = seed % 3 == 0 ? g.Id() : "" }
            : new AccessRecordPayload { ContractId = g.Id(), Basis = (AccessBasis)(1 + seed % 3), Reference = "(2026)粤0106民初" + seed + "号", OnBehalfOf = seed % 3 == 0 ? g.Id() : "" };
        var recordSchema = new Schema.AccessRecord
        {
            ContractId = record.ContractId, Basis = (uint)record.Basis, Reference = record.Reference, OnBehalfOf = record.OnBehalfOf,
            GrantId = record.GrantId is { } grant ? Bytes(grant) : ByteString.Empty,
        };
        AssertAccessAgreement(record.Encode(), recordSchema, AccessPayloads.AccessRecordField, b => Assert.That(AccessRecordPayload.Decode(b), Is.EqualTo(record)));

        var grantPayload = consent
            ? new AccessGrantPayload { Kind = GrantKind.WorkerConsent, ContractId = g.Id(), Grantee = g.Hash(), Purpose = "housing loan " + seed, NotAfter = 1_700_000_000_000 + seed }
            : new AccessGrantPayload { Kind = GrantKind.IntegratorDelegation, Grantee = g.Hash(), NotAfter = 1_800_000_000_000 + seed };
        var grantSchema = new Schema.AccessGrant
        {
            Kind = (uint)grantPayload.Kind, ContractId = grantPayload.ContractId, Grantee = Bytes(grantPayload.Grantee), Purpose = grantPayload.Purpose, NotAfter = grantPayload.NotAfter,
        };
        AssertAccessAgreement(grantPayload.Encode(), grantSchema, AccessPayloads.AccessGrantField, b => Assert.That(AccessGrantPayload.Decode(b), Is.EqualTo(grantPayload)));

        var revocation = new GrantRevocationPayload { GrantId = g.Hash() };
        AssertAccessAgreement(revocation.Encode(), new Schema.GrantRevocation { GrantId = Bytes(revocation.GrantId) }, AccessPayloads.GrantRevocationField,
            b => Assert.That(GrantRevocationPayload.Decode(b), Is.EqualTo(revocation)));
    }

    private static void AssertAccessAgreement(byte[] core, IMessage schema, int field, Action<byte[]> decodesBack)
    {
        Assert.That(schema.ToByteArray(), Is.EqualTo(core), "Google.Protobuf writes the schema message as Core writes the payload");
        decodesBack(schema.ToByteArray());
        var body = AccessPayloads.CreateBody(field, core, "gd-devnet", 42, 1_700_000_000_000, new Hash32(Enumerable.Repeat((byte)7, 32).ToArray()));
        var schemaBody = new Schema.TxBody
        {
            ChainId = body.ChainId, Nonce = body.Nonce, ExpiresAt = body.ExpiresAt, Submitter = Bytes(body.Submitter),
            Endorsers = { new Schema.TxEndorser { Signer = Bytes(body.Submitter), Scope = Schema.EndorsementScope.Body } },
        };
        Schema.TxBody.Descriptor.FindFieldByNumber(field).Accessor.SetValue(schemaBody, schema);
        Assert.That(schemaBody.ToByteArray(), Is.EqualTo(body.Encode()), "the TxBody carrying the payload is the same too");
    }

    [TestCaseSource(nameof(Seeds))]
    public void Crl_publication_and_revocation_record_agree_with_the_schema(int seed)
    {
        var g = new PayloadGenerator(seed);
        var crl = new byte[g.Random.Next(1, 4096)];
        g.Random.NextBytes(crl);
        var payload = new PublishCrlPayload { Crl = crl };
        var schema = new Schema.PublishCrl { Crl = ByteString.CopyFrom(crl) };
        Assert.That(schema.ToByteArray(), Is.EqualTo(payload.Encode()));
        Assert.That(PublishCrlPayload.Decode(schema.ToByteArray()).Crl.ToArray(), Is.EqualTo(crl));
        var body = payload.CreateBody("gd", 7, 1_700_000_000_000, g.Hash());
        var schemaBody = new Schema.TxBody
        {
            ChainId = "gd", Nonce = 7, ExpiresAt = 1_700_000_000_000, Submitter = Bytes(body.Submitter),
            Endorsers = { new Schema.TxEndorser { Signer = Bytes(body.Submitter), Scope = Schema.EndorsementScope.Body } },
            PublishCrl = schema,
        };
        Assert.That(schemaBody.ToByteArray(), Is.EqualTo(body.Encode()));

        var record = new RevocationRecord((ulong)g.Random.NextInt64(1, long.MaxValue), (uint)g.Random.Next(0, 20_000), g.Hash(), g.Random.NextInt64(1, long.MaxValue));
        var schemaRecord = new Schema.RevocationRecord { Height = record.Height, TxIndex = record.TxIndex, TxId = Bytes(record.TxId), RevokedAt = record.RevokedAt };
        Assert.That(schemaRecord.ToByteArray(), Is.EqualTo(record.Encode()));
        Assert.That(RevocationRecord.Decode(schemaRecord.ToByteArray()), Is.EqualTo(record));
    }

    [TestCase(typeof(DocumentFormat), "ledger.v1.DocumentFormat")]
    [TestCase(typeof(ContractType), "ledger.v1.ContractType")]
    [TestCase(typeof(DissolutionBasis), "ledger.v1.DissolutionBasis")]
    [TestCase(typeof(Proposer), "ledger.v1.Proposer")]
    [TestCase(typeof(TerminationReason), "ledger.v1.TerminationReason")]
    [TestCase(typeof(ContractAction), "ledger.v1.ContractAction")]
    [TestCase(typeof(EndorsementScope), "ledger.v1.EndorsementScope")]
    public void Schema_enums_have_the_values_of_core(Type coreEnum, string schemaEnum)
    {
        var descriptor = Schema.ContractReflection.Descriptor.EnumTypes.Concat(Schema.TxReflection.Descriptor.EnumTypes).Single(e => e.FullName == schemaEnum);
        var core = Enum.GetValues(coreEnum).Cast<object>().Select(Convert.ToInt32).Order().ToArray();
        Assert.That(descriptor.Values.Select(v => v.Number).Order().ToArray(), Is.EqualTo(core));
    }

    private static void AssertAgreement<TPayload, TSchema>(TPayload payload, TSchema schema, MessageParser<TSchema> parser, Decoder<TPayload> decode)
        where TPayload : IContractPayload
        where TSchema : IMessage<TSchema>
    {
        var core = payload.Encode();
        Assert.That(schema.ToByteArray(), Is.EqualTo(core), "Google.Protobuf writes the schema message as Core writes the payload");
        Assert.That(decode(schema.ToByteArray()), Is.EqualTo(payload), "Core decodes what Google.Protobuf wrote to the same payload");
        Assert.That(parser.ParseFrom(core).ToByteArray(), Is.EqualTo(core), "Google.Protobuf parses Core's bytes and writes them back unchanged");

        var body = ContractPayloads.CreateBody(payload, "gd-devnet", 42, 1_700_000_000_000, new Hash32(Enumerable.Repeat((byte)7, 32).ToArray()));
        var schemaBody = new Schema.TxBody
        {
            ChainId = body.ChainId, Nonce = body.Nonce, ExpiresAt = body.ExpiresAt, Submitter = Bytes(body.Submitter),
            Endorsers = { new Schema.TxEndorser { Signer = Bytes(body.Submitter), Scope = Schema.EndorsementScope.Body } },
        };
        Schema.TxBody.Descriptor.FindFieldByNumber(payload.PayloadField).Accessor.SetValue(schemaBody, schema);
        Assert.That(schemaBody.ToByteArray(), Is.EqualTo(body.Encode()), "the TxBody carrying the payload is the same too");
        Assert.That(ContractPayloads.Decode(TxBody.Decode(schemaBody.ToByteArray())), Is.EqualTo(payload));
    }

    private delegate TPayload Decoder<out TPayload>(ReadOnlySpan<byte> bytes);

    private static ByteString Bytes(Hash32 hash) => ByteString.CopyFrom(hash.ToArray());

    private static Schema.ContractTerms Terms(ContractTerms t) => new()
    {
        Type = (Schema.ContractType)t.Type,
        Start = t.Start.ToNumber(),
        End = t.End?.ToNumber() ?? 0,
        ProbationEnd = t.ProbationEnd?.ToNumber() ?? 0,
        PlaceOfWork = t.PlaceOfWork,
        Industry = t.Industry,
        ModelTextId = t.ModelTextId ?? "",
    };

    /// <summary>Random values Core's decoders accept (required fields set, enums named, real dates).</summary>
    private sealed class PayloadGenerator(int seed)
    {
        private readonly RandomFormats _formats = new(seed);

        public Random Random => _formats.Random;

        public string Id() => _formats.Text(30);

        public string? OptionalId() => Random.Next(2) == 0 ? null : Id();

        public Hash32 Hash() => _formats.Hash();

        public uint Version() => Random.Next(3) switch { 0 => 1, 1 => (uint)Random.Next(2, 200), _ => (uint)Random.NextInt64(1, uint.MaxValue) };

        public ContractDate Date() => ContractDate.Create(Random.Next(ContractDate.MinYear, ContractDate.MaxYear + 1), Random.Next(1, 13), Random.Next(1, 29));

        public TEnum Enum<TEnum>() where TEnum : struct, System.Enum
        {
            var values = System.Enum.GetValues<TEnum>().Where(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture) != 0).ToArray();
            return values[Random.Next(values.Length)];
        }

        public ContractTerms Terms() => new()
        {
            Type = Enum<ContractType>(),
            Start = Date(),
            End = Random.Next(2) == 0 ? null : Date(),
            ProbationEnd = Random.Next(2) == 0 ? null : Date(),
            PlaceOfWork = Id(),
            Industry = Id(),
            ModelTextId = OptionalId(),
        };
    }
}
