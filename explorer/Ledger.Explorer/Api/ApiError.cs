using Grpc.Core;
using Ledger.Client;
using Microsoft.AspNetCore.Http;

namespace Ledger.Explorer.Api;

/// <summary>
/// The API's one error shape, <c>{ "error": { "code": "...", "message": "..." } }</c>; the pages show the message for
/// the code in the reader's language. A node that cannot be reached is 503 <c>node_unreachable</c>.
/// </summary>
internal static class ApiError
{
    public const string NodeUnreachable = "node_unreachable";

    public static IResult Of(int status, string code, string message) =>
        Results.Json(new { error = new { code, message } }, ExplorerJson.Options, statusCode: status);

    public static IResult BadRequest(string code, string message) => Of(StatusCodes.Status400BadRequest, code, message);

    public static IResult NotFound(string message) => Of(StatusCodes.Status404NotFound, "not_found", message);

    public static IResult TooLarge(string message) => Of(StatusCodes.Status413PayloadTooLarge, "payload_too_large", message);

    /// <summary>What a failed node call means to the reader of a page.</summary>
    public static IResult FromNode(LedgerClientException e) => e.Status switch
    {
        StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled =>
            Of(StatusCodes.Status503ServiceUnavailable, NodeUnreachable, $"the node cannot be reached ({e.Status}); the explorer retries on its own"),
        StatusCode.NotFound => NotFound(e.Message),
        StatusCode.InvalidArgument => BadRequest("bad_request", e.Message),
        _ => Of(StatusCodes.Status502BadGateway, "node_error", $"the node answered {e.ReasonName}: {e.Message}"),
    };
}
