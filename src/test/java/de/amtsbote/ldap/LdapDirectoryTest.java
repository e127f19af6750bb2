package de.amtsbote.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchEntry;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.SearchResultEntry;
import de.amtsbote.config.ConfigLoader;
import de.amtsbote.config.LdapConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The directory client on its own: password checks, paging, ranged group members, failures. */
class LdapDirectoryTest {
    private static LdapConfig config(TestDirectory dir, String extra) {
        return ConfigLoader.parse(dir.yaml(extra), Path.of("."), "test").ldap();
    }

    @Test
    void emptyPasswordIsRefusedWithoutAsking() throws Exception {
        try (TestDirectory dir = new TestDirectory()) {
            dir.addUser("anna", "Anna", "anna-Pass1");
            LdapDirectory d = new LdapDirectory(config(dir, ""));
            String dn = d.findUser("anna").orElseThrow().dn();
            assertTrue(d.checkPassword(dn, "anna-Pass1"));
            assertFalse(d.checkPassword(dn, "wrong"));
            // Must be our own refusal (false), not the LDAP library's parameter error.
            assertFalse(d.checkPassword(dn, ""));
            assertFalse(d.checkPassword(dn, null));
        }
    }

    @Test
    void readsAllPagesAndFailsClearly() throws Exception {
        // The in-memory server, like Active Directory, returns at most 600 entries per search here.
        try (TestDirectory dir = new TestDirectory(600)) {
            for (int i = 0; i < 1203; i++) dir.addUser("user" + i, "User " + i, "pw-" + i);
            dir.addUser("Mixed.Case", "Mixed", "pw");
            dir.addGroup("Bauamt", "user1", "user2");
            LdapDirectory d = new LdapDirectory(config(dir, ""));
            LdapDirectory.Snapshot snap = d.snapshot(Set.of(TestDirectory.groupDn("Bauamt"), TestDirectory.groupDn("Nope")));
            assertEquals(1204, snap.users().size());
            assertTrue(snap.users().stream().anyMatch(u -> "mixed.case".equals(u.localpart())));
            assertEquals(Set.of(LdapDirectory.normalize(TestDirectory.userDn("user1")),
                    LdapDirectory.normalize(TestDirectory.userDn("user2"))),
                    snap.groupMembers().get(LdapDirectory.normalize(TestDirectory.groupDn("bauamt"))));
            assertTrue(snap.groupErrors().values().iterator().next().contains("does not exist"));

            LdapDirectory wrongService = new LdapDirectory(ConfigLoader.parse(
                    dir.yaml("").replace(TestDirectory.SERVICE_PASSWORD, "not-it"), Path.of("."), "test").ldap());
            var e = assertThrows(DirectoryException.class, () -> wrongService.findUser("user1"));
            assertTrue(e.getMessage().contains("service account"), e.getMessage());
            assertFalse(e.getMessage().contains("not-it"));
            dir.stop();
            var down = assertThrows(DirectoryException.class, () -> d.findUser("user1"));
            assertTrue(down.getMessage().startsWith("no directory server reachable"), down.getMessage());
        }
    }

    /** Answers reads of a group's members the way Active Directory does for big groups: 2 values per step. */
    private static final class RangedMembers extends InMemoryOperationInterceptor {
        static final List<String> MEMBERS = List.of("u0", "u1", "u2", "u3", "u4");

        @Override
        public void processSearchEntry(InMemoryInterceptedSearchEntry result) {
            SearchResultEntry e = result.getSearchEntry();
            if (!e.getDN().startsWith("CN=Big,")) return;
            List<String> requested = result.getRequest().getAttributeList();
            int from = 0;
            for (String a : requested) {
                if (a.toLowerCase(java.util.Locale.ROOT).startsWith("member;range=")) {
                    from = Integer.parseInt(a.substring("member;range=".length(), a.indexOf('-')));
                }
            }
            if (!requested.contains("member") && from == 0) return;
            int to = Math.min(from + 2, MEMBERS.size());
            String name = "member;range=" + from + "-" + (to == MEMBERS.size() ? "*" : String.valueOf(to - 1));
            Entry ranged = new Entry(e.getDN());
            ranged.addAttribute(name, MEMBERS.subList(from, to).stream().map(TestDirectory::userDn).toArray(String[]::new));
            result.setSearchEntry(ranged);
        }
    }

    @Test
    void readsActiveDirectoryRangedMemberLists() throws Exception {
        try (TestDirectory dir = new TestDirectory(new RangedMembers())) {
            dir.addGroup("Big", "u0");
            LdapDirectory d = new LdapDirectory(config(dir, ""));
            Set<String> members = d.snapshot(Set.of(TestDirectory.groupDn("Big"))).groupMembers()
                    .get(LdapDirectory.normalize(TestDirectory.groupDn("Big")));
            assertEquals(RangedMembers.MEMBERS.stream().map(u -> LdapDirectory.normalize(TestDirectory.userDn(u)))
                    .collect(java.util.stream.Collectors.toSet()), members);
        }
    }
}
