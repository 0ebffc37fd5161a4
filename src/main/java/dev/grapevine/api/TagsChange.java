package dev.grapevine.api;

import java.util.Map;

/**
 * What {@link Grapevine#updateTags} did.
 *
 * @param tags      this node's tags now, its own reserved ones included
 * @param persisted whether the change was written to the data dir, so that it survives a restart
 *                  (false for a node without one)
 */
public record TagsChange(Map<String, String> tags, boolean persisted) {
    public TagsChange {
        tags = Map.copyOf(tags);
    }
}
