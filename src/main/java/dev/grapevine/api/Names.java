package dev.grapevine.api;

/**
 * What a user event's name and a tag's key may be. The CLI checks them before it sends anything, and
 * the node checks them again, so a bad name gets a message about the name, never a routing error.
 */
public final class Names {
    /** Characters of an event name: it travels with every copy of the event, and in the admin API's path. */
    public static final int EVENT_NAME_CHARS_MAX = 128;
    /** Characters of a tag key. */
    public static final int TAG_KEY_CHARS_MAX = dev.grapevine.runtime.NodeHandle.TAG_KEY_CHARS_MAX;

    private Names() {
    }

    /** @throws IllegalArgumentException naming the rule, if {@code name} is not a valid event name */
    public static void checkEventName(String name) {
        if (name == null || name.isEmpty() || name.length() > EVENT_NAME_CHARS_MAX || name.indexOf('/') >= 0
                || hasControl(name) || !name.strip().equals(name)) {
            throw new IllegalArgumentException("an event name is 1.." + EVENT_NAME_CHARS_MAX
                    + " characters without '/', control characters or surrounding spaces, but was " + quote(name));
        }
    }

    /** @throws IllegalArgumentException naming the rule, if {@code key} is not a tag key a user may set */
    public static void checkTagKey(String key) {
        if (!dev.grapevine.runtime.NodeHandle.isTagKeyShape(key)) {
            throw new IllegalArgumentException("a tag key is 1.." + TAG_KEY_CHARS_MAX
                    + " characters without '=', control characters or surrounding spaces, but was " + quote(key));
        }
        if (key.startsWith(RESERVED_TAG_PREFIX)) {
            throw new IllegalArgumentException("tag keys starting with '" + RESERVED_TAG_PREFIX
                    + "' are reserved for the node itself: " + key);
        }
    }

    /** Tags under this prefix are the node's own (its load, say); users cannot set them. */
    public static final String RESERVED_TAG_PREFIX = dev.grapevine.core.node.Membership.RESERVED_TAG_PREFIX;

    /**
     * The actor system name assumed for a peer that says no other (a seed given as {@code host:port},
     * an address from DNS), and the agent's own system's name.
     */
    public static final String DEFAULT_SYSTEM_NAME = dev.grapevine.core.node.SystemNameTag.DEFAULT;

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }

    private static String quote(String s) {
        if (s == null) {
            return "nothing";
        }
        String shown = s.length() > 40 ? s.substring(0, 40) + "... (" + s.length() + " characters)" : s;
        return "'" + shown + "'";
    }
}
