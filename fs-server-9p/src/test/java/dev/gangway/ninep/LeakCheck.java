package dev.gangway.ninep;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.PooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/**
 * Makes Netty's leak detector (PARANOID in tests) report now: collects garbage, allocates so the detector
 * polls its queue, and fails if it reported a leaked buffer. A leak may escape one run (collection is not
 * guaranteed), but a reported one always fails the test.
 */
public final class LeakCheck {
    private LeakCheck() {
    }

    public static void assertNoLeaks() throws InterruptedException {
        var captured = new ByteArrayOutputStream();
        var original = System.err;
        System.setErr(new PrintStream(captured, true));
        try {
            for (int round = 0; round < 5; round++) {
                System.gc();
                Thread.sleep(20);
                for (int i = 0; i < 200; i++) {
                    PooledByteBufAllocator.DEFAULT.directBuffer(64).release();
                    PooledByteBufAllocator.DEFAULT.heapBuffer(64).release();
                }
            }
        } finally {
            System.setErr(original);
        }
        var text = captured.toString();
        original.print(text);
        assertThat(text).doesNotContain("LEAK:");
    }
}
