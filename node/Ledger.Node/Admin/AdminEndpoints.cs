using Ledger.Node.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Ledger.Node.Admin;

/// <summary>
/// The operator's endpoints on the node's HTTP port, each refused (401, one line) unless the node's own key signed the
/// request (<see cref="AdminAuthenticator"/>):
/// <c>POST /admin/backup</c> streams a consistent copy of the store as of one committed block
/// (<c>ledger node backup</c> writes and checks it). One backup at a time (409 while one runs).
/// </summary>
public sealed class AdminEndpoints
{
    public const string BackupPath = "/admin/backup";
    public const string BackupAction = "backup";

    /// <summary>The response header naming the snapshot's engine: "litedb" (the file) or "rocksdb" (a tar of the checkpoint's files).</summary>
    public const string StoreEngineHeader = "X-Ledger-Store";

    private readonly AdminAuthenticator _authenticator;
    private readonly NodeRuntime _runtime;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _backup = new(1, 1);

    private AdminEndpoints(NodeRuntime runtime, ILogger logger)
    {
        _runtime = runtime;
        _logger = logger;
        _authenticator = new AdminAuthenticator(runtime.Chain.ChainId, runtime.Name, runtime.Certificate.PublicKey, TimeProvider.System);
    }

    public static void Map(WebApplication app, NodeRuntime runtime, ILogger<AdminEndpoints> logger)
    {
        var endpoints = new AdminEndpoints(runtime, logger);
        app.MapPost(BackupPath, endpoints.BackupAsync);
    }

    private async Task BackupAsync(HttpContext context)
    {
        var refusal = _authenticator.Refuse(BackupAction, context.Request.Headers[AdminRequest.RequestHeader], context.Request.Headers[AdminRequest.SignatureHeader]);
        if (refusal is not null)
        {
            _logger.LogWarning("Refused a backup request from {Remote}: {Reason}", context.Connection.RemoteIpAddress, refusal);
            await Error(context, StatusCodes.Status401Unauthorized, "unauthorized", refusal);
            return;
        }
        if (!await _backup.WaitAsync(0))
        {
            await Error(context, StatusCodes.Status409Conflict, "backup_running", "a backup of this node is already running");
            return;
        }
        try
        {
            await using var snapshot = _runtime.OpenStoreSnapshot();
            var height = _runtime.Chain.Head.Height;
            _logger.LogInformation("Backup: streaming a {Engine} snapshot of the store ({Bytes} bytes, head near height {Height})", snapshot.Engine, snapshot.Length, height);
            context.Response.ContentType = snapshot.Engine == "rocksdb" ? "application/x-tar" : "application/octet-stream";
            context.Response.Headers[StoreEngineHeader] = snapshot.Engine;
            context.Response.ContentLength = snapshot.Length;
            await snapshot.WriteToAsync(context.Response.Body, context.RequestAborted);
            _logger.LogInformation("Backup: snapshot sent");
        }
        finally
        {
            _backup.Release();
        }
    }

    private static Task Error(HttpContext context, int status, string code, string message) =>
        Results.Json(new { error = new { code, message } }, statusCode: status).ExecuteAsync(context);
}
