package dev.gangway.forward;

import dev.gangway.forward.dial.SourceAddressPolicy;
import dev.gangway.forward.docker.DockerOptions;
import dev.gangway.forward.relay.RelayLimits;
import java.util.Objects;

/**
 * How the forwarder service runs.
 *
 * @param sources which source address the guest sees (the host alias for loopback clients)
 * @param limits  per-forward bounds: connections, UDP flows, idle timeout
 * @param docker  Docker auto-publishing, or {@code null} to leave it off
 */
public record ForwarderOptions(SourceAddressPolicy sources, RelayLimits limits, DockerOptions docker) {
    public static final ForwarderOptions DEFAULT =
            new ForwarderOptions(SourceAddressPolicy.DEFAULT, RelayLimits.DEFAULT, null);

    public ForwarderOptions {
        Objects.requireNonNull(sources, "sources");
        Objects.requireNonNull(limits, "limits");
    }

    public ForwarderOptions withDocker(DockerOptions docker) {
        return new ForwarderOptions(sources, limits, docker);
    }
}
