/**
 * Counters of the virtual network: frames and bytes per protocol layer in both directions, and every
 * dropped frame by layer and reason ({@code ipv4/bad-checksum}, {@code link/frame-too-long}...). The
 * stack never throws on guest input; a counter here is the trace a bad frame leaves.
 *
 * <p>Limits: counts are {@code LongAdder}s shared by all links of a network; the set of drop reasons is
 * fixed by the code (the guest cannot create new keys).
 */
package dev.gangway.stack.stats;
