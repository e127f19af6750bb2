package de.amtsbote.ldap;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;

/**
 * An Active-Directory-like directory in memory (UnboundID's InMemoryDirectoryServer, schema checks off so AD
 * attributes like sAMAccountName and userAccountControl work): a service account, staff under OU=Staff,
 * groups under OU=Groups.
 */
final class TestDirectory implements AutoCloseable {
    static final String BASE = "DC=musterstadt,DC=local";
    static final String STAFF = "OU=Staff," + BASE;
    static final String GROUPS = "OU=Groups," + BASE;
    static final String SERVICE_DN = "CN=svc-amtsbote,OU=Service," + BASE;
    static final String SERVICE_PASSWORD = "Svc-Secret-4711";

    final InMemoryDirectoryServer server;

    TestDirectory(com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor... interceptors) throws Exception {
        this(0, interceptors);
    }

    /** maxSizeLimit: most entries one search returns (0 = no limit), like Active Directory's MaxPageSize. */
    TestDirectory(int maxSizeLimit, com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor... interceptors)
            throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        config.setMaxSizeLimit(maxSizeLimit);
        for (var i : interceptors) config.addInMemoryOperationInterceptor(i);
        config.setSchema(null);
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", 0));
        server = new InMemoryDirectoryServer(config);
        server.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: musterstadt");
        server.add("dn: OU=Service," + BASE, "objectClass: organizationalUnit", "ou: Service");
        server.add("dn: " + STAFF, "objectClass: organizationalUnit", "ou: Staff");
        server.add("dn: " + GROUPS, "objectClass: organizationalUnit", "ou: Groups");
        server.add("dn: " + SERVICE_DN, "objectClass: user", "cn: svc-amtsbote", "userPassword: " + SERVICE_PASSWORD);
        server.startListening();
    }

    int port() { return server.getListenPort(); }

    /** The YAML ldap section for this directory; extra lines (indented by two spaces) are appended. */
    String yaml(String extra) {
        return "ldap:\n  enabled: true\n  urls: [ldap://127.0.0.1:" + port() + "]\n  bind_dn: \"" + SERVICE_DN + "\"\n"
                + "  bind_password: " + SERVICE_PASSWORD + "\n  base_dn: \"" + STAFF + "\"\n"
                + "  user_filter: \"(&(objectClass=user)(objectCategory=person))\"\n"
                + "  attributes:\n    localpart: sAMAccountName\n    displayname: displayName\n"
                + "  sync_interval_minutes: 0\n  connect_timeout_ms: 1000\n  response_timeout_ms: 2000\n" + extra;
    }

    static String userDn(String name) { return "CN=" + name + "," + STAFF; }

    static String groupDn(String name) { return "CN=" + name + "," + GROUPS; }

    void addUser(String sam, String displayName, String password) throws Exception {
        server.add("dn: " + userDn(sam), "objectClass: user", "objectCategory: person", "cn: " + sam,
                "sAMAccountName: " + sam, "displayName: " + displayName, "mail: " + sam + "@musterstadt.de",
                "userAccountControl: 512", "userPassword: " + password);
    }

    void addGroup(String name, String... memberSams) throws Exception {
        String[] lines = new String[3 + memberSams.length];
        lines[0] = "dn: " + groupDn(name);
        lines[1] = "objectClass: group";
        lines[2] = "cn: " + name;
        for (int i = 0; i < memberSams.length; i++) lines[3 + i] = "member: " + userDn(memberSams[i]);
        server.add(lines);
    }

    void set(String dn, String attribute, String... values) throws Exception {
        server.modify(dn, new Modification(ModificationType.REPLACE, attribute, values));
    }

    void removeMember(String group, String sam) throws Exception {
        server.modify(groupDn(group), new Modification(ModificationType.DELETE, "member", userDn(sam)));
    }

    void addMember(String group, String sam) throws Exception {
        server.modify(groupDn(group), new Modification(ModificationType.ADD, "member", userDn(sam)));
    }

    void disable(String sam) throws Exception { set(userDn(sam), "userAccountControl", "514"); }

    void enable(String sam) throws Exception { set(userDn(sam), "userAccountControl", "512"); }

    void delete(String sam) throws Exception { server.delete(userDn(sam)); }

    void stop() { server.shutDown("ldap", true); }

    @Override
    public void close() { server.shutDown(true); }
}
