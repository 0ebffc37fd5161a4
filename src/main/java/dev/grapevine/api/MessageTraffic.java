package dev.grapevine.api;

/**
 * What one type of message cost this node over the wire since it started: messages and bytes (whole
 * Artery frames) received and sent.
 */
public record MessageTraffic(long messagesIn, long bytesIn, long messagesOut, long bytesOut) {
}
