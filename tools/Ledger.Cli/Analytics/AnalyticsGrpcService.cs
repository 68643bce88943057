using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Ledger.Analytics.Statistics;
using Ledger.Analytics.Warnings;
using Ledger.Core;
using Ledger.Core.Identity;
using Ledger.Node.Access;
using Ledger.Node.Grpc;
using Ledger.Proto.V1;

namespace Ledger.Cli.Analytics;

/// <summary>
/// <c>ledger.v1.AnalyticsService</c>: thin mapping onto <see cref="StatisticsReader"/> and <see cref="WarningStore"/>.
/// Bureau callers inside their own division subtree; Observer callers (which read every block anyway: the explorer's
/// operator serving its signed-in bureau staff, having checked each viewer's own division first) inside their certificate's
/// division, acknowledging only on behalf of a named person. Refusals are typed as the node's (<see cref="GrpcErrors"/>).
/// </summary>
public sealed class AnalyticsGrpcService(StatisticsReader statistics, WarningStore warnings, TimeProvider? time = null) : AnalyticsService.AnalyticsServiceBase
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public override async Task<StatisticsResponse> GetStatistics(StatisticsRequest request, ServerCallContext context)
    {
        var bureau = RequireScoped(context, "statistics");
        var division = Within(bureau, request.Division, "division");
        var query = new StatisticsQuery
        {
            Division = division,
            GroupLevel = request.GroupLevel == Proto.V1.DivisionLevel.Unspecified ? null : (Core.Identity.DivisionLevel)request.GroupLevel,
            ByMonth = request.ByMonth,
            BySection = request.ByIndustrySection,
            ByEmployer = request.ByEmployer,
            FromMonth = Month(request.FromMonth, "from_month"),
            ToMonth = Month(request.ToMonth, "to_month"),
            Industry = Industry(request.Industry),
            ContractType = Type(request.ContractType),
            Employer = Employer(request.EmployerCreditCode, required: false),
        };
        if (query.FromMonth > query.ToMonth) throw GrpcErrors.BadField("from_month", ErrorCode.InvalidFieldValue, "after to_month");
        var rows = await statistics.QueryAsync(query, context.CancellationToken).ConfigureAwait(false);
        var response = new StatisticsResponse();
        foreach (var row in rows)
        {
            var message = new Proto.V1.StatisticsRow
            {
                Division = row.Division ?? "",
                Month = row.Month?.ToString("yyyy-MM", CultureInfo.InvariantCulture) ?? "",
                IndustrySection = row.IndustrySection ?? "",
                EmployerCreditCode = row.Employer ?? "",
                Signed = row.Signed,
                PaperUploads = row.PaperUploads,
                Changed = row.Changed,
                Renewed = row.Renewed,
                Dissolved = row.Dissolved,
                Terminated = row.Terminated,
                ESigningShare = row.ESigningShare,
                AverageTermDays = row.AverageTermDays,
                ProbationShare = row.ProbationShare,
                InForce = row.InForce,
            };
            message.DissolvedByBasis.Add(row.DissolvedByBasis);
            message.TerminatedByReason.Add(row.TerminatedByReason);
            response.Rows.Add(message);
        }
        return response;
    }

    public override async Task<ListWarningsResponse> ListWarnings(ListWarningsRequest request, ServerCallContext context)
    {
        var bureau = RequireScoped(context, "warnings");
        var division = Within(bureau, request.Division, "division");
        if (request.Limit > 1000) throw GrpcErrors.BadField("limit", ErrorCode.InvalidFieldValue, "at most 1000");
        var found = await warnings.ListAsync(division, request.UnacknowledgedOnly, request.Limit == 0 ? 100 : (int)request.Limit, context.CancellationToken).ConfigureAwait(false);
        var response = new ListWarningsResponse();
        response.Warnings.Add(found.Select(ToMessage));
        return response;
    }

    public override async Task<Proto.V1.Warning> AcknowledgeWarning(AcknowledgeWarningRequest request, ServerCallContext context)
    {
        var bureau = RequireScoped(context, "acknowledging a warning");
        var onBehalfOf = request.OnBehalfOf.Trim();
        if (onBehalfOf.Length > 200 || onBehalfOf.Any(char.IsControl))
            throw GrpcErrors.BadField("on_behalf_of", ErrorCode.InvalidFieldValue, "at most 200 characters, no control characters");
        // A service acknowledges for a person, never for itself: the record must say who read the warning and answered for it.
        if (bureau.Role == Role.Observer && onBehalfOf.Length == 0)
            throw GrpcErrors.BadField("on_behalf_of", ErrorCode.MissingField, "an Observer acknowledges only on behalf of the person who did");
        var by = onBehalfOf.Length == 0 ? bureau.Certificate.Subject : $"{onBehalfOf} via {bureau.Certificate.Subject}";
        var warning = await warnings.GetAsync(request.Id, context.CancellationToken).ConfigureAwait(false)
            ?? throw GrpcErrors.NotFound("warning", request.Id.ToString(CultureInfo.InvariantCulture));
        var scope = Within(bureau, request.Division, "division");
        if (!scope.Contains(DivisionCode.Parse(warning.Division)))
            throw GrpcErrors.PermissionDenied(ErrorCode.OutsideReadScope, $"warning {warning.Id} is for division {warning.Division}, outside {scope.Value}");
        var acknowledged = await warnings.AcknowledgeAsync(request.Id, by, bureau.CertificateId, _time.GetUtcNow(), context.CancellationToken).ConfigureAwait(false);
        return ToMessage(acknowledged!);
    }

    public override async Task<FixedTermStreaksResponse> GetFixedTermStreaks(FixedTermStreaksRequest request, ServerCallContext context)
    {
        var bureau = RequireScoped(context, "fixed-term streaks");
        var employer = Employer(request.EmployerCreditCode, required: true)!;
        var registered = DivisionCode.Parse(WarningDetector.RegisteredDivision(employer));
        if (!bureau.Identity.Division!.Value.Contains(registered))
            throw GrpcErrors.PermissionDenied(ErrorCode.OutsideReadScope, $"employer {employer} is registered in {registered.Value}, outside {bureau.Identity.Division.Value.Value}");
        var streaks = await statistics.FixedTermStreaksAsync(employer, (int)Math.Max(1, request.MinStreak), context.CancellationToken).ConfigureAwait(false);
        var response = new FixedTermStreaksResponse();
        response.Streaks.Add(streaks.Select(s => new FixedTermStreak { WorkerPseudonym = ByteString.CopyFrom(s.Worker), Streak = (uint)s.Streak, LastContractId = s.LastContract }));
        return response;
    }

    /// <summary>A Bureau, or an Observer (it reads every block, so the statistics tell it nothing new), with a division that bounds what it is served.</summary>
    private static Caller RequireScoped(ServerCallContext context, string what)
    {
        var caller = ReadPolicy.RequireCaller(CallerContext.Of(context), what);
        if (caller.Role is not (Role.Bureau or Role.Observer) || caller.Identity.Division is null)
            throw GrpcErrors.PermissionDenied(ErrorCode.ReadNotPermitted, $"{what} are for bureau staff, not {caller.Role}");
        return caller;
    }

    /// <summary>The division asked about (default the bureau's own); PERMISSION_DENIED outside the bureau's subtree.</summary>
    private static DivisionCode Within(Caller bureau, string requested, string field)
    {
        var own = bureau.Identity.Division!.Value;
        if (requested.Length == 0) return own;
        if (requested.Length != 12 || !DivisionCode.TryParse(requested, out var division))
            throw GrpcErrors.BadField(field, ErrorCode.InvalidFieldValue, "a 12-digit division code");
        if (!own.Contains(division))
            throw GrpcErrors.PermissionDenied(ErrorCode.OutsideReadScope, $"division {division.Value} is outside the caller's division {own.Value}");
        return division;
    }

    private static DateOnly? Month(string text, string field)
    {
        if (text.Length == 0) return null;
        if (!DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
            throw GrpcErrors.BadField(field, ErrorCode.InvalidFieldValue, "a month as yyyy-mm");
        return month;
    }

    private static string? Industry(string text)
    {
        if (text.Length == 0) return null;
        if (!Chaincode.Law.IndustryCodes.IsValid(text))
            throw GrpcErrors.BadField("industry", ErrorCode.InvalidFieldValue, "a GB/T 4754-2017 section letter or industry code");
        return text;
    }

    private static Core.Contracts.ContractType? Type(Proto.V1.ContractType type) => type switch
    {
        Proto.V1.ContractType.Unspecified => null,
        _ when Enum.IsDefined((Core.Contracts.ContractType)type) => (Core.Contracts.ContractType)type,
        _ => throw GrpcErrors.BadField("contract_type", ErrorCode.InvalidFieldValue, "fixed-term, open-ended or task-based"),
    };

    private static string? Employer(string text, bool required)
    {
        if (text.Length == 0)
            return required ? throw GrpcErrors.BadField("employer_credit_code", ErrorCode.InvalidFieldValue, "required") : null;
        if (!CreditCode.TryParse(text, out var code))
            throw GrpcErrors.BadField("employer_credit_code", ErrorCode.InvalidFieldValue, "an 18-character unified social credit code with its GB 32100 check character");
        return code.Value;
    }

    private static Proto.V1.Warning ToMessage(WarningRecord w)
    {
        var message = new Proto.V1.Warning
        {
            Id = w.Id, Kind = w.Kind, Division = w.Division, EmployerCreditCode = w.Employer ?? "", RaisedHeight = (ulong)w.RaisedHeight,
            RaisedAt = w.RaisedAt.ToUnixTimeMilliseconds(), WindowStart = w.WindowStart.ToUnixTimeMilliseconds(), Observed = w.Observed, Reference = w.Reference,
            Detail = w.Detail, AcknowledgedAt = w.AcknowledgedAt?.ToUnixTimeMilliseconds() ?? 0, AcknowledgedBy = w.AcknowledgedBy ?? "",
        };
        message.Evidence.Add(w.Evidence.Select(e => new Proto.V1.WarningEvidence { ContractId = e.ContractId, TxId = ByteString.CopyFrom(e.TxId), Height = (ulong)e.Height, TxIndex = (uint)e.TxIndex }));
        return message;
    }
}
