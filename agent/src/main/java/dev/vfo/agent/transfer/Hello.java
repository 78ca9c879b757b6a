package dev.vfo.agent.transfer;

import dev.vfo.core.protocol.CommandId;
import dev.vfo.core.protocol.DeviceId;
import dev.vfo.core.protocol.HostId;
import dev.vfo.core.protocol.MigrationId;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The HELLO frame's payload: which migration, which coordinator command and epoch, and which
 * device on which host streams into which device on which host. The destination matches it against
 * what an AcceptDataTransfer told it to expect before a single data byte reaches a device.
 *
 * <p>On the wire: magic u32, version u16, epoch i64, then the strings migration, command, source
 * host, source device, destination host, destination device.
 */
record Hello(MigrationId migration, CommandId command, long epoch, HostId sourceHost, DeviceId sourceDevice,
        HostId destinationHost, DeviceId destinationDevice) {
    Hello {
        Objects.requireNonNull(migration, "migration");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(sourceHost, "sourceHost");
        Objects.requireNonNull(sourceDevice, "sourceDevice");
        Objects.requireNonNull(destinationHost, "destinationHost");
        Objects.requireNonNull(destinationDevice, "destinationDevice");
    }

    byte[] encode() {
        String[] strings = {migration.value(), command.value(), sourceHost.value(), sourceDevice.value(),
            destinationHost.value(), destinationDevice.value()};
        int size = 4 + 2 + 8;
        for (String s : strings) {
            size += Wire.stringBytes(s);
        }
        ByteBuffer b = ByteBuffer.allocate(size).putInt(Wire.MAGIC).putShort((short) Wire.VERSION).putLong(epoch);
        for (String s : strings) {
            Wire.putString(b, s);
        }
        return b.array();
    }

    static Hello decode(byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload);
        try {
            int magic = b.getInt();
            if (magic != Wire.MAGIC) {
                throw new ProtocolViolation("not a vfo transfer stream (magic 0x" + Integer.toHexString(magic) + ")");
            }
            int version = b.getShort() & 0xffff;
            if (version != Wire.VERSION) {
                throw new ProtocolViolation("transfer protocol version " + version + ", this agent speaks "
                        + Wire.VERSION);
            }
            long epoch = b.getLong();
            Hello hello = new Hello(new MigrationId(Wire.string(b)), new CommandId(Wire.string(b)), epoch,
                    new HostId(Wire.string(b)), new DeviceId(Wire.string(b)), new HostId(Wire.string(b)),
                    new DeviceId(Wire.string(b)));
            if (b.hasRemaining()) {
                throw new ProtocolViolation("HELLO has " + b.remaining() + " trailing bytes");
            }
            return hello;
        } catch (BufferUnderflowException e) {
            throw new ProtocolViolation("HELLO is cut off");
        } catch (IllegalArgumentException e) {
            throw new ProtocolViolation("HELLO carries an invalid identifier: " + e.getMessage());
        }
    }

    TransferKey key() {
        return new TransferKey(migration, sourceDevice, destinationDevice);
    }

    @Override
    public String toString() {
        return "migration " + migration + " (command " + command + ", epoch " + epoch + ") from " + sourceHost + "/"
                + sourceDevice + " to " + destinationHost + "/" + destinationDevice;
    }
}
