package dev.gangway.stack.tcp;

/** A sender's congestion window, in bytes (RFC 5681 vocabulary). */
interface CongestionControl {
    int cwnd();

    int ssthresh();

    /** {@code acked} new bytes were acknowledged outside recovery. */
    void onAck(int acked, int mss);

    /** Loss detected by duplicate ACKs or SACK: returns the new ssthresh; cwnd becomes it. */
    void onLoss(int flight, int mss);

    /** Retransmission timeout: cwnd collapses to one segment. */
    void onTimeout(int flight, int mss);

    /** Recovery ended with a full acknowledgement. */
    void onRecoveryEnd();
}
