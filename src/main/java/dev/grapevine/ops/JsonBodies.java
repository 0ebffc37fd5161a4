package dev.grapevine.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON bodies of the admin API's routes, checked against the one shape each route reads. The
 * body is read as a tree and walked by hand rather than bound to Java types, so every refusal says
 * what was expected in JSON's terms ("addresses[2] is a number"), never in a Java class's, and what
 * reaches a route holds no nulls and no values of the wrong type.
 */
final class JsonBodies {
    static final String JOIN_SHAPE = "{\"addresses\":[\"host:port\", ...]}";
    /** Addresses one join may name: seeds are a handful, and each is a connection attempt, and maybe a lookup. */
    static final int JOIN_ADDRESSES_MAX = 64;
    static final String TAGS_SHAPE = "{\"set\":{\"key\":\"value\"},\"delete\":[\"key\"]}";

    private JsonBodies() {
    }

    /** A body that is not the JSON a route reads; the message is a one-line reason for a 400. */
    static final class BadBody extends Exception {
        private static final long serialVersionUID = 1L;

        BadBody(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code POST /v1/tags}: the tags to set and the keys to delete, either possibly empty, none null. */
    record TagsChange(Map<String, String> set, List<String> delete) {
    }

    /** {@code POST /v1/join}'s non-empty list of addresses, each a string (its form is the node's to check). */
    static List<String> joinAddresses(byte[] body) throws BadBody {
        JsonNode root = parse(body, JOIN_SHAPE);
        JsonNode addresses = root.isObject() ? root.get("addresses") : null;
        if (addresses == null || !addresses.isArray() || addresses.isEmpty()) {
            throw new BadBody("expected " + JOIN_SHAPE + (addresses == null ? "" : ", not addresses as " + describe(addresses)));
        }
        if (addresses.size() > JOIN_ADDRESSES_MAX) {
            throw new BadBody("a join names at most " + JOIN_ADDRESSES_MAX + " addresses, not " + addresses.size());
        }
        return strings(addresses, "addresses", JOIN_SHAPE);
    }

    /** {@code POST /v1/tags}: {@code set} an object of strings, {@code delete} an array of strings, no other field. */
    static TagsChange tags(byte[] body) throws BadBody {
        JsonNode root = parse(body, TAGS_SHAPE);
        if (root.isNull()) {
            return new TagsChange(Map.of(), List.of());
        }
        if (!root.isObject()) {
            throw new BadBody("expected " + TAGS_SHAPE + ", not " + describe(root));
        }
        Map<String, String> set = new LinkedHashMap<>();
        List<String> delete = List.of();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "set" -> {
                    if (!value.isNull() && !value.isObject()) {
                        throw new BadBody("expected " + TAGS_SHAPE + ", not set as " + describe(value));
                    }
                    for (Iterator<Map.Entry<String, JsonNode>> tags = value.fields(); tags.hasNext(); ) {
                        Map.Entry<String, JsonNode> tag = tags.next();
                        if (!tag.getValue().isTextual()) {
                            throw new BadBody("the value of tag '" + tag.getKey() + "' is " + describe(tag.getValue())
                                    + "; tag values are strings");
                        }
                        set.put(tag.getKey(), tag.getValue().textValue());
                    }
                }
                case "delete" -> delete = value.isNull() ? List.of() : strings(value, "delete", TAGS_SHAPE);
                default -> throw new BadBody("unknown field '" + field.getKey() + "': expected " + TAGS_SHAPE);
            }
        }
        return new TagsChange(Map.copyOf(set), delete);
    }

    private static JsonNode parse(byte[] body, String shape) throws BadBody {
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw new BadBody("the body is empty: expected " + shape);
            }
            return root;
        } catch (StreamConstraintsException e) {
            throw new BadBody("the body nests too deeply or holds too long a value for " + shape);
        } catch (JsonProcessingException e) {
            throw new BadBody("the body is not JSON" + where(e) + ": expected " + shape);
        } catch (IOException e) {
            throw new BadBody("cannot read the body: " + e.getMessage());
        }
    }

    /**
     * Where parsing stopped. Not Jackson's message: it may quote its own feature flags and Java types
     * ("StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION"), which mean nothing to a client.
     */
    private static String where(JsonProcessingException e) {
        com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? "" : " (at line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    private static List<String> strings(JsonNode array, String field, String shape) throws BadBody {
        if (!array.isArray()) {
            throw new BadBody("expected " + shape + ", not " + field + " as " + describe(array));
        }
        List<String> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode item = array.get(i);
            if (!item.isTextual()) {
                throw new BadBody(field + "[" + i + "] is " + describe(item) + "; expected a string in " + shape);
            }
            out.add(item.textValue());
        }
        return List.copyOf(out);
    }

    /** A JSON value's kind, as a person reading the body would call it. */
    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " value";
        };
    }
}
