package de.amtsbote.ldap;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.PEMFileTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import de.amtsbote.config.LdapConfig;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The LDAP directory / Active Directory, read with the service account (users, group members) and asked to
 * check a user's password by binding as that user. Every call opens its own connection with the configured
 * timeouts, trying the URLs in order; nothing is cached, so the directory's answer is always current.
 */
public final class LdapDirectory {
    /** Active Directory's userAccountControl flag ACCOUNTDISABLE. */
    private static final int ACCOUNT_DISABLE = 0x2;
    /** Below Active Directory's default MaxPageSize (1000). */
    private static final int PAGE_SIZE = 500;
    private static final String MATRIX_LOCALPART = "[a-z0-9._=\\-/+]+";

    private final LdapConfig config;
    private final LDAPConnectionOptions options = new LDAPConnectionOptions();

    public LdapDirectory(LdapConfig config) {
        this.config = config;
        options.setConnectTimeoutMillis(config.connectTimeoutMs());
        options.setResponseTimeoutMillis(config.responseTimeoutMs());
        options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
        options.setFollowReferrals(false);
    }

    /** The directory entry for a user name, if the user filter selects it. */
    public Optional<DirectoryUser> findUser(String localpart) {
        Filter filter = Filter.createANDFilter(parseFilter(), Filter.createEqualityFilter(config.localpartAttribute(), localpart));
        try (LDAPConnection c = serviceConnection()) {
            List<DirectoryUser> found = search(c, filter);
            // Two entries with the same user name would make the sign-in ambiguous: refuse rather than guess.
            return found.size() == 1 ? Optional.of(found.getFirst()) : Optional.empty();
        }
    }

