package dev.gangway.stack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The SACK scoreboard merges, advances, and stays bounded whatever the guest sends. */
class SackScoreboardTest {
    @Test
    void mergesAndAdvances() {
        var board = new SackScoreboard();
        int una = -100; // across the wrap of the sequence space
        board.add(0, 100, una, 1000);
        board.add(200, 300, una, 1000);
        board.add(100, 150, una, 1000);
        assertThat(board.rangesForTest()).containsExactly(0, 150, 200, 300);
        assertThat(board.bytes()).isEqualTo(250);
        board.add(140, 210, una, 1000);
        assertThat(board.rangesForTest()).containsExactly(0, 300);
        assertThat(board.skipSacked(50)).isEqualTo(300);
        assertThat(board.nextSacked(-50, 1000)).isEqualTo(0);
        board.advance(120);
        assertThat(board.rangesForTest()).containsExactly(120, 300);
        assertThat(board.sackedWithin(100, 200)).isEqualTo(80);
    }

    @Test
    void ignoresBlocksOutsideTheFlightAndStaysBounded() {
        var board = new SackScoreboard();
        board.add(10, 5, 0, 1000);
        board.add(-10, 5, 0, 1000);
        board.add(10, 2000, 0, 1000);
        assertThat(board.isEmpty()).isTrue();
        for (int i = 0; i < 1000; i++) {
            board.add(1 + 3 * i, 2 + 3 * i, 0, 1_000_000);
        }
        assertThat(board.count()).isEqualTo(SackScoreboard.MAX_RANGES);
    }
}
