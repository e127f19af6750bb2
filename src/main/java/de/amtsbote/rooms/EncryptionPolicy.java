package de.amtsbote.rooms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.config.Config;
import de.amtsbote.http.MatrixException;
import de.amtsbote.util.Json;

/**
 * The administrator's end-to-end encryption policy (config section "encryption"): which new rooms are created
 * encrypted, and whether members may switch encryption on themselves. Matrix has no way to switch it off.
 */
public record EncryptionPolicy(Config.Encryption.NewRooms newRooms, boolean usersMayEnable) {
    /** The algorithm every Matrix client supports for room messages. */
    public static final String MEGOLM = "m.megolm.v1.aes-sha2";

    public static EncryptionPolicy of(Config.Encryption c) { return new EncryptionPolicy(c.newRooms(), c.usersMayEnable()); }

    /** Whether a new room is created encrypted: private = not joinable by everyone (invite only, DMs). */
    public boolean encryptAtCreation(boolean publicPreset) {
        return switch (newRooms) {
            case OFF -> false;
            case PRIVATE -> !publicPreset;
            case ALL -> true;
        };
    }

    /** The content of the m.room.encryption event the server adds. */
    public static ObjectNode megolmContent() {
        ObjectNode c = Json.object();
        c.put("algorithm", MEGOLM);
        return c;
    }

    /** A member asks to switch encryption on (PUT /state, or initial_state when the policy would not). */
    public void checkUserMayEnable() {
        if (!usersMayEnable) {
            throw MatrixException.forbidden("The administrator of this server does not allow switching on "
                    + "encryption for rooms");
        }
    }
}
