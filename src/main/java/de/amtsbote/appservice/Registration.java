package de.amtsbote.appservice;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One application service as its registration file describes it (spec: application service API,
 * "Registration"). Tokens are kept only in memory; the store never sees them.
 *
 * @param url              where transactions and queries go; null if the service wants no traffic
 * @param receiveEphemeral typing, receipts and presence in transactions ({@code receive_ephemeral} or the
 *                         MSC2409 name {@code de.sorunome.msc2409.push_ephemeral})
 * @param pushToDevice     to-device messages for its users in transactions (MSC4203
 *                         {@code io.element.msc4203.push_to_device} or the older {@code
 *                         org.matrix.msc2409.push_to_device} flag, as Synapse reads them)
 */
public record Registration(Path file, String id, String url, String asToken, String hsToken, String senderLocalpart,
                           List<Namespace> users, List<Namespace> aliases, List<Namespace> rooms,
                           boolean rateLimited, List<String> protocols, boolean receiveEphemeral, boolean pushToDevice) {

    /** A namespace entry: a regular expression, matched from the start of the id (as Synapse does). */
    public record Namespace(Pattern regex, boolean exclusive) {
        boolean matches(String id) { return regex.matcher(id).lookingAt(); }
    }

    public String senderUserId(String serverName) { return "@" + senderLocalpart + ":" + serverName; }

    /** The sender or a local user in a users namespace. */
    public boolean isInterestedInUser(String userId, String serverName) {
        if (userId.equals(senderUserId(serverName))) return true;
        return userId.endsWith(":" + serverName) && any(users, userId, false);
    }

    /** A user the service may act as and create (its sender, or a local user in its users namespaces). */
    public boolean ownsUser(String userId, String serverName) { return isInterestedInUser(userId, serverName); }

    public boolean isExclusiveUser(String userId) { return any(users, userId, true); }

    public boolean isInterestedInAlias(String alias) { return any(aliases, alias, false); }

    public boolean isExclusiveAlias(String alias) { return any(aliases, alias, true); }

    public boolean isInterestedInRoom(String roomId) { return any(rooms, roomId, false); }

    private static boolean any(List<Namespace> list, String id, boolean exclusiveOnly) {
        for (Namespace n : list) if ((!exclusiveOnly || n.exclusive()) && n.matches(id)) return true;
        return false;
    }
}
