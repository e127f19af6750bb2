package de.amtsbote.storage.jdbc;

import de.amtsbote.storage.Database;
import de.amtsbote.storage.LdapStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** {@link LdapStore} in SQL that SQLite and PostgreSQL both accept. */
public final class JdbcLdapStore implements LdapStore {
    private static final String USER_COLUMNS = "SELECT user_id, dn, locked_by_sync, admin_granted FROM ldap_users";
    private final Database db;

    public JdbcLdapStore(Database db) { this.db = db; }

    private static LinkedUser linkedUser(ResultSet rs) throws SQLException {
        return new LinkedUser(rs.getString(1), rs.getString(2), rs.getInt(3) == 1, rs.getInt(4) == 1);
    }

    @Override
    public Optional<LinkedUser> linked(String userId) {
        return db.read(c -> Q.one(c, USER_COLUMNS + " WHERE user_id = ?", JdbcLdapStore::linkedUser, userId));
    }

    @Override
    public List<LinkedUser> allLinked() {
        return db.read(c -> Q.list(c, USER_COLUMNS + " ORDER BY user_id", JdbcLdapStore::linkedUser));
    }

    @Override
    public void link(String userId, String dn, long ts) {
        db.write(ctx -> Q.update(ctx, "INSERT INTO ldap_users (user_id, dn, linked_ts) VALUES (?,?,?)"
                + " ON CONFLICT (user_id) DO UPDATE SET dn = excluded.dn", userId, dn, ts));
    }

    @Override
    public void setLockedBySync(String userId, boolean locked) {
        db.write(ctx -> Q.update(ctx, "UPDATE ldap_users SET locked_by_sync = ? WHERE user_id = ?", locked, userId));
    }

    @Override
    public void setAdminGranted(String userId, boolean granted) {
        db.write(ctx -> {
            Q.update(ctx, "UPDATE users SET is_admin = ? WHERE user_id = ?", granted, userId);
            return Q.update(ctx, "UPDATE ldap_users SET admin_granted = ? WHERE user_id = ?", granted, userId);
        });
    }

    @Override
    public List<RoomMember> roomMembers() {
        return db.read(c -> Q.list(c, "SELECT room_id, user_id, group_dn FROM ldap_room_members ORDER BY room_id, user_id",
                rs -> new RoomMember(rs.getString(1), rs.getString(2), rs.getString(3))));
    }

    @Override
    public void addRoomMember(RoomMember m, long ts) {
        db.write(ctx -> Q.update(ctx, "INSERT INTO ldap_room_members (room_id, user_id, group_dn, added_ts) VALUES (?,?,?,?)"
                + " ON CONFLICT (room_id, user_id) DO NOTHING", m.roomId(), m.userId(), m.groupDn(), ts));
    }

    @Override
    public void removeRoomMember(String roomId, String userId) {
        db.write(ctx -> Q.update(ctx, "DELETE FROM ldap_room_members WHERE room_id = ? AND user_id = ?", roomId, userId));
    }
}
