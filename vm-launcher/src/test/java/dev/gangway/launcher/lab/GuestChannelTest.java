package dev.gangway.launcher.lab;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GuestChannelTest {
    @Test
    void parsesAResponseHeader() {
        assertThat(GuestChannel.parseResponse("R 12 3 4096"))
                .contains(new GuestChannel.ResponseHeader(12, 3, 4096));
        assertThat(GuestChannel.parseResponse("R 1 0 0")).contains(new GuestChannel.ResponseHeader(1, 0, 0));
    }

    @Test
    void rejectsWhatIsNotAResponseHeader() {
        assertThat(GuestChannel.parseResponse("H 1")).isEmpty();
        assertThat(GuestChannel.parseResponse("R 1 0")).isEmpty();
        assertThat(GuestChannel.parseResponse("R 1 0 5 6")).isEmpty();
        assertThat(GuestChannel.parseResponse("R x 0 5")).isEmpty();
        assertThat(GuestChannel.parseResponse("R 0 0 5")).as("ids start at 1").isEmpty();
        assertThat(GuestChannel.parseResponse("R 1 256 5")).as("exit status is 0-255").isEmpty();
        assertThat(GuestChannel.parseResponse("R 1 0 -5")).isEmpty();
        assertThat(GuestChannel.parseResponse("R 1 0 99999999999")).isEmpty();
        assertThat(GuestChannel.parseResponse("")).isEmpty();
    }
}
