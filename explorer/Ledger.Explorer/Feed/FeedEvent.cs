namespace Ledger.Explorer.Feed;

/// <summary>One server-sent event: its name (<c>block</c> or <c>status</c>) and its JSON data.</summary>
public sealed record FeedEvent(string Name, string Data);
