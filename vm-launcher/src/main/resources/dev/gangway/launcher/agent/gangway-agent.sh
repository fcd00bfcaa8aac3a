#!/bin/sh
# gangway-agent: the Gangway guest agent (dev.gangway.fsevents.agent.GuestAgent) on the runtime beside it.
# Arguments go to the agent: --connect HOST:PORT --share NAME=MOUNT... --state FILE --fsuid UID:GID.
# The runtime may sit on a read-only file system: nothing here writes beneath it.
home=$(cd "$(dirname "$0")/.." && pwd) || exit 2
# The C libraries the JVM links against (libdl, libpthread, librt, libm...) travel with the runtime; the
# guest's own dynamic loader loads them (see dev.gangway.launcher.agent).
LD_LIBRARY_PATH="$home/lib/sysroot${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export LD_LIBRARY_PATH
# A small, single-threaded-GC, C1-only JVM: the agent is one blocking loop; under emulation, C2 and the
# parallel collectors cost more than they give. No perf data file: /tmp may be absent or read-only.
exec "$home/bin/java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xss512k -Xms8m -Xmx64m \
    -XX:-UsePerfData -XX:+DisableAttachMechanism -Xshare:auto --enable-native-access=ALL-UNNAMED \
    -cp "$home/agent/gangway-fsevents-bridge.jar:$home/agent/gangway-posix.jar" \
    dev.gangway.fsevents.agent.GuestAgent "$@"
