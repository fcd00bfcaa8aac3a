package dev.gangway.launcher.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host end of the command channel against a scripted guest end on a unix socket. */
class GuestChannelTest {
    @TempDir
    Path dir;

    private SocketChannel guestEnd;
    private BufferedReader guestReads;
    private GuestChannel channel;

    @BeforeEach
    void connect() throws IOException {
        var address = UnixDomainSocketAddress.of(dir.resolve("cmd.sock"));
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(address)) {
            guestEnd = SocketChannel.open(address);
            channel = new GuestChannel(server.accept(), "test");
        }
        guestReads = new BufferedReader(new InputStreamReader(Channels.newInputStream(guestEnd), StandardCharsets.US_ASCII));
    }

    @AfterEach
    void close() throws IOException {
        channel.close();
        guestEnd.close();
    }

    private void guestWrites(byte[] bytes) throws IOException {
        var buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            guestEnd.write(buffer);
        }
    }

    private void guestWrites(String ascii) throws IOException {
        guestWrites(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void helloThenACommandAndItsBinaryOutput() throws Exception {
        guestWrites("H 1\n");
        channel.hello().get(5, TimeUnit.SECONDS);

        var request = channel.send("printf 'a\\nb'", 30);
        var line = guestReads.readLine();
        assertThat(line).startsWith("x " + request.id() + " 30 ");
        var command = new String(Base64.getDecoder().decode(line.split(" ")[3]), StandardCharsets.UTF_8);
        assertThat(command).isEqualTo("printf 'a\\nb'");

        guestWrites("R " + request.id() + " 3 5\n");
        guestWrites(new byte[] {'a', '\n', 0, (byte) 0xff, 'b'});
        var result = request.result().get(5, TimeUnit.SECONDS);
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.output()).containsExactly('a', '\n', 0, (byte) 0xff, 'b');
    }

    @Test
    void streamedChunksReachTheConsumerThenTheExitCode() throws Exception {
        var received = new java.io.ByteArrayOutputStream();
        var request = channel.sendStreamed("yes | head -3", 30, received::writeBytes);
        assertThat(guestReads.readLine()).startsWith("s " + request.id() + " 30 ");
        guestWrites("O " + request.id() + " 2\ny\n" + "O " + request.id() + " 4\ny\ny\n" + "R " + request.id() + " 0 0\n");
        var result = request.result().get(5, TimeUnit.SECONDS);
        assertThat(result.exitCode()).isZero();
        assertThat(received.toString(StandardCharsets.US_ASCII)).isEqualTo("y\ny\ny\n");
    }

    @Test
    void aFailingConsumerFailsItsCommandButNotTheChannel() throws Exception {
        var request = channel.sendStreamed("cat big", 30, chunk -> {
            throw new IllegalStateException("disk full");
        });
        guestWrites("O " + request.id() + " 1\na" + "O " + request.id() + " 1\nb" + "R " + request.id() + " 0 0\n");
        assertThatThrownBy(() -> request.result().get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("disk full");
        var next = channel.send("true", 5);
        guestWrites("R " + next.id() + " 0 0\n");
        assertThat(next.result().get(5, TimeUnit.SECONDS).exitCode()).isZero();
    }

    @Test
    void junkLinesAndUnawaitedAnswersAreDroppedAndCounted() throws Exception {
        var request = channel.send("true", 5);
        guestWrites("garbage\n" + "R 999 0 2\nok" + "x".repeat(GuestChannel.MAX_LINE + 10) + "\n");
        guestWrites("R " + request.id() + " 0 0\n");
        assertThat(request.result().get(5, TimeUnit.SECONDS).output()).isEmpty();
        assertThat(channel.dropped()).isEqualTo(3);
    }

    @Test
    void theGuestGoingAwayFailsWhatIsPending() throws Exception {
        var request = channel.send("sleep 100", 200);
        assertThat(guestReads.readLine()).startsWith("x "); // read, so that closing sends FIN, not RST
        guestWrites("R " + request.id() + " 0 10\nonly");
        guestEnd.close();
        assertThatThrownBy(() -> request.result().get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("in the middle of an output");
        assertThatThrownBy(() -> channel.send("true", 5)).isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void parsesAResponseHeader() {
        assertThat(GuestChannel.parseResponse("R 12 3 4096"))
                .contains(new GuestChannel.ResponseHeader(true, 12, 3, 4096));
        assertThat(GuestChannel.parseResponse("R 1 0 0")).contains(new GuestChannel.ResponseHeader(true, 1, 0, 0));
        assertThat(GuestChannel.parseResponse("O 7 65536")).contains(new GuestChannel.ResponseHeader(false, 7, 0, 65536));
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
        assertThat(GuestChannel.parseResponse("O 1 0 5")).isEmpty();
        assertThat(GuestChannel.parseResponse("O 1")).isEmpty();
        assertThat(GuestChannel.parseResponse("")).isEmpty();
    }
}
