using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Ledger.Client.Access;
using Ledger.Core;
using Ledger.Proto.V1;

namespace Ledger.Client;

/// <summary>
/// A handle on <c>ledger.v1.AnalyticsService</c> (<c>ledger analytics</c>): statistics and early warnings from the
/// indexer's database, for a Bureau certificate (its division) or an Observer serving its own staff. Calls are signed as
/// <see cref="LedgerClient"/>'s; a refusal is a <see cref="LedgerClientException"/> with the ledger's <see cref="ErrorCode"/>.
/// Thread-safe; dispose it to close the channel it owns.
/// </summary>
public sealed class AnalyticsClient : IDisposable
{
    private readonly AnalyticsService.AnalyticsServiceClient _client;
    private readonly GrpcChannel? _ownedChannel;
    private readonly LedgerClientOptions _options;

    public AnalyticsClient(CallInvoker callInvoker, LedgerClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(callInvoker);
        _options = options ?? new LedgerClientOptions();
        _client = new AnalyticsService.AnalyticsServiceClient(_options.Identity is { } identity ? callInvoker.Intercept(new CallSigningInterceptor(identity)) : callInvoker);
    }

    private AnalyticsClient(GrpcChannel channel, LedgerClientOptions options) : this(channel.CreateCallInvoker(), options) => _ownedChannel = channel;

    /// <summary>Connects to the service, e.g. <c>https://127.0.0.1:7700</c>, its certificate checked as <see cref="LedgerClient.Connect"/> checks a node's.</summary>
    public static AnalyticsClient Connect(string address, LedgerClientOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"'{address}' is not an http:// or https:// analytics service address");
        options ??= new LedgerClientOptions();
        var channel = GrpcChannel.ForAddress(uri, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = options.MaxReceiveMessageSize,
            HttpHandler = uri.Scheme == Uri.UriSchemeHttps && options.TransportCa is { } ca ? ca.CreateHandler(options.ClientCertificate) : null,
            DisposeHttpClient = true,
        });
        return new AnalyticsClient(channel, options);
    }

    public Task<StatisticsResponse> GetStatisticsAsync(StatisticsRequest request, CancellationToken cancellationToken = default) =>
        Call(c => _client.GetStatisticsAsync(request, c), cancellationToken);

    public Task<ListWarningsResponse> ListWarningsAsync(ListWarningsRequest request, CancellationToken cancellationToken = default) =>
        Call(c => _client.ListWarningsAsync(request, c), cancellationToken);

    public Task<Warning> AcknowledgeWarningAsync(AcknowledgeWarningRequest request, CancellationToken cancellationToken = default) =>
        Call(c => _client.AcknowledgeWarningAsync(request, c), cancellationToken);

    public Task<FixedTermStreaksResponse> GetFixedTermStreaksAsync(FixedTermStreaksRequest request, CancellationToken cancellationToken = default) =>
        Call(c => _client.GetFixedTermStreaksAsync(request, c), cancellationToken);

    private async Task<T> Call<T>(Func<CallOptions, AsyncUnaryCall<T>> call, CancellationToken cancellationToken)
    {
        var options = new CallOptions(deadline: DateTime.UtcNow + _options.CallTimeout, cancellationToken: cancellationToken);
        try
        {
            return await call(options).ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (RpcException e)
        {
            throw RpcErrors.ToClientException(e);
        }
    }

    public void Dispose() => _ownedChannel?.Dispose();
}
