package dev.gangway.launcher.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The runtime is built from this JDK, is java.base only, carries the agent, and runs it on the host (the
 * guest side is proven by the fsevents ITs in the integration module).
 */
class AgentRuntimeIT {
    @Test
    void buildsOnceAndRunsTheAgent() throws Exception {
        var runtime = AgentRuntime.ensure();
        assertThat(AgentRuntime.ensure().dir()).isEqualTo(runtime.dir());
        assertThat(AgentRuntime.existing().orElseThrow().dir()).isEqualTo(runtime.dir());

        var modules = new ProcessBuilder(runtime.java().toString(), "--list-modules").redirectErrorStream(true)
                .start();
        var listed = new String(modules.getInputStream().readAllBytes());
        assertThat(modules.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(listed.lines().map(l -> l.replaceAll("@.*", "")).toList()).containsExactly("java.base");
        assertThat(runtime.dir().resolve("agent/gangway-fsevents-bridge.jar")).isRegularFile();
        assertThat(runtime.dir().resolve("agent/gangway-posix.jar")).isRegularFile();
        assertThat(runtime.dir().resolve("lib/server/classes.jsa")).isRegularFile();
        assertThat(Files.list(runtime.dir().resolve("lib/sysroot")).map(p -> p.getFileName().toString()))
                .isNotEmpty().doesNotContain("libc.so.6", "ld-linux-x86-64.so.2");

        // Valid flags except a root fsuid: the agent parses them with its own classes and refuses, code 2.
        var agent = new ProcessBuilder(runtime.launcher().toString(), "--connect", "127.0.0.1:9", "--share",
                "s=/tmp", "--state", "/tmp/x", "--fsuid", "0:0").redirectErrorStream(true).start();
        var said = new String(agent.getInputStream().readAllBytes());
        assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).as(said).isEqualTo(2);
        assertThat(said).contains("gangway-agent: --fsuid must name a uid other than root");
    }
}
