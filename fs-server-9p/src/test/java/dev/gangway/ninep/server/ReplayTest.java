package dev.gangway.ninep.server;

import static dev.gangway.ninep.ServerFixture.walk;
import static dev.gangway.posix.FileCalls.AT_REMOVEDIR;
import static dev.gangway.posix.FileCalls.O_RDONLY;
import static dev.gangway.posix.FileCalls.O_WRONLY;
import static dev.gangway.posix.FileCalls.S_IFREG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gangway.ninep.NinePTestClient;
import dev.gangway.ninep.ServerFixture;
import dev.gangway.ninep.protocol.Qid;
import dev.gangway.ninep.protocol.Rmessage.*;
import dev.gangway.ninep.protocol.Tmessage.*;
import dev.gangway.posix.Errno;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's attach (uid 4242 here) replays host changes: hidden names, ghosts, and calls that complete
 * against the host's state without changing it. Other uids on the same server are untouched.
 */
class ReplayTest {
    private static final int AGENT = 4242;

    @TempDir
    Path dir;

    private final Set<String> hidden = ConcurrentHashMap.newKeySet();
    private final Map<String, ReplayPolicy.Ghost> ghosts = new ConcurrentHashMap<>();
    private final List<String> completed = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<MutationListener.Mutation> mutations = new java.util.concurrent.CopyOnWriteArrayList<>();
    private ServerFixture fx;
    private NinePTestClient agent;
    private NinePTestClient user;

    @BeforeEach
    void start() throws Exception {
        var policy = new ReplayPolicy() {
            @Override
            public boolean isAgent(String share, int uid) {
                return uid == AGENT;
            }

            @Override
            public boolean isHidden(String share, String path) {
                return hidden.contains(path);
            }

            @Override
            public Ghost ghost(String share, String path) {
                return ghosts.get(path);
            }

            @Override
            public void completed(String share, String path) {
                completed.add(path);
                hidden.remove(path);
                ghosts.remove(path);
            }
        };
        fx = new ServerFixture(NinePServer.builder().share("s", dir, false).replayPolicy(policy)
                .mutationListener(mutations::add).build());
        agent = fx.attached("s", AGENT);
        user = fx.attached("s", 1000);
    }

    @AfterEach
    void stop() throws Exception {
        agent.close();
        user.close();
        fx.close();
    }

    private ReplayPolicy.Ghost ghostOf(Path path) throws Exception {
        long dev = (Long) Files.getAttribute(path, "unix:dev");
        long ino = (Long) Files.getAttribute(path, "unix:ino");
        int mode = (Integer) Files.getAttribute(path, "unix:mode");
        return new ReplayPolicy.Ghost(dev, ino, mode, 0, 0, Files.size(path), 7_000_000_001L, 8_000_000_002L);
    }

    @Test
    void aHostCreationIsHiddenUntilTheAgentsMknodWhichCreatesNothing() throws Exception {
        Files.writeString(dir.resolve("new"), "host data");
        hidden.add("new");
        assertThat(agent.error(new Twalk(0, 1, List.of("new")))).isEqualTo(Errno.ENOENT);
        assertThat(walk(user, 0, 1, "new")).as("others see it").isNotNull();
        var qid = agent.call(new Tmknod(0, "new", S_IFREG | 0644, 0, 0, 0), Rmknod.class).qid();
        assertThat(qid).isEqualTo(walk(user, 0, 2, "new"));
        assertThat(completed).containsExactly("new");
        assertThat(walk(agent, 0, 1, "new")).as("visible once replayed").isEqualTo(qid);
        assertThat(Files.readString(dir.resolve("new"))).isEqualTo("host data");
        assertThat(mutations).as("a replay is no guest change").isEmpty();
    }

