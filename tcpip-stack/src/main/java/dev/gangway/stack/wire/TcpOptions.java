package dev.gangway.stack.wire;

import io.netty.buffer.ByteBuf;

/**
 * The TCP options the stack understands (RFC 9293 MSS, RFC 7323 window scale and timestamps, RFC 2018
 * SACK). Absent values: {@code mss} 0, {@code windowScale} -1, {@code timestamps} false. {@code sack}
 * holds up to four blocks as {@code [left0, right0, left1, right1, ...]} (sequence numbers); unknown
 * options are skipped.
 */
public record TcpOptions(int mss, int windowScale, boolean sackPermitted, boolean timestamps, int tsVal, int tsEcr,
        int[] sack) {
    static final int END = 0, NOP = 1, MSS = 2, WSCALE = 3, SACK_PERMITTED = 4, SACK = 5, TIMESTAMP = 8;
    public static final int MAX_WINDOW_SCALE = 14;
    public static final int MAX_SACK_BLOCKS = 4;
    private static final int[] NO_BLOCKS = new int[0];

    public static final TcpOptions NONE = new TcpOptions(0, -1, false, false, 0, 0, NO_BLOCKS);

    public TcpOptions {
        sack = sack == null ? NO_BLOCKS : sack;
    }

    public int sackBlocks() {
        return sack.length / 2;
    }

    /** Options of a SYN or SYN-ACK. */
    public static TcpOptions syn(int mss, int windowScale, boolean sackPermitted, boolean timestamps, int tsVal,
            int tsEcr) {
        return new TcpOptions(mss, windowScale, sackPermitted, timestamps, tsVal, tsEcr, NO_BLOCKS);
    }

    /** Options of an established segment: timestamps (when on) and SACK blocks. */
    public static TcpOptions established(boolean timestamps, int tsVal, int tsEcr, int[] sack) {
        return new TcpOptions(0, -1, false, timestamps, tsVal, tsEcr, sack);
    }

    /**
     * Parses the options between {@code offset} and {@code end}; a malformed list (a length running past
     * the end, a length below 2, a known option with the wrong length) is refused.
     */
    public static Parsed<TcpOptions> parse(ByteBuf buf, int offset, int end) {
        if (offset == end) {
            return Parsed.ok(NONE);
        }
        int mss = 0;
        int wscale = -1;
        boolean sackPermitted = false;
        boolean timestamps = false;
        int tsVal = 0;
        int tsEcr = 0;
        int[] sack = NO_BLOCKS;
        int i = offset;
        while (i < end) {
            int kind = buf.getUnsignedByte(i);
            if (kind == END) {
                break;
            }
            if (kind == NOP) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                return Parsed.refused(Malformed.BAD_OPTIONS);
            }
            int length = buf.getUnsignedByte(i + 1);
            if (length < 2 || i + length > end) {
                return Parsed.refused(Malformed.BAD_OPTIONS);
            }
            switch (kind) {
                case MSS -> {
                    if (length != 4) {
                        return Parsed.refused(Malformed.BAD_OPTIONS);
                    }
                    mss = buf.getUnsignedShort(i + 2);
                }
                case WSCALE -> {
                    if (length != 3) {
                        return Parsed.refused(Malformed.BAD_OPTIONS);
                    }
                    wscale = Math.min(MAX_WINDOW_SCALE, buf.getUnsignedByte(i + 2));
                }
                case SACK_PERMITTED -> {
                    if (length != 2) {
                        return Parsed.refused(Malformed.BAD_OPTIONS);
                    }
                    sackPermitted = true;
                }
                case TIMESTAMP -> {
                    if (length != 10) {
                        return Parsed.refused(Malformed.BAD_OPTIONS);
                    }
                    timestamps = true;
                    tsVal = buf.getInt(i + 2);
                    tsEcr = buf.getInt(i + 6);
                }
                case SACK -> {
                    if ((length - 2) % 8 != 0 || length == 2) {
                        return Parsed.refused(Malformed.BAD_OPTIONS);
                    }
                    int blocks = Math.min(MAX_SACK_BLOCKS, (length - 2) / 8);
                    sack = new int[blocks * 2];
                    for (int b = 0; b < blocks * 2; b++) {
                        sack[b] = buf.getInt(i + 2 + b * 4);
                    }
                }
                default -> {
                    // Unknown options (MD5, fast open, experiments) are skipped, as the kernel does.
                }
            }
            i += length;
        }
        return Parsed.ok(new TcpOptions(mss, wscale, sackPermitted, timestamps, tsVal, tsEcr, sack));
    }

    /** Bytes {@link #emit} writes: a multiple of 4, at most 40. */
    public int emittedLength() {
        int n = 0;
        if (mss != 0) {
            n += 4;
        }
        if (windowScale >= 0) {
            n += 4; // NOP + 3
        }
        if (timestamps) {
            n += 12; // NOP NOP + 10, or SACK-permitted + 10 on a SYN
        } else if (sackPermitted) {
            n += 4;
        }
        int blocks = Math.min(sack.length / 2, timestamps ? 3 : MAX_SACK_BLOCKS);
        if (blocks > 0) {
            n += 4 + blocks * 8; // NOP NOP + 2 + 8n
        }
        return n;
    }

    /** Writes the options at {@code offset}, NOP-padded to {@link #emittedLength()}. */
    public void emit(ByteBuf buf, int offset) {
        int i = offset;
        if (mss != 0) {
            buf.setByte(i, MSS);
            buf.setByte(i + 1, 4);
            buf.setShort(i + 2, mss);
            i += 4;
        }
        if (windowScale >= 0) {
            buf.setByte(i, NOP);
            buf.setByte(i + 1, WSCALE);
            buf.setByte(i + 2, 3);
            buf.setByte(i + 3, windowScale);
            i += 4;
        }
        if (timestamps) {
            if (sackPermitted) {
                buf.setByte(i, SACK_PERMITTED);
                buf.setByte(i + 1, 2);
            } else {
                buf.setByte(i, NOP);
                buf.setByte(i + 1, NOP);
            }
            buf.setByte(i + 2, TIMESTAMP);
            buf.setByte(i + 3, 10);
            buf.setInt(i + 4, tsVal);
            buf.setInt(i + 8, tsEcr);
            i += 12;
        } else if (sackPermitted) {
            buf.setByte(i, NOP);
            buf.setByte(i + 1, NOP);
            buf.setByte(i + 2, SACK_PERMITTED);
            buf.setByte(i + 3, 2);
            i += 4;
        }
        int blocks = Math.min(sack.length / 2, timestamps ? 3 : MAX_SACK_BLOCKS);
        if (blocks > 0) {
            buf.setByte(i, NOP);
            buf.setByte(i + 1, NOP);
            buf.setByte(i + 2, SACK);
            buf.setByte(i + 3, 2 + blocks * 8);
            i += 4;
            for (int b = 0; b < blocks * 2; b++) {
                buf.setInt(i, sack[b]);
                i += 4;
            }
        }
    }
}
