package dev.grapevine.runtime;

import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.NameIndex;

/**
 * What the guardian gives its children: the validated settings, this process's identity, and the
 * origin of the node's monotonic clock. Each child builds its own core component from it.
 */
record NodeContext(NodeSettings settings, Member self, long originNanos) {

    /** Each component gets its own index: actors share no mutable state. */
    NameIndex newNameIndex() {
        return new NameIndex();
    }
}