    @Test
    void aHostRemovalIsAGhostWithItsOldIdentityUntilTheAgentsUnlink() throws Exception {
        Files.createDirectory(dir.resolve("d"));
        Files.writeString(dir.resolve("d/gone"), "x");
        var qidBefore = walk(user, 0, 1, "d", "gone");
        ghosts.put("d/gone", ghostOf(dir.resolve("d/gone")));
        Files.delete(dir.resolve("d/gone"));

        assertThat(((Rwalk) user.rpc(new Twalk(0, 3, List.of("d", "gone")))).qids())
                .as("only the agent sees ghosts: the walk stops at d").hasSize(1);
        assertThat(walk(agent, 0, 2, "d", "gone")).isEqualTo(qidBefore);
        var attr = agent.call(new Tgetattr(2, Rgetattr.BASIC), Rgetattr.class);
        assertThat(attr.size()).isEqualTo(1);
        assertThat(attr.mtimeSec()).isEqualTo(7);
        assertThat(agent.error(new Tlopen(2, O_RDONLY))).isEqualTo(Errno.ENOENT);

        walk(agent, 0, 4, "d");
        agent.call(new Tunlinkat(4, "gone", 0), Runlinkat.class);
        assertThat(completed).containsExactly("d/gone");
        assertThat(((Rwalk) agent.rpc(new Twalk(0, 5, List.of("d", "gone")))).qids()).as("the ghost is gone").hasSize(1);
    }

    @Test
    void ghostDirectoriesCanBeWalkedThroughAndRemoved() throws Exception {
        Files.createDirectories(dir.resolve("tree/sub"));
        ghosts.put("tree/sub", ghostOf(dir.resolve("tree/sub")));
        ghosts.put("tree", ghostOf(dir.resolve("tree")));
        Files.delete(dir.resolve("tree/sub"));
        Files.delete(dir.resolve("tree"));
        var sub = walk(agent, 0, 1, "tree", "sub");
        assertThat(sub.type()).isEqualTo(Qid.DIR);
        walk(agent, 0, 2, "tree");
        agent.call(new Tunlinkat(2, "sub", AT_REMOVEDIR), Runlinkat.class);
        agent.call(new Tunlinkat(0, "tree", AT_REMOVEDIR), Runlinkat.class);
        assertThat(completed).containsExactly("tree/sub", "tree");
    }

    @Test
    void aHostRenameIsAGhostAtTheOldNameAndHiddenAtTheNew() throws Exception {
        Files.writeString(dir.resolve("old"), "content");
        ghosts.put("old", ghostOf(dir.resolve("old")));
        Files.move(dir.resolve("old"), dir.resolve("new"));
        hidden.add("new");
        var qid = walk(agent, 0, 1, "old");
        assertThat(qid).as("the same inode").isEqualTo(walk(user, 0, 9, "new"));
        assertThat(agent.error(new Twalk(0, 2, List.of("new")))).isEqualTo(Errno.ENOENT);
        agent.call(new Trenameat(0, "old", 0, "new"), Rrenameat.class);
        assertThat(completed).containsExactly("old", "new");
        assertThat(Files.readString(dir.resolve("new"))).isEqualTo("content");
    }

    @Test
    void theAgentNeverChangesHostData() throws Exception {
        Files.writeString(dir.resolve("f"), "keep");
        var mtime = Files.getLastModifiedTime(dir.resolve("f"));
        walk(agent, 0, 1, "f");
        agent.call(new Tsetattr(1, Tsetattr.SIZE | Tsetattr.MODE, 0777, 0, 0, 0, 0, 0, 0, 0), Rsetattr.class);
        assertThat(agent.error(new Tlopen(1, O_WRONLY))).isEqualTo(Errno.EROFS);
        assertThat(agent.error(new Tlcreate(0, "x", O_WRONLY, 0644, 0))).isEqualTo(Errno.EROFS);
        assertThat(agent.error(new Tmknod(0, "absent", S_IFREG | 0644, 0, 0, 0))).isEqualTo(Errno.ENOENT);
        walk(agent, 0, 2);
        agent.call(new Tunlinkat(0, "f", 0), Runlinkat.class);
        agent.call(new Trenameat(0, "f", 0, "g"), Rrenameat.class);
        assertThat(Files.readString(dir.resolve("f"))).isEqualTo("keep");
        assertThat(Files.getLastModifiedTime(dir.resolve("f"))).isEqualTo(mtime);
        assertThat(dir.resolve("g")).doesNotExist();
        assertThat(dir.resolve("absent")).doesNotExist();
        assertThat(mutations).isEmpty();
    }
}
