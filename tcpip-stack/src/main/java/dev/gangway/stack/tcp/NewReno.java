package dev.gangway.stack.tcp;

/**
 * NewReno congestion control in bytes (RFC 5681, RFC 6582 recovery is driven by {@link Sender}), with
 * appropriate byte counting (RFC 3465) so the stretch ACKs of a guest that acknowledges a whole batch at
 * once still open the window. The initial window is ten segments (RFC 6928).
 */
final class NewReno implements CongestionControl {
    private int cwnd;
    private int ssthresh = Integer.MAX_VALUE;
    private int ackedInAvoidance;

    NewReno(int mss) {
        this.cwnd = 10 * mss;
    }

    @Override
    public int cwnd() {
        return cwnd;
    }

    @Override
    public int ssthresh() {
        return ssthresh;
    }

    @Override
    public void onAck(int acked, int mss) {
        if (cwnd < ssthresh) {
            cwnd = (int) Math.min(Integer.MAX_VALUE / 2, (long) cwnd + acked);
            return;
        }
        ackedInAvoidance += acked;
        while (ackedInAvoidance >= cwnd) {
            ackedInAvoidance -= cwnd;
            cwnd = (int) Math.min(Integer.MAX_VALUE / 2, (long) cwnd + mss);
        }
    }

    @Override
    public void onLoss(int flight, int mss) {
        ssthresh = Math.max(flight / 2, 2 * mss);
        cwnd = ssthresh;
        ackedInAvoidance = 0;
    }

    @Override
    public void onTimeout(int flight, int mss) {
        ssthresh = Math.max(flight / 2, 2 * mss);
        cwnd = mss;
        ackedInAvoidance = 0;
    }

    @Override
    public void onRecoveryEnd() {
        cwnd = ssthresh;
    }
}
