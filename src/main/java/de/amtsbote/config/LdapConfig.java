package de.amtsbote.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The {@code ldap} section: sign-in against an LDAP directory or Active Directory and the scheduled sync.
 * Off unless {@code enabled: true}. The service account's password is never logged; {@link #toString()} hides it.
 *
 * @param urls               ldap:// or ldaps:// URLs, tried in order (several domain controllers)
 * @param startTls           upgrade ldap:// connections with StartTLS before binding
 * @param caFile             PEM file with the certificate authority of the directory's TLS certificate, or null
 *                           for the Java trust store
 * @param bindPassword       from bind_password, bind_password_file or bind_password_env
 * @param userFilter         LDAP filter selecting the staff who may use Amtsbote
 * @param localpartAttribute attribute whose value becomes the user name (sAMAccountName, uid)
 * @param adminGroupDn       members of this group are made server admins, or null
 * @param syncIntervalMinutes 0 = sync only when an admin asks for it
 * @param maxLockPercent     a sync that would lock more than this share of the directory accounts is refused
 */
public record LdapConfig(
        boolean enabled,
        List<String> urls,
        boolean startTls,
        Path caFile,
        String bindDn,
        String bindPassword,
        String baseDn,
        String userFilter,
        String localpartAttribute,
        String displaynameAttribute,
        String mailAttribute,
        String adminGroupDn,
        List<GroupRoom> groupRooms,
        int syncIntervalMinutes,
        int connectTimeoutMs,
        int responseTimeoutMs,
        int maxLockPercent) {

    /** Members of the directory group are kept in the room (room id or alias). */
    public record GroupRoom(String groupDn, String room) {}

    public static LdapConfig disabled() {
        return new LdapConfig(false, List.of(), false, null, null, null, null, null, "uid", "displayName", "mail",
                null, List.of(), 0, 5000, 10000, 50);
    }

    @Override
    public String toString() {
        return "LdapConfig[enabled=" + enabled + ", urls=" + urls + ", bindDn=" + bindDn + ", bindPassword=***, baseDn="
                + baseDn + "]";
    }
}
