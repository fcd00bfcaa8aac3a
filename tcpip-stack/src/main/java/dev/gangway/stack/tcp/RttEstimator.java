package dev.gangway.stack.tcp;

/**
 * The retransmission timeout of RFC 6298 in nanoseconds: SRTT and RTTVAR from samples, exponential
 * backoff on expiry. The floor is 200 ms (as Linux; RFC 6298 allows a lower one than its 1 s), the
 * ceiling 60 s.
 */
final class RttEstimator {
    static final long MIN_RTO = 200_000_000L;
    static final long MAX_RTO = 60_000_000_000L;
    static final long INITIAL_RTO = 1_000_000_000L;

    private long srtt = -1;
    private long rttvar;
    private long rto = INITIAL_RTO;
    private int backoff;

    void sample(long rttNanos) {
        if (rttNanos < 0) {
            return;
        }
        if (srtt < 0) {
            srtt = rttNanos;
            rttvar = rttNanos / 2;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - rttNanos)) / 4;
            srtt = (7 * srtt + rttNanos) / 8;
        }
        rto = Math.clamp(srtt + Math.max(4 * rttvar, 1_000_000L), MIN_RTO, MAX_RTO);
    }

    /** The current timeout including backoff. */
    long rto() {
        return Math.min(MAX_RTO, rto << Math.min(backoff, 16));
    }

    int backoff() {
        return backoff;
    }

    void backOff() {
        backoff++;
    }

    void resetBackoff() {
        backoff = 0;
    }

    long srtt() {
        return srtt;
    }
}
