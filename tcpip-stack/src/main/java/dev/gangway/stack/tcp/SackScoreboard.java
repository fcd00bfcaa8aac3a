package dev.gangway.stack.tcp;

import java.util.Arrays;

/**
 * What the guest told us it holds beyond the cumulative ACK (RFC 2018 SACK blocks), as sorted, disjoint
 * ranges {@code [left, right)} of sequence numbers above SND.UNA. Blocks are merged as they arrive; the
 * number of ranges is bounded (the guest controls them): past the bound the lowest new ones are ignored,
 * which only costs a needless retransmission.
 */
final class SackScoreboard {
    static final int MAX_RANGES = 64;

    private final int[] left = new int[MAX_RANGES];
    private final int[] right = new int[MAX_RANGES];
    private int count;
    private long bytes;

    int count() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Bytes covered by all ranges. */
    long bytes() {
        return bytes;
    }

    /** The highest SACKed sequence (exclusive end); only when not empty. */
    int highest() {
        return right[count - 1];
    }

    void clear() {
        count = 0;
        bytes = 0;
    }

    /** Adds {@code [l, r)}, ignoring it unless {@code una < l < r <= nxt}. */
    void add(int l, int r, int una, int nxt) {
        if (!Seq.lt(una, l) || !Seq.lt(l, r) || !Seq.le(r, nxt)) {
            return;
        }
        int i = 0;
        while (i < count && Seq.lt(right[i], l)) {
            i++;
        }
        int j = i;
        int nl = l;
        int nr = r;
        while (j < count && Seq.le(left[j], nr)) {
            nl = Seq.min(nl, left[j]);
            nr = Seq.max(nr, right[j]);
            j++;
        }
        int merged = j - i;
        if (merged == 0 && count == MAX_RANGES) {
            return;
        }
        int newCount = count - merged + 1;
        if (merged != 1) {
            System.arraycopy(left, j, left, i + 1, count - j);
            System.arraycopy(right, j, right, i + 1, count - j);
        }
        left[i] = nl;
        right[i] = nr;
        count = newCount;
        recount();
    }

    /** Forgets everything below {@code una} (acknowledged cumulatively). */
    void advance(int una) {
        int drop = 0;
        while (drop < count && Seq.le(right[drop], una)) {
            drop++;
        }
        if (drop > 0) {
            System.arraycopy(left, drop, left, 0, count - drop);
            System.arraycopy(right, drop, right, 0, count - drop);
            count -= drop;
        }
        if (count > 0 && Seq.lt(left[0], una)) {
            left[0] = una;
        }
        recount();
    }

    private void recount() {
        long b = 0;
        for (int k = 0; k < count; k++) {
            b += right[k] - left[k];
        }
        bytes = b;
    }

    /**
     * RFC 6675 IsLost: the sequence below which every unSACKed byte counts as lost, because at least
     * {@code threshold} bytes above it were SACKed; {@code floor} when nothing qualifies.
     */
    int lossBoundary(long threshold, int floor) {
        long above = 0;
        for (int k = count - 1; k >= 0; k--) {
            above += right[k] - left[k];
            if (above >= threshold) {
                return Seq.max(left[k], floor);
            }
        }
        return floor;
    }

    /** The first sequence at or after {@code seq} that is not SACKed. */
    int skipSacked(int seq) {
        for (int k = 0; k < count; k++) {
            if (Seq.inRange(seq, left[k], right[k])) {
                return right[k];
            }
        }
        return seq;
    }

    /** The start of the first SACKed range above {@code seq}, or {@code limit} when there is none before it. */
    int nextSacked(int seq, int limit) {
        for (int k = 0; k < count; k++) {
            if (Seq.gt(left[k], seq)) {
                return Seq.min(left[k], limit);
            }
        }
        return limit;
    }

    /** SACKed bytes within {@code [l, r)}. */
    long sackedWithin(int l, int r) {
        long b = 0;
        for (int k = 0; k < count; k++) {
            int a = Seq.max(left[k], l);
            int z = Seq.min(right[k], r);
            if (Seq.lt(a, z)) {
                b += z - a;
            }
        }
        return b;
    }

    @Override
    public String toString() {
        var sb = new StringBuilder("[");
        for (int k = 0; k < count; k++) {
            sb.append(k == 0 ? "" : ", ").append(Integer.toUnsignedString(left[k])).append('-')
                    .append(Integer.toUnsignedString(right[k]));
        }
        return sb.append(']').toString();
    }

    int[] rangesForTest() {
        var out = new int[count * 2];
        for (int k = 0; k < count; k++) {
            out[2 * k] = left[k];
            out[2 * k + 1] = right[k];
        }
        return Arrays.copyOf(out, out.length);
    }
}
