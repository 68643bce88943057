using System.Globalization;
using Ledger.Client;
using Ledger.Client.Access;
using Ledger.Core;
using Ledger.Core.Access;
using Ledger.Core.Contracts;
using Ledger.Core.Evidence;
using Ledger.Explorer.Feed;
using Ledger.Explorer.Staff;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Ledger.Explorer.Api;

/// <summary>
/// The JSON API under <c>/api</c> (README "Explorer"): every answer comes from the node over gRPC, decoded and checked
/// by Ledger.Core; proofs are verified here, by <see cref="Client.Evidence.EvidenceVerifier"/>, against a trust anchor the
/// node did not supply. Two modes: the public one (verify a file or hash — anchored or not, when, status — block headers,
/// validators' health; nothing about people) and signed-in staff of a court, arbitration board, inspectorate or bureau
/// (accounts from <see cref="ExplorerOptions.AccountsPath"/>), who read transactions and contracts for the case they
/// signed in with: before any of it is shown, an AccessRecord (the case number, on behalf of the account) is committed on
/// chain, signed by the operator's certificate. Sensitive dissolution bases are shown to legal authority only.
/// </summary>
internal sealed class ExplorerApi(LedgerClient client, BlockFeed feed, TrustAnchor? trust, ExplorerOptions options, StaffAccounts accounts, StaffSessions sessions)
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    private readonly ApiViews _views = new(trust);
    private readonly SignInThrottle _throttle = new();
    private readonly Workers.WorkerSessions _workers = new();

    public void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/overview", (Delegate)((HttpContext c) => WithNode(c, Overview)));
        api.MapGet("/blocks/{id}", (HttpContext c, string id) => WithNode(c, () => Block(c, id)));
        api.MapGet("/anchors/{height}", (HttpContext c, string height) => WithNode(c, () => ExternalAnchor(height)));
        api.MapGet("/tx/{id}", (HttpContext c, string id) => WithNode(c, () => Transaction(c, id)));
        api.MapGet("/tx/{id}/proof", (HttpContext c, string id) => WithNode(c, () => ProofDownload(c, id)));
        api.MapGet("/tx/{id}/report.pdf", (HttpContext c, string id) => WithNode(c, () => ReportDownload(c, id)));
        api.MapGet("/tx/{id}/evidence", (HttpContext c, string id) => WithNode(c, () => Evidence(c, id)));
        api.MapGet("/contracts/{id}", (HttpContext c, string id) => WithNode(c, () => Contract(c, id)));
        api.MapGet("/contracts/{id}/report.pdf", (HttpContext c, string id) => WithNode(c, () => ContractReportDownload(c, id)));
        api.MapGet("/documents/{hash}", (HttpContext c, string hash) => WithNode(c, () => Document(c, hash)));
        api.MapGet("/search", (HttpContext c, string? q) => WithNode(c, () => Search(c, q)));
        api.MapGet("/genesis", Genesis);
        api.MapPost("/session", (Delegate)SignIn);
        api.MapGet("/session", (HttpContext c) => WhoAmI(c));
        api.MapDelete("/session", (HttpContext c) => SignOut(c));
        api.MapPost("/proof/verify", (Delegate)VerifyProof);
        api.MapPost("/worker/challenge", (HttpContext c) => WorkerChallenge(c));
        api.MapPost("/worker/session", (Delegate)((HttpContext c) => WithNode(c, () => WorkerSignIn(c))));
        api.MapDelete("/worker/session", (HttpContext c) => WorkerSignOut(c));
        api.MapGet("/worker/access", (Delegate)((HttpContext c) => WithNode(c, () => WorkerAccess(c))));
        api.MapGet("/events", Events);
        api.Map("/{**rest}", () => ApiError.NotFound("no such API; see the README's Explorer section"));
    }

    private static async Task<IResult> WithNode(HttpContext context, Func<Task<IResult>> handler)
    {
        HttpCaching.NoCache(context);
        try
        {
            return await handler();
        }
        catch (LedgerClientException e)
        {
            context.Response.Headers.Remove("ETag");
            HttpCaching.NoCache(context);
            return ApiError.FromNode(e);
        }
        catch (LedgerException e)
        {
            // The node sent bytes Ledger.Core refuses: say so, show nothing of it.
            HttpCaching.NoCache(context);
            return ApiError.Of(StatusCodes.Status502BadGateway, "bad_node_answer", $"the node's answer does not decode: {e.Message}");
        }
    }

    private async Task<IResult> Overview()
    {
        var info = await client.GetChainInfoAsync();
        var recent = feed.Recent().Where(b => b.Height > 0).ToArray();
        if (trust is not null && recent.FirstOrDefault(b => b.Sealers.Any(id => !_views.Knows(id))) is { } unnamed
            && await client.GetBlockAsync(unnamed.Height) is { } sealedByUnnamed)
            await LearnValidatorsAsync(sealedByUnnamed);
        // Genesis's validators, then those voted in later that sealed a recent block.
        IEnumerable<(Hash32 Id, string? Name, string? Division, string? Bureau)> validators = trust is not null
            ? trust.Validators.Select(v => (v.CertificateId, (string?)v.Name, (string?)v.Division, v.Bureau))
                .Concat(_views.Added.Where(v => recent.Any(b => b.Sealers.Contains(v.CertificateId))).Select(v => (v.CertificateId, (string?)v.Name, (string?)v.Division, v.Bureau)))
            : recent.SelectMany(b => b.Sealers).Distinct().Order().Select(id => (id, (string?)null, (string?)null, (string?)null));
        var validatorViews = validators.Select(v =>
        {
            var sealedCount = recent.Count(b => b.Sealers.Contains(v.Id));
            var lastSeen = recent.FirstOrDefault(b => b.Sealers.Contains(v.Id))?.Time;
            return new
            {
                certificateId = v.Id.ToHex(),
                name = v.Name,
                bureau = v.Bureau,
                division = v.Division,
                lastSeen,
                seals = sealedCount,
                share = recent.Length == 0 ? 0 : Math.Round((double)sealedCount / recent.Length, 4),
            };
        }).ToArray();
        double? txRate = null;
        if (recent.Length >= 2)
        {
            var seconds = (recent[0].Time - recent[^1].Time).TotalSeconds;
            if (seconds > 0) txRate = Math.Round(recent[..^1].Sum(b => b.TxCount) / seconds, 2);
        }
        return Results.Json(new
        {
            chainId = info.ChainId,
            nodeName = info.NodeName,
            height = info.Height,
            headHash = info.HeadHash.ToHex(),
            headTime = info.HeadTime,
            totalTransactions = info.TotalTransactions,
            mempool = new { count = info.MempoolCount, bytes = info.MempoolBytes },
            validatorCount = info.Validators,
            window = recent.Length,
            txRate,
            validators = validatorViews,
            recentBlocks = recent.Take(12).Select(b => new { height = b.Height, hash = b.Hash.ToHex(), time = b.Time, txCount = b.TxCount, seals = b.Sealers.Count, proposer = _views.Validator(b.Proposer) }),
            trustAnchor = TrustView("configured"),
            live = feed.NodeReachable,
        }, ExplorerJson.Options);
    }

    private async Task<IResult> Block(HttpContext context, string id)
    {
        Core.Blocks.Block? block;
        bool byHash;
        if (ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var height))
        {
            byHash = false;
            block = await client.GetBlockAsync(height);
        }
        else if (Hash32.TryParse(id, out var hash))
        {
            byHash = true;
            block = await client.GetBlockAsync(hash);
        }
        else
        {
            return ApiError.BadRequest("bad_block_id", $"'{Shorten(id)}' is neither a block height (a whole number) nor a block hash (64 hex digits)");
        }
        if (block is null) return ApiError.NotFound(byHash ? $"no block has hash {id.ToLowerInvariant()}" : $"there is no block at height {height} yet");
        await LearnValidatorsAsync(block);
        // A block named by its hash never changes; one named by height is fixed once the head has moved past it.
        var immutable = byHash || block.Header.Height < (await client.GetChainInfoAsync()).Height;
        var view = _views.Block(block, immutable);
        // The public (and a bureau, whose scope is a division) sees the header, seals and tx count; which contracts a
        // block touched is for legal authority, whose reads of them are recorded when it opens them.
        var staff = Staff(context);
        if (staff is not { Account.HasLegalAuthority: true }) view = view with { Transactions = [] };
        if (staff is not null) HttpCaching.NoCache(context);
        if (staff is null && immutable && HttpCaching.Immutable(context, view.Hash + (byHash ? "" : $"@{view.Height}") + "-public")) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Json(view, ExplorerJson.Options);
    }

    /// <summary>
    /// The external anchor covering a height, for anyone (never cached: "not yet anchored" changes once it is): the EVM chain,
    /// contract, anchoring tx, external block and time, and the checkpoint — every height of ours at or below it is covered.
    /// Nobody's data: no recorder, no tx of ours but the block that recorded it.
    /// </summary>
    private async Task<IResult> ExternalAnchor(string id)
    {
        if (!ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var height))
            return ApiError.BadRequest("bad_block_id", $"'{Shorten(id)}' is not a block height (a whole number)");
        var anchor = await client.GetExternalAnchorAsync(height);
        if (anchor is null) return Results.Json(new { height, anchored = false }, ExplorerJson.Options);
        return Results.Json(new
        {
            height,
            anchored = true,
            checkpointHeight = anchor.Anchor.Height,
            checkpointHash = anchor.Anchor.BlockHash.ToHex(),
            evmChainId = anchor.Anchor.EvmChainId,
            contract = anchor.ContractAddress,
            txHash = anchor.TxHash,
            externalBlock = anchor.Anchor.ExternalBlock,
            externalBlockHash = "0x" + anchor.Anchor.ExternalBlockHash.ToHex(),
            externalTime = anchor.ExternalTime,
            recordedAt = anchor.RecordHeight,
        }, ExplorerJson.Options);
    }

    /// <summary>
    /// A block sealed by a validator genesis does not name (one voted in later): ask the node for the set of the block's
    /// height and name its validators only if that set derives from genesis and the block verifies under it
    /// (<see cref="Client.Evidence.CertifiedBlockVerifier"/>): the node is never trusted for who a validator is.
    /// </summary>
    private async Task LearnValidatorsAsync(Core.Blocks.Block block)
    {
        if (trust is null || block.Commit is not { } commit) return;
        if (commit.Seals.All(s => _views.Knows(s.Validator)) && _views.Knows(block.Header.Proposer)) return;
        var offered = await client.GetValidatorSetAsync(block.Header.Height);
        if (offered is null) return;
        var verifier = new Client.Evidence.CertifiedBlockVerifier(trust.Genesis, (_, _) => Task.FromResult<ValidatorSetProof?>(offered));
        if (!(await verifier.VerifyAsync(block.Header, commit)).Result.IsValid) return;
        foreach (var pem in offered.Validators) _views.Learn(Crypto.Certificates.LedgerCertificate.FromPem(pem));
    }

    private async Task<IResult> Transaction(HttpContext context, string id)
    {
        if (!TryHash(id, "tx id", out var txId, out var error)) return error;
        if (Staff(context) is not { } staff) return SignInRequired();
        var tx = await client.GetTransactionAsync(txId);
        if (tx is null) return ApiError.NotFound($"no committed transaction has id {txId}");
        if (await GateAsync(staff, tx) is { } refused) return refused;
        return Results.Json(_views.Transaction(tx) with { ContractNow = await ContractNowAsync(tx) }, ExplorerJson.Options);
    }

    private async Task<IResult> ProofDownload(HttpContext context, string id)
    {
        if (!TryHash(id, "tx id", out var txId, out var error)) return error;
        if (Staff(context) is not { } staff) return SignInRequired();
        var tx = await client.GetTransactionAsync(txId);
        var proof = tx is null ? null : await client.GetEvidenceAsync(txId);
        if (tx is null || proof is null) return ApiError.NotFound($"no committed transaction has id {txId}");
        if (await GateAsync(staff, tx) is { } refused) return refused;
        return Results.File(System.Text.Encoding.UTF8.GetBytes(proof.ToJson()), "application/json; charset=utf-8", $"proof-{txId.ToHex()[..16]}.json");
    }

    /// <summary>
    /// A verification report (PDF, zh-CN first) of the tx's proof, checked here against the configured genesis and signed
    /// by the explorer's report bureau (<see cref="ExplorerOptions.ReportIssuer"/>): for signed-in staff, the read recorded
    /// first like any other; it says so when a later version of the contract is in force.
    /// </summary>
    private async Task<IResult> ReportDownload(HttpContext context, string id)
    {
        if (!TryHash(id, "tx id", out var txId, out var error)) return error;
        if (Staff(context) is not { } staff) return SignInRequired();
        if (options.ReportIssuer is not { } issuer)
            return ApiError.Of(StatusCodes.Status503ServiceUnavailable, "no_report_issuer", "this explorer has no bureau certificate to sign reports with (--report-cert)");
        if (trust is null) return ApiError.Of(StatusCodes.Status503ServiceUnavailable, "no_trust_anchor", "this explorer has no genesis file to check proofs against (--genesis)");
        var tx = await client.GetTransactionAsync(txId);
        var proof = tx is null ? null : await client.GetEvidenceAsync(txId);
        if (tx is null || proof is null) return ApiError.NotFound($"no committed transaction has id {txId}");
        if (await GateAsync(staff, tx) is { } refused) return refused;
        HttpCaching.NoCache(context);
        var proofJson = proof.ToJson();
        var result = trust.Verifier.Verify(proof);
        var now = DateTimeOffset.UtcNow;
        var contractNow = await ContractNowAsync(tx);
        // The QR code goes to the operator's configured public address only: a Host header is the client's to choose,
        // and a bureau's signature must never cover a link a caller made up.
        var report = Ledger.Reports.VerificationReport.Create(proofJson, result, trust.Genesis, trust.FileHash, issuer, now,
            explorer: options.PublicUrl) with
        {
            SupersededBy = contractNow is { Superseded: true } n ? new Ledger.Reports.Superseded(n.EffectiveVersion, n.LatestVersion, now) : null,
        };
        var signed = Ledger.Reports.ReportSignature.Sign(Ledger.Reports.Pdf.ReportPdfWriter.Render(report), issuer);
        return Results.File(signed.Pdf, "application/pdf", $"report-{txId.ToHex()[..16]}.pdf");
    }

    /// <summary>
    /// A verification report (PDF, zh-CN first) of the contract's whole history: the node's contract bundle, checked here
    /// against the configured genesis — a bundle that does not verify gets no report — and signed by the report bureau.
    /// The same rules as the tx report: signed-in staff, a bureau within its division, the read recorded first.
    /// </summary>
    private async Task<IResult> ContractReportDownload(HttpContext context, string id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 128) return ApiError.BadRequest("bad_contract_id", "a contract id is 1 to 128 characters");
        if (Staff(context) is not { } staff) return SignInRequired();
        if (options.ReportIssuer is not { } issuer)
            return ApiError.Of(StatusCodes.Status503ServiceUnavailable, "no_report_issuer", "this explorer has no bureau certificate to sign reports with (--report-cert)");
        if (trust is null) return ApiError.Of(StatusCodes.Status503ServiceUnavailable, "no_trust_anchor", "this explorer has no genesis file to check proofs against (--genesis)");
        var contract = await client.GetContractAsync(id);
        if (contract is null) return ApiError.NotFound($"no contract has id '{Shorten(id)}'");
        if (!Covers(staff, _views.Contract(contract))) return OutsideScope(staff);
        await RecordAsync(staff, id);
        HttpCaching.NoCache(context);
        var bundle = await client.GetContractEvidenceAsync(id);
        var bundleJson = bundle.ToJson();
        var result = new Client.Evidence.ContractEvidenceVerifier(trust.Verifier).Verify(bundle);
        if (!result.IsValid)
            return ApiError.Of(StatusCodes.Status502BadGateway, "invalid_proof", $"the node's contract bundle does not verify ({result.Result.Code}: {result.Result.Reason}): no report is issued");
        var report = Ledger.Reports.ContractBundleReport.Create(bundleJson, result, trust.Genesis, trust.FileHash, issuer, DateTimeOffset.UtcNow);
        var signed = Ledger.Reports.ReportSignature.Sign(Ledger.Reports.Pdf.ContractReportPdfWriter.Render(report), issuer);
        return Results.File(signed.Pdf, "application/pdf", $"report-contract-{FileSafe(id)}.pdf");
    }

    /// <summary>A contract id as a download's file name: letters, digits, '-' and '_' kept, the rest '_'.</summary>
    private static string FileSafe(string id) => new(id.Take(64).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());

    /// <summary>The node's proof of a tx, checked here against the configured genesis: what the printable page shows.</summary>
    private async Task<IResult> Evidence(HttpContext context, string id)
    {
        if (!TryHash(id, "tx id", out var txId, out var error)) return error;
        if (Staff(context) is not { } staff) return SignInRequired();
        var tx = await client.GetTransactionAsync(txId);
        var proof = tx is null ? null : await client.GetEvidenceAsync(txId);
        if (tx is null || proof is null) return ApiError.NotFound($"no committed transaction has id {txId}");
        if (await GateAsync(staff, tx) is { } refused) return refused;
        VerificationView? verification = null;
        if (trust is not null)
        {
            var report = trust.Verifier.Verify(proof);
            verification = new VerificationView(report.IsValid, report.Result.Code.ToString(), report.IsValid ? null : report.Result.Reason,
                TrustView("configured"), false, null, null, report.IsValid ? _views.Report(report) : null);
        }
        return Results.Json(new { transaction = _views.Transaction(tx) with { ContractNow = await ContractNowAsync(tx) }, verification }, ExplorerJson.Options);
    }

    private async Task<IResult> Contract(HttpContext context, string id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 128) return ApiError.BadRequest("bad_contract_id", "a contract id is 1 to 128 characters");
        if (Staff(context) is not { } staff) return SignInRequired();
        var contract = await client.GetContractAsync(id);
        if (contract is null) return ApiError.NotFound($"no contract has id '{Shorten(id)}'");
        var view = _views.Contract(contract);
        if (!Covers(staff, view)) return OutsideScope(staff);
        await RecordAsync(staff, id);
        return Results.Json(ForStaff(staff, view), ExplorerJson.Options);
    }

    private async Task<IResult> Document(HttpContext context, string hash)
    {
        if (!TryHash(hash, "document hash", out var documentHash, out var error)) return error;
        if (Staff(context) is not { } staff) return await PublicDocument(documentHash);
        var anchors = await client.FindByDocumentHashAsync(documentHash);
        var batches = (await client.FindBatchDocumentsAsync(documentHash)).Select(ApiViews.Batch).ToArray();
        var views = new List<ContractView>();
        foreach (var contractId in anchors.Select(a => _views.Anchor(a).ContractId).OfType<string>().Distinct())
        {
            if (await client.GetContractAsync(contractId) is { } info) views.Add(_views.Contract(info));
        }
        // A document of a contract outside the account's scope: the public view, as the node answers such a search.
        if (!views.All(v => Covers(staff, v))) return await PublicDocument(documentHash);
        var contracts = new List<ContractView>();
        foreach (var view in views)
        {
            await RecordAsync(staff, view.ContractId);
            contracts.Add(ForStaff(staff, view));
        }
        return Results.Json(new DocumentView(documentHash.ToHex(), anchors.Count > 0 || batches.Length > 0, anchors.Select(_views.Anchor).ToArray(), contracts, batches), ExplorerJson.Options);
    }

    private async Task<IResult> Search(HttpContext context, string? q)
    {
        var query = q?.Trim() ?? "";
        if (query.Length == 0) return ApiError.BadRequest("bad_query", "type a tx id, a contract id, a document hash or a block height");
        if (query.Length <= 20 && query.All(char.IsAsciiDigit) && ulong.TryParse(query, NumberStyles.None, CultureInfo.InvariantCulture, out var height))
        {
            if (await client.GetBlockAsync(height) is not null) return Found("block", height.ToString(CultureInfo.InvariantCulture));
        }
        else if (Hash32.TryParse(query, out var hash))
        {
            var signedIn = Staff(context) is not null;
            if (signedIn && await client.GetTransactionAsync(hash) is not null) return Found("tx", hash.ToHex());
            if (await client.GetBlockAsync(hash) is not null) return Found("block", hash.ToHex());
            if ((await client.FindAnchorsAsync(hash)).Count > 0 || (await client.FindBatchDocumentsAsync(hash)).Count > 0) return Found("document", hash.ToHex());
            return ApiError.NotFound(signedIn ? $"no transaction, block or anchored document has hash {hash}" : $"no block or anchored document has hash {hash}");
        }
        if (query.Length <= 128 && Staff(context) is not null && await client.GetContractAsync(query) is not null) return Found("contract", query);
        if (query.Length > 32 && query.All(char.IsAsciiHexDigit))
            return ApiError.BadRequest("bad_hash", $"{query.Length} hex digits: an SM3 hash has 64");
        return ApiError.NotFound($"nothing matches '{Shorten(query)}': not a block height, tx id, contract id or document hash on this chain");
    }

    /// <summary>The public view of a document: anchored or not, when, which action, the outcome and the contract's status. No contract, no party.</summary>
    private async Task<IResult> PublicDocument(Hash32 documentHash)
    {
        var found = await client.FindAnchorsAsync(documentHash);
        var batches = (await client.FindBatchDocumentsAsync(documentHash)).Select(ApiViews.Batch).ToArray();
        return Results.Json(new PublicDocumentView(documentHash.ToHex(), found.Count > 0 || batches.Length > 0,
            found.Select(a => new PublicAnchorView(a.Height, a.BlockHash.ToHex(), a.BlockTime, a.Action.ToString(), a.ReceiptCode.ToString(), a.ContractStatus.ToString())).ToArray(),
            batches),
            ExplorerJson.Options);
    }

    private static bool Covers(StaffSessions.Session staff, ContractView view) =>
        staff.Account.Covers(view.EmployerCreditCode, view.Versions.Select(v => v.Terms?.PlaceOfWork));

    private static IResult OutsideScope(StaffSessions.Session staff) =>
        ApiError.Of(StatusCodes.Status403Forbidden, "outside_scope", $"this contract lies outside division {staff.Account.Division}, the scope of a bureau account");

    /// <summary>
    /// What a staff read of a tx must pass before anything is shown: a bureau account only within its division and never
    /// a sensitive basis; then the read is recorded on chain (a tx of no contract names nobody: nothing to record).
    /// </summary>
    private async Task<IResult?> GateAsync(StaffSessions.Session staff, CommittedTx tx)
    {
        if (TryContract(tx) is not { } payload) return null;
        if (!staff.Account.HasLegalAuthority)
        {
            if (await client.GetContractAsync(payload.ContractId) is not { } contract || !Covers(staff, _views.Contract(contract))) return OutsideScope(staff);
            if (HidesSensitive(staff, tx)) return Withheld();
        }
        await RecordAsync(staff, payload.ContractId);
        return null;
    }

    /// <summary>
    /// Where the tx's contract stands now (null for a tx of no contract). Its version is superseded when a later
    /// version has been concluded (signed by both parties, or a paper upload) — the one in force is not the one this tx anchored.
    /// </summary>
    private async Task<ContractNowView?> ContractNowAsync(CommittedTx tx)
    {
        if (TryContract(tx) is not { } payload || await client.GetContractAsync(payload.ContractId) is not { } contract) return null;
        var record = contract.Record;
        // The version the tx's statement names; a dissolution or termination acts on the whole contract, superseding nothing.
        var version = payload is DissolvePayload or TerminatePayload ? 0u : payload.StatementVersion;
        var latest = record.Versions.Count == 0 ? 0u : record.Versions.Max(v => v.Number);
        var superseded = version > 0 && record.Versions.Any(v => v.Number > version && v.Concluded);
        return new ContractNowView(record.Status.ToString(), version, record.EffectiveVersion, latest, superseded);
    }

    private StaffSessions.Session? Staff(HttpContext context) => sessions.Find(context.Request.Cookies[StaffSessions.Cookie]);

    private static IResult SignInRequired() =>
        ApiError.Of(StatusCodes.Status401Unauthorized, "sign_in_required", "transactions and contracts are shown to signed-in staff of a court, arbitration board, inspectorate or bureau, for a case");

    private static IResult Withheld() =>
        ApiError.Of(StatusCodes.Status403Forbidden, "sensitive_basis", "this transaction states a sensitive dissolution basis (illness, criminal liability): shown to legal authority only");

    /// <summary>Legal authority sees everything; bureau staff not a sensitive basis (PIPL art. 28).</summary>
    private static bool HidesSensitive(StaffSessions.Session staff, CommittedTx tx) =>
        !staff.Account.HasLegalAuthority && TryContract(tx) is DissolvePayload { Basis: DissolutionBasis.Art40Illness or DissolutionBasis.Art39CriminalLiability };

    private static ContractView ForStaff(StaffSessions.Session staff, ContractView view)
    {
        if (staff.Account.HasLegalAuthority) return view;
        static bool Sensitive(string? detail) => detail is nameof(DissolutionBasis.Art40Illness) or nameof(DissolutionBasis.Art39CriminalLiability);
        return view with
        {
            ClosureDetail = Sensitive(view.ClosureDetail) ? null : view.ClosureDetail,
            Timeline = view.Timeline.Select(e => Sensitive(e.Detail) ? e with { Detail = null } : e).ToArray(),
        };
    }

    private static IContractPayload? TryContract(CommittedTx tx)
    {
        try
        {
            return ContractPayloads.IsContractPayload(tx.Envelope.Body.PayloadField) ? ContractPayloads.Decode(tx.Envelope.Body) : null;
        }
        catch (LedgerException)
        {
            return null;
        }
    }

    /// <summary>Commits an AccessRecord for the account's read of the contract, with the case it signed in for, before anything is shown.</summary>
    private async Task RecordAsync(StaffSessions.Session staff, string contractId)
    {
        var basis = staff.Account.Role switch
        {
            StaffRole.Court => AccessBasis.CourtCase,
            StaffRole.Arbitration => AccessBasis.ArbitrationCase,
            _ => AccessBasis.Inspection,
        };
        var record = new AccessRecordPayload { ContractId = contractId, Basis = basis, Reference = staff.CaseNumber, OnBehalfOf = staff.Account.OnBehalfOf };
        await client.SubmitAccessAsync((chain, who) => AccessTransactions.Record(chain, record, who), TimeSpan.FromSeconds(30));
    }

    private async Task<IResult> SignIn(HttpContext context)
    {
        HttpCaching.NoCache(context);
        if (!context.Request.HasFormContentType) return ApiError.BadRequest("bad_request", "send a form with user, password and caseNumber");
        var form = await context.Request.ReadFormAsync(new FormOptions { ValueLengthLimit = 512, MultipartBodyLengthLimit = 4096 }, context.RequestAborted);
        var user = form["user"].ToString().Trim();
        var password = form["password"].ToString();
        var caseNumber = form["caseNumber"].ToString().Trim();
        if (caseNumber.Length is 0 or > 128) return ApiError.BadRequest("case_required", "state the case number or inspection reference you read for (1 to 128 characters)");
        if (options.Identity is null) return ApiError.Of(StatusCodes.Status503ServiceUnavailable, "no_operator_identity", "this explorer runs without an operator certificate: staff cannot sign in");
        if (user.Length > 0 && _throttle.BlockedUntil(user) is { } until)
            return ApiError.Of(StatusCodes.Status429TooManyRequests, "too_many_attempts",
                $"{SignInThrottle.MaxFailures} wrong passwords for this account: try again after {until:yyyy-MM-dd HH:mm:ss} UTC");
        var account = user.Length == 0 ? null : accounts.Check(user, password);
        if (account is null)
        {
            if (user.Length > 0) _throttle.Failed(user);
            return ApiError.Of(StatusCodes.Status401Unauthorized, "bad_credentials", "wrong user name or password");
        }
        _throttle.Succeeded(user);
        var token = sessions.Start(account, caseNumber);
        context.Response.Cookies.Append(StaffSessions.Cookie, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
            MaxAge = StaffSessions.MaxLifetime,
        });
        return Results.Json(new { user = account.User, role = account.Role.ToString(), institution = account.Institution, caseNumber, reports = options.ReportIssuer is not null && trust is not null }, ExplorerJson.Options);
    }

    /// <summary>A one-time text for a worker to sign with their own key (<c>ledger sign</c>, their signer app): the first step of signing in.</summary>
    private IResult WorkerChallenge(HttpContext context)
    {
        HttpCaching.NoCache(context);
        if (trust is null) return ApiError.Of(StatusCodes.Status503ServiceUnavailable, "no_trust_anchor", "this explorer has no genesis file to check a worker's certificate against (--genesis)");
        var (text, expires) = _workers.NewChallenge(trust.Genesis.ChainId);
        return Results.Json(new { challenge = text, expiresAt = expires }, ExplorerJson.Options);
    }

    private sealed record WorkerSignInRequest(string? Certificate, string? Challenge, string? Signature);

    /// <summary>
    /// A worker signs in: their certificate (PEM, a Worker certificate under the genesis root), a challenge this explorer
    /// issued, unexpired and unused, and their SM2 signature over it (base64 DER). Then their own access list, nothing more.
    /// </summary>
    private async Task<IResult> WorkerSignIn(HttpContext context)
    {
        HttpCaching.NoCache(context);
        if (trust is null) return ApiError.Of(StatusCodes.Status503ServiceUnavailable, "no_trust_anchor", "this explorer has no genesis file to check a worker's certificate against (--genesis)");
        if (options.Identity is null) return ApiError.Of(StatusCodes.Status503ServiceUnavailable, "no_operator_identity", "this explorer runs without an operator certificate: it cannot read access lists");
        WorkerSignInRequest? request;
        try
        {
            request = await context.Request.ReadFromJsonAsync<WorkerSignInRequest>(ExplorerJson.Options, context.RequestAborted);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            return ApiError.BadRequest("bad_request", "send JSON with certificate (PEM), challenge and signature (base64 DER)");
        }
        if (request is not { Certificate.Length: > 0 and < 16_384, Challenge.Length: > 0 and < 1024, Signature.Length: > 0 and < 512 })
            return ApiError.BadRequest("bad_request", "send JSON with certificate (PEM), challenge and signature (base64 DER)");
        Crypto.Certificates.LedgerCertificate certificate;
        byte[] signature;
        try
        {
            certificate = Crypto.Certificates.LedgerCertificate.FromPem(request.Certificate);
            signature = Convert.FromBase64String(request.Signature.Trim());
        }
        catch (Exception e) when (e is LedgerException or FormatException or ArgumentException)
        {
            return ApiError.BadRequest("bad_request", $"the certificate (PEM) or the signature (base64) does not decode: {e.Message}");
        }
        if (certificate.Role != Core.Identity.Role.Worker || certificate.WorkerPseudonym is not { } pseudonym)
            return ApiError.Of(StatusCodes.Status403Forbidden, "not_a_worker", $"this page is a worker's own access list; the certificate is a {certificate.Role}'s");
        // Each challenge is used once, whatever the outcome: a signature cannot be tried again, or replayed later.
        if (!_workers.Redeem(request.Challenge))
            return ApiError.Of(StatusCodes.Status401Unauthorized, "bad_challenge", "the challenge is not one this explorer issued, has expired or was already used: ask for a new one");
        // Genesis's CAs and those a vote added since, as the chain names them now (a retired CA no longer counts); each must
        // be certified by genesis's root, so the node can withhold a CA but never make one up.
        var now = DateTimeOffset.UtcNow;
        var authorities = await AuthoritiesAsync(context.RequestAborted);
        var chain = authorities.TrustedAt(LedgerCertificateOf(trust.Genesis.RootCertificate), now).Validate(certificate, now);
        if (!chain.IsValid) return ApiError.Of(StatusCodes.Status401Unauthorized, "untrusted_certificate", $"the certificate does not chain to a CA of this consortium: {chain.Reason}");
        if (!certificate.PublicKey.Verify(System.Text.Encoding.UTF8.GetBytes(request.Challenge), signature))
            return ApiError.Of(StatusCodes.Status401Unauthorized, "bad_signature", "the signature is not the certificate's key's over the challenge");
        var token = _workers.Start(certificate.Id, pseudonym);
        context.Response.Cookies.Append(Workers.WorkerSessions.Cookie, token, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps, Path = "/", MaxAge = Workers.WorkerSessions.MaxLifetime,
        });
        return Results.Json(new { pseudonym = pseudonym.ToHex() }, ExplorerJson.Options);
    }

    private sealed record CachedAuthorities(ChainAuthorities List, long At);

    private volatile CachedAuthorities? _authorities;

    /// <summary>The chain's CAs from the node, asked again after a minute (a CA voted in or retired shows within it).</summary>
    private async Task<ChainAuthorities> AuthoritiesAsync(CancellationToken cancellationToken)
    {
        if (_authorities is { } known && System.Diagnostics.Stopwatch.GetElapsedTime(known.At) < TimeSpan.FromMinutes(1)) return known.List;
        var fresh = await client.GetAuthoritiesAsync(cancellationToken);
        _authorities = new CachedAuthorities(fresh, System.Diagnostics.Stopwatch.GetTimestamp());
        return fresh;
    }

    private static Crypto.Certificates.LedgerCertificate LedgerCertificateOf(string pem) => Crypto.Certificates.LedgerCertificate.FromPem(pem);

    private IResult WorkerSignOut(HttpContext context)
    {
        HttpCaching.NoCache(context);
        _workers.End(context.Request.Cookies[Workers.WorkerSessions.Cookie]);
        context.Response.Cookies.Delete(Workers.WorkerSessions.Cookie, new CookieOptions { Path = "/" });
        return Results.NoContent();
    }

    /// <summary>The signed-in worker's own access list: every recorded read of the contracts naming their pseudonym. Only theirs.</summary>
    private async Task<IResult> WorkerAccess(HttpContext context)
    {
        if (_workers.Find(context.Request.Cookies[Workers.WorkerSessions.Cookie]) is not { } worker)
            return ApiError.Of(StatusCodes.Status401Unauthorized, "worker_sign_in_required",
                "a worker's access list is shown to that worker only: sign in with your own certificate (staff accounts do not open it)");
        var records = await client.ListWorkerAccessRecordsAsync(worker.Pseudonym);
        return Results.Json(new
        {
            pseudonym = worker.Pseudonym.ToHex(),
            records = records.Reverse().Select(r => new
            {
                contractId = r.ContractId,
                accessorRole = r.AccessorRole,
                accessorName = r.AccessorName,
                basis = r.Basis.ToString(),
                reference = r.Reference,
                onBehalfOf = r.OnBehalfOf,
                height = r.Height,
                time = DateTimeOffset.FromUnixTimeMilliseconds(r.BlockTime),
            }),
        }, ExplorerJson.Options);
    }

    private IResult WhoAmI(HttpContext context)
    {
        HttpCaching.NoCache(context);
        if (Staff(context) is not { } staff) return SignInRequired();
        return Results.Json(new { user = staff.Account.User, role = staff.Account.Role.ToString(), institution = staff.Account.Institution, caseNumber = staff.CaseNumber, reports = options.ReportIssuer is not null && trust is not null }, ExplorerJson.Options);
    }

    private IResult SignOut(HttpContext context)
    {
        HttpCaching.NoCache(context);
        sessions.End(context.Request.Cookies[StaffSessions.Cookie]);
        context.Response.Cookies.Delete(StaffSessions.Cookie, new CookieOptions { Path = "/" });
        return Results.NoContent();
    }

    private static IResult Found(string kind, string id) => Results.Json(new { kind, id }, ExplorerJson.Options);

    private IResult Genesis(HttpContext context)
    {
        HttpCaching.NoCache(context);
        if (trust is null) return ApiError.NotFound("this explorer was started without --genesis: upload the court's genesis.json with each proof");
        return Results.Json(new
        {
            trustAnchor = TrustView("configured"),
            validators = trust.Validators.Select(v => new { certificateId = v.CertificateId.ToHex(), v.Name, v.Division, v.Subject }),
        }, ExplorerJson.Options);
    }

    /// <summary>
    /// POST multipart/form-data: <c>proof</c> (proof.json), optionally <c>file</c> (the contract itself) or <c>fileHash</c>
    /// (its SM3, computed in the browser), optionally <c>genesis</c> (the court's own genesis.json, else the configured one).
    /// </summary>
    private async Task<IResult> VerifyProof(HttpContext context)
    {
        HttpCaching.NoCache(context);
        var cap = options.MaxProofBytes + options.MaxGenesisBytes + options.MaxFileBytes + 64 * 1024;
        if (context.Request.ContentLength > cap)
            return ApiError.TooLarge($"the upload is {context.Request.ContentLength} bytes; at most {cap} (proof {Size(options.MaxProofBytes)}, genesis {Size(options.MaxGenesisBytes)}, file {Size(options.MaxFileBytes)})");
        if (!context.Request.HasFormContentType)
            return ApiError.BadRequest("bad_request", "send multipart/form-data with a 'proof' part (proof.json)");
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = cap;

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = cap, ValueLengthLimit = 1024 }, context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ApiError.TooLarge($"the upload is larger than {cap} bytes");
        }
        catch (InvalidDataException e)
        {
            return e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)
                ? ApiError.TooLarge($"the upload is larger than allowed: {e.Message}")
                : ApiError.BadRequest("bad_request", $"the upload is not valid multipart/form-data: {e.Message}");
        }

        var proofPart = form.Files.GetFile("proof");
        if (proofPart is null || proofPart.Length == 0) return ApiError.BadRequest("missing_proof", "choose a proof.json to check");
        if (proofPart.Length > options.MaxProofBytes) return ApiError.TooLarge($"proof.json is {Size(proofPart.Length)}; a proof is at most {Size(options.MaxProofBytes)}");
        var genesisPart = form.Files.GetFile("genesis");
        if (genesisPart?.Length > options.MaxGenesisBytes) return ApiError.TooLarge($"genesis.json is {Size(genesisPart.Length)}; at most {Size(options.MaxGenesisBytes)}");
        var filePart = form.Files.GetFile("file");
        if (filePart?.Length > options.MaxFileBytes)
            return ApiError.TooLarge($"the contract file is {Size(filePart.Length)}; at most {Size(options.MaxFileBytes)} (or send only its SM3 as fileHash)");
        Hash32? fileHash = null;
        var fileHashText = form["fileHash"].ToString().Trim();
        if (fileHashText.Length > 0)
        {
            if (!TryHash(fileHashText, "fileHash", out var parsed, out var error)) return error;
            fileHash = parsed;
        }

        EvidenceProof proof;
        try
        {
            proof = EvidenceProof.FromJson(await ReadText(proofPart));
        }
        catch (LedgerException e)
        {
            return ApiError.BadRequest("invalid_proof", $"this is not a readable proof.json: {e.Message}");
        }

        TrustAnchor? anchor = trust;
        var source = "configured";
        if (genesisPart is not null && genesisPart.Length > 0)
        {
            try
            {
                using var stream = genesisPart.OpenReadStream();
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, context.RequestAborted);
                anchor = TrustAnchor.Parse(buffer.ToArray());
                source = "uploaded";
            }
            catch (LedgerException e)
            {
                return ApiError.BadRequest("bad_genesis", $"the genesis.json given is not usable: {e.Message}");
            }
        }
        if (anchor is null)
            return ApiError.BadRequest("no_trust_anchor", "this explorer has no genesis configured: upload the genesis.json to check the proof against");

        await using var file = filePart?.OpenReadStream();
        var report = anchor.Verifier.Verify(proof, file);
        var trustView = new TrustView(source, anchor.Genesis.ChainId, anchor.Genesis.NetworkName, anchor.FileHash.ToHex());
        var views = new ApiViews(anchor);
        if (!report.IsValid)
            return Results.Json(new VerificationView(false, report.Result.Code.ToString(), report.Result.Reason, trustView, file is not null, file is null ? null : false, fileHash?.ToHex(), null), ExplorerJson.Options);
        if (fileHash is { } given && given != report.DocumentHash)
        {
            return Results.Json(new VerificationView(false, nameof(ErrorCode.DocumentHashMismatch),
                $"the file's SM3 is {given}, the anchored document's is {report.DocumentHash}", trustView, true, false, given.ToHex(), null), ExplorerJson.Options);
        }
        var checkedFile = file is not null || fileHash is not null;
        return Results.Json(new VerificationView(true, nameof(ErrorCode.Ok), null, trustView, checkedFile, checkedFile ? true : null,
            (fileHash ?? (file is null ? null : report.DocumentHash))?.ToHex(), views.Report(report)), ExplorerJson.Options);
    }

    /// <summary>Server-sent events: <c>status</c> (node reachable or not) and <c>block</c> (each new block), from the one shared WatchBlocks stream.</summary>
    private async Task Events(HttpContext context)
    {
        var response = context.Response;
        response.Headers.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var (events, subscription) = feed.Subscribe();
        using var _ = subscription;
        var cancel = context.RequestAborted;
        try
        {
            await response.WriteAsync("retry: 2000\n\n", cancel);
            await response.Body.FlushAsync(cancel);
            while (!cancel.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                wait.CancelAfter(Heartbeat);
                try
                {
                    if (!await events.WaitToReadAsync(wait.Token)) return;
                }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                {
                    await response.WriteAsync(": keep-alive\n\n", cancel);
                    await response.Body.FlushAsync(cancel);
                    continue;
                }
                while (events.TryRead(out var e)) await response.WriteAsync($"event: {e.Name}\ndata: {e.Data}\n\n", cancel);
                await response.Body.FlushAsync(cancel);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private TrustView? TrustView(string source) =>
        trust is null ? null : new TrustView(source, trust.Genesis.ChainId, trust.Genesis.NetworkName, trust.FileHash.ToHex());

    private static bool TryHash(string text, string what, out Hash32 hash, out IResult error)
    {
        error = null!;
        if (Hash32.TryParse(text.Trim(), out hash)) return true;
        var shown = Shorten(text);
        error = ApiError.BadRequest("bad_hash", text.Trim().All(char.IsAsciiHexDigit)
            ? $"the {what} '{shown}' has {text.Trim().Length} hex digits; an SM3 hash has 64"
            : $"the {what} '{shown}' is not hexadecimal; an SM3 hash is 64 hex digits (0-9, a-f)");
        return false;
    }

    private static async Task<string> ReadText(IFormFile part)
    {
        using var reader = new StreamReader(part.OpenReadStream(), new System.Text.UTF8Encoding(false, false));
        return await reader.ReadToEndAsync();
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";

    private static string Size(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024.0 * 1024):0.#} MiB" : bytes >= 1024 ? $"{bytes / 1024.0:0.#} KiB" : $"{bytes} bytes";
}
