import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A host process taking a classic POSIX record lock (fcntl F_SETLK, which is what FileChannel locks are on
 * Linux) on the whole of a file, for tests. Run as a source file: {@code java HostLock.java FILE try|hold}.
 * "try" prints "got" or "busy"; "hold" locks (waiting if needed), prints "locked" and holds the lock until
 * its standard input ends.
 */
public class HostLock {
    public static void main(String[] args) throws Exception {
        try (var channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (args[1].equals("try")) {
                var lock = channel.tryLock(0, Long.MAX_VALUE, false);
                System.out.println(lock == null ? "busy" : "got");
                return;
            }
            try (var lock = channel.lock(0, Long.MAX_VALUE, false)) {
                System.out.println("locked");
                System.out.flush();
                System.in.readAllBytes();
            }
        }
    }
}
