package dev.grapevine.kv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grapevine.core.recovery.MajorityGate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * {@code kv.partition-mode = majority} on one node: the core's {@link MajorityGate}, fed the key-value
 * domain's epochs, with its reference (the members of the last epoch it admitted) kept in the data dir
 * so that a restarted node on the minority side does not admit itself. Single writer: the KV actor.
 */
final class MajorityWrites {
    /** The reference's file in the data dir: {@code {"members":[...]}}. */
    static final String FILE = "kv-majority-reference.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MajorityGate gate;
    /** Null: kept in memory only (a node without a data dir). */
    private final Path file;

    private MajorityWrites(MajorityGate gate, Path file) {
        this.gate = gate;
        this.file = file;
    }

    /**
     * The gate with the reference saved in {@code fileOrNull}, if any.
     *
     * @throws UncheckedIOException naming the file if it exists but cannot be read
     */
    static MajorityWrites load(Path fileOrNull) {
        return new MajorityWrites(new MajorityGate(fileOrNull == null ? List.of() : read(fileOrNull)), fileOrNull);
    }

    static List<String> read(Path file) {
        try {
            JsonNode members = JSON.readTree(Files.readAllBytes(file)).get("members");
            if (members == null || !members.isArray()) {
                throw new IOException("expected {\"members\":[...]}");
            }
            List<String> names = new ArrayList<>();
            members.forEach(m -> names.add(m.asText()));
            return names;
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException(new IOException("cannot read the majority reference " + file + ": " + e.getMessage()
                    + " (delete it to admit the next epoch as a new cluster would)", e));
        }
    }

    /**
     * A new epoch of the key-value domain with these members, as it forms. Returns why its writes are
     * refused, or null if it is admitted. Only a node's first epoch becomes the reference here (and is
     * saved); later ones wait for {@link #onEpochComplete}.
     *
     * @throws UncheckedIOException if the new reference cannot be saved; it holds in memory meanwhile
     */
    String onEpoch(Collection<String> members) {
        java.util.SortedSet<String> before = gate.reference();
        MajorityGate.Verdict v = gate.onEpoch(members);
        saveIfMoved(before);
        return v.reason();
    }

    /**
     * The epoch with these members is complete everywhere: admitted, and saved as the reference, if it
     * holds a majority of the reference. Returns why not, or null.
     *
     * @throws UncheckedIOException if the new reference cannot be saved; it holds in memory meanwhile
     */
    String onEpochComplete(Collection<String> members) {
        java.util.SortedSet<String> before = gate.reference();
        MajorityGate.Verdict v = gate.onEpochComplete(members);
        saveIfMoved(before);
        return v.reason();
    }

    private void saveIfMoved(java.util.SortedSet<String> before) {
        if (file != null && !before.equals(gate.reference())) {
            save();
        }
    }

    /** Why a write must be refused by a node that sees these live members (itself included), or null. */
    String refusal(Collection<String> liveMembers) {
        return gate.check(liveMembers).reason();
    }

    java.util.SortedSet<String> reference() {
        return gate.reference();
    }

    private void save() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode members = root.putArray("members");
        gate.reference().forEach(members::add);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(tmp, JSON.writeValueAsBytes(root));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot save the majority reference " + file + ": "
                    + KvStore.diskReason(e), e));
        }
    }
}
