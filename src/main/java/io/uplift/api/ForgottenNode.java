package io.uplift.api;

/**
 * What 'uplift nodes forget ID' did. {@code removed} is false when the row was gone by the time of
 * the delete (another 'nodes forget' removed it first): nothing was left to do.
 *
 * @param node the node's row as it was read just before the delete
 */
public record ForgottenNode(String home, NodeInfo node, boolean removed) {}
