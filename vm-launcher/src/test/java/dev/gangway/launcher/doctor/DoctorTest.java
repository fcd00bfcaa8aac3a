package dev.gangway.launcher.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DoctorTest {
    @Test
    void aMessageThatNamesItsFixIsSplit() {
        assertThat(Doctor.problemAndFix("apt has no kernel; fix: sudo apt-get update", "other"))
                .containsExactly("apt has no kernel", "sudo apt-get update");
    }

    @Test
    void aMessageWithoutAFixGetsTheDefault() {
        assertThat(Doctor.problemAndFix("something broke", "sudo apt-get update"))
                .containsExactly("something broke", "sudo apt-get update");
    }

    @Test
    void theJdkRunningTheTestsPasses() {
        assertThat(Doctor.jdk().status()).isEqualTo(Check.Status.OK);
        assertThat(Doctor.jdk().detail()).contains(Runtime.version().toString());
    }
}
