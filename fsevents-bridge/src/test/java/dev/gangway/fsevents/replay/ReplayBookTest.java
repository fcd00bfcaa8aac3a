package dev.gangway.fsevents.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReplayBookTest {
    private static final Ghost GHOST = new Ghost(false, 1, 2, 0100644, 0, 0, 3, 4, 5);

    @Test
    void expectationsLastUntilCompletedAndTheLatestWins() {
        var book = new ReplayBook();
        book.expectRemoval("a", GHOST);
        assertThat(book.ghost("a")).isEqualTo(GHOST);
        assertThat(book.isHidden("a")).isFalse();
        book.expectCreate("a");
        assertThat(book.isHidden("a")).isTrue();
        assertThat(book.ghost("a")).isNull();
        book.completed("a");
        assertThat(book.isHidden("a")).isFalse();
        assertThat(book.size()).isZero();
    }

    @Test
    void expectationsExpire() throws InterruptedException {
        var book = new ReplayBook(Duration.ofMillis(1), 10);
        book.expectCreate("a");
        Thread.sleep(5);
        assertThat(book.isHidden("a")).isFalse();
        assertThat(book.size()).isZero();
    }

    @Test
    void theBookIsBoundedAndDropsTheOldest() {
        var book = new ReplayBook(Duration.ofMinutes(1), 2);
        book.expectCreate("a");
        book.expectCreate("b");
        book.expectCreate("c");
        assertThat(book.isHidden("a")).isFalse();
        assertThat(book.isHidden("b")).isTrue();
        assertThat(book.isHidden("c")).isTrue();
        assertThat(book.dropped()).isEqualTo(1);
    }
}
