package dev.gangway.ninep.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * One entry of an Rreaddir: qid[13] offset[8] type[1] name[s]. {@code offset} is the cookie the client
 * sends back to continue after this entry; {@code dtype} is the Linux {@code DT_*} value.
 */
public record DirEntry(Qid qid, long offset, int dtype, String name) {
    /** Bytes this entry takes on the wire. */
    public int encodedSize() {
        return Qid.SIZE + 8 + 1 + 2 + name.getBytes(StandardCharsets.UTF_8).length;
    }

    public void encode(ByteBuf out) {
        NinePCodec.writeQid(out, qid);
        out.writeLongLE(offset);
        out.writeByte(dtype);
        NinePCodec.writeString(out, name);
    }
}
