package dev.grapevine.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigRenderOptions;
import dev.grapevine.spi.ConfigProblems;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.node.Membership;

import java.util.Map;
import java.util.TreeMap;

/**
 * {@code grapevine.node.tags}: checked at start against the limits the running node would hit later
 * (a tag map over the member limit used to pass here, then fail the node's first member entry).
 */
final class NodeTags {
    static final String PATH = "grapevine.node.tags";

    private NodeTags() {
    }

    /** The tags, keys of nested sections joined with dots ({@code a { b = 1 }} is {@code a.b}). */
    static Map<String, String> read(Config c, ConfigProblems problems) {
        Map<String, String> tags = new TreeMap<>();
        if (!(c.getValue(PATH) instanceof ConfigObject root)) {
            problems.bad(c, PATH, "must be a section of KEY = VALUE");
            return tags;
        }
        flatten("", root, tags, c, problems);
        for (String key : tags.keySet()) {
            if (!NodeHandle.isTagKeyShape(key)) {
                problems.add(PATH + " \"" + key + "\": a tag key is 1.." + NodeHandle.TAG_KEY_CHARS_MAX
                        + " characters without '=', control characters or surrounding spaces");
            } else if (key.startsWith(Membership.RESERVED_TAG_PREFIX)) {
                problems.add(PATH + " \"" + key + "\": tag keys starting with '" + Membership.RESERVED_TAG_PREFIX
                        + "' are reserved for the node's own");
            }
        }
        int bytes = Member.tagsBytes(tags);
        if (bytes > NodeHandle.USER_TAGS_BYTES_MAX) {
            problems.bad(c, PATH, "take " + bytes + " bytes (keys and values, UTF-8); the limit is "
                    + NodeHandle.USER_TAGS_BYTES_MAX + " (the member limit of " + Member.TAGS_BYTES_MAX
                    + " less " + (Member.TAGS_BYTES_MAX - NodeHandle.USER_TAGS_BYTES_MAX) + " for the node's own)");
        }
        return tags;
    }

    private static void flatten(String prefix, ConfigObject section, Map<String, String> into, Config c, ConfigProblems problems) {
        for (Map.Entry<String, ConfigValue> e : section.entrySet()) {
            String key = prefix + e.getKey();
            ConfigValue value = e.getValue();
            switch (value.valueType()) {
                case OBJECT -> flatten(key + ".", (ConfigObject) value, into, c, problems);
                case STRING, NUMBER, BOOLEAN -> into.put(key, String.valueOf(value.unwrapped()));
                default -> problems.add(PATH + " \"" + key + "\" = " + value.render(ConfigRenderOptions.concise())
                        + ": a tag's value must be a string");
            }
        }
    }
}
