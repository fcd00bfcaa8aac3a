package dev.gangway.dns.wire;

/** What {@link Query#parse} returns: a query, or why the message is not one. */
public sealed interface Parsed permits Query, Rejected {
}
