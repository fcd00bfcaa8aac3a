package dev.gangway.launcher.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PingGroupRangeTest {
    @Test
    void theKernelDefaultIsEmpty() {
        var range = PingGroupRange.parse("1\t0\n").orElseThrow();
        assertThat(range.includesAny(List.of(0L, 1L, 1000L))).isFalse();
    }

    @Test
    void aWideRangeIncludesEveryone() {
        var range = PingGroupRange.parse("0\t2147483647").orElseThrow();
        assertThat(range.includesAny(List.of(0L))).isTrue();
        assertThat(range.includesAny(List.of(1000L))).isTrue();
    }

    @Test
    void anyOfTheGroupsIsEnough() {
        var range = PingGroupRange.parse("100 100").orElseThrow();
        assertThat(range.includesAny(List.of(0L, 100L))).isTrue();
        assertThat(range.includesAny(List.of(0L, 101L))).isFalse();
    }

    @Test
    void garbageDoesNotParse() {
        assertThat(PingGroupRange.parse("")).isEmpty();
        assertThat(PingGroupRange.parse("1")).isEmpty();
        assertThat(PingGroupRange.parse("a b")).isEmpty();
    }
}