    /**
     * Whether the directory accepts the password for the entry. An empty password is refused without asking:
     * LDAP servers treat a bind with a DN and no password as an anonymous bind, which "succeeds".
     */
    public boolean checkPassword(String dn, String password) {
        if (password == null || password.isEmpty()) return false;
        try (LDAPConnection c = connect()) {
            try {
                c.bind(new SimpleBindRequest(dn, password));
                return true;
            } catch (LDAPException e) {
                if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS) return false;
                throw failure("checking a password", e);
            }
        }
    }

    /** All users the filter selects under base_dn, and the members of the given groups (null: group not readable). */
    public record Snapshot(List<DirectoryUser> users, java.util.Map<String, Set<String>> groupMembers,
                           java.util.Map<String, String> groupErrors) {}

    /** Reads everything a sync needs; throws DirectoryException if any part of the user search fails. */
    public Snapshot snapshot(Set<String> groupDns) {
        try (LDAPConnection c = serviceConnection()) {
            List<DirectoryUser> users = search(c, parseFilter());
            java.util.Map<String, Set<String>> members = new java.util.HashMap<>();
            java.util.Map<String, String> errors = new java.util.HashMap<>();
            for (String g : groupDns) {
                try {
                    members.put(normalize(g), groupMembers(c, g));
                } catch (LDAPException e) {
                    if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT) throw failure("reading group " + g, e);
                    errors.put(normalize(g), "group " + g + " does not exist in the directory");
                }
            }
            return new Snapshot(users, members, errors);
        }
    }

    /** Members (normalised DNs) of a group; reads Active Directory's ranged member lists (1500 values per step). */
    private Set<String> groupMembers(LDAPConnection c, String groupDn) throws LDAPException {
        Set<String> out = new HashSet<>();
        for (String attr : List.of("member", "uniqueMember")) {
            String request = attr;
            while (request != null) {
                SearchResultEntry e = c.getEntry(groupDn, request);
                if (e == null) throw new LDAPException(ResultCode.NO_SUCH_OBJECT, "no entry " + groupDn);
                request = null;
                for (Attribute a : e.getAttributes()) {
                    String name = a.getName();
                    if (!name.equalsIgnoreCase(attr) && !name.toLowerCase(Locale.ROOT).startsWith(attr.toLowerCase(Locale.ROOT) + ";range=")) continue;
                    for (String v : a.getValues()) out.add(normalize(v));
                    // "member;range=0-1499" means more follow; the last step ends with "-*".
                    int eq = name.indexOf("range=");
                    if (eq > 0 && !name.endsWith("-*")) {
                        long end = Long.parseLong(name.substring(name.lastIndexOf('-') + 1));
                        request = attr + ";range=" + (end + 1) + "-*";
                    }
                }
            }
        }
        return out;
    }

    private List<DirectoryUser> search(LDAPConnection c, Filter filter) {
        String[] attrs = {config.localpartAttribute(), config.displaynameAttribute(), config.mailAttribute(), "userAccountControl"};
        List<DirectoryUser> out = new ArrayList<>();
        try {
            com.unboundid.asn1.ASN1OctetString cookie = null;
            do {
                SearchRequest req = new SearchRequest(config.baseDn(), SearchScope.SUB, filter, attrs);
                req.setControls(new SimplePagedResultsControl(PAGE_SIZE, cookie));
                SearchResult result = c.search(req);
                for (SearchResultEntry e : result.getSearchEntries()) out.add(user(e));
                SimplePagedResultsControl paged = SimplePagedResultsControl.get(result);
                cookie = paged != null && paged.moreResultsToReturn() ? paged.getCookie() : null;
            } while (cookie != null);
        } catch (LDAPException e) {
            throw failure("searching users under " + config.baseDn(), e);
        }
        return out;
    }

    private DirectoryUser user(SearchResultEntry e) {
        String raw = e.getAttributeValue(config.localpartAttribute());
        String localpart = raw == null ? null : raw.trim().toLowerCase(Locale.ROOT);
        if (localpart != null && !localpart.matches(MATRIX_LOCALPART)) localpart = null;
        Integer uac = e.getAttributeValueAsInteger("userAccountControl");
        boolean disabled = uac != null && (uac & ACCOUNT_DISABLE) != 0;
        String name = e.getAttributeValue(config.displaynameAttribute());
        return new DirectoryUser(normalize(e.getDN()), localpart, raw, name == null || name.isBlank() ? null : name.strip(),
                e.getAttributeValue(config.mailAttribute()), disabled);
    }

    static String normalize(String dn) {
        try {
            return new DN(dn).toNormalizedString();
        } catch (LDAPException e) {
            return dn.toLowerCase(Locale.ROOT);
        }
    }

    private Filter parseFilter() {
        try {
            return Filter.create(config.userFilter());
        } catch (LDAPException e) {
            throw new DirectoryException("ldap.user_filter is not a valid LDAP filter");
        }
    }

    private LDAPConnection serviceConnection() {
        LDAPConnection c = connect();
        try {
            c.bind(new SimpleBindRequest(config.bindDn(), config.bindPassword()));
            return c;
        } catch (LDAPException e) {
            c.close();
            if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
                throw new DirectoryException("the directory refused the service account " + config.bindDn()
                        + " (wrong ldap.bind_dn or password)");
            }
            throw failure("signing in the service account", e);
        }
    }

    /** Connects to the first URL that answers; StartTLS before anything else if configured. */
    private LDAPConnection connect() {
        List<String> problems = new ArrayList<>();
        for (String url : config.urls()) {
            try {
                LDAPURL u = new LDAPURL(url);
                boolean ldaps = u.getScheme().equalsIgnoreCase("ldaps");
                LDAPConnection c = ldaps
                        ? new LDAPConnection(sslUtil().createSSLSocketFactory(), options, u.getHost(), u.getPort())
                        : new LDAPConnection(options, u.getHost(), u.getPort());
                if (config.startTls() && !ldaps) {
                    try {
                        SSLContext context = sslUtil().createSSLContext();
                        ResultCode rc = c.processExtendedOperation(new StartTLSExtendedRequest(context)).getResultCode();
                        if (rc != ResultCode.SUCCESS) throw new LDAPException(rc, "StartTLS refused");
                    } catch (LDAPException | GeneralSecurityException e) {
                        c.close();
                        throw e;
                    }
                }
                return c;
            } catch (LDAPException e) {
                problems.add(url + ": " + describe(e));
            } catch (GeneralSecurityException e) {
                problems.add(url + ": TLS setup failed (" + e.getMessage() + ")");
            }
        }
        throw new DirectoryException("no directory server reachable (" + String.join("; ", problems) + ")");
    }

    private SSLUtil sslUtil() throws GeneralSecurityException {
        TrustManager tm;
        try {
            tm = config.caFile() != null ? new PEMFileTrustManager(config.caFile().toFile()) : JVMDefaultTrustManager.getInstance();
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("ldap.ca_file cannot be used: " + e.getMessage());
        }
        return new SSLUtil(tm);
    }

    private static DirectoryException failure(String doing, LDAPException e) {
        return new DirectoryException("LDAP error while " + doing + ": " + describe(e));
    }

    /** The result code and the server's message; bind requests (with passwords) are never part of it. */
    private static String describe(LDAPException e) {
        String diag = e.getDiagnosticMessage();
        if (diag == null || diag.isBlank()) diag = e.getMessage();
        return e.getResultCode().getName() + (diag == null || diag.isBlank() ? "" : " (" + diag + ")");
    }
}
