package de.amtsbote.ldap;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.util.ssl.KeyStoreKeyManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import de.amtsbote.config.ConfigLoader;
import de.amtsbote.config.LdapConfig;
import java.io.File;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** LDAPS and StartTLS with the directory's own certificate authority (ca_file) and the host name check. */
class LdapTlsTest {
    private static InMemoryDirectoryServer server;
    private static Path caFile;

    /** A key and self-signed certificate for one DNS name (the JDK's keytool), with its PEM form. */
    private record Cert(SSLUtil serverSsl, String pem) {}

    private static Cert cert(Path dir, String dnsName) throws Exception {
        File keystore = dir.resolve(dnsName + ".p12").toFile();
        char[] pin = "changeit".toCharArray();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                "-alias", "dc", "-keyalg", "EC", "-dname", "CN=" + dnsName, "-ext", "SAN=dns:" + dnsName, "-validity", "2")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException("keytool failed: " + out);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(keystore)) {
            store.load(in, pin);
        }
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(store.getCertificate("dc").getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        return new Cert(new SSLUtil(new KeyStoreKeyManager(keystore, pin, "PKCS12", "dc"), new TrustAllTrustManager()), pem);
    }

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("ldap-tls");
        Cert local = cert(dir, "localhost");
        Cert other = cert(dir, "dc1.musterstadt.local");
        caFile = dir.resolve("ad-ca.pem");
        Files.writeString(caFile, local.pem() + other.pem());
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(TestDirectory.BASE);
        config.setSchema(null);
        config.setListenerConfigs(
                InMemoryListenerConfig.createLDAPSConfig("ldaps", 0, local.serverSsl().createSSLServerSocketFactory()),
                InMemoryListenerConfig.createLDAPSConfig("ldaps-other-name", 0, other.serverSsl().createSSLServerSocketFactory()),
                InMemoryListenerConfig.createLDAPConfig("starttls", null, 0, local.serverSsl().createSSLSocketFactory()));
        server = new InMemoryDirectoryServer(config);
        server.add("dn: " + TestDirectory.BASE, "objectClass: domain", "dc: musterstadt");
        server.add("dn: " + TestDirectory.STAFF, "objectClass: organizationalUnit", "ou: Staff");
        server.add("dn: OU=Service," + TestDirectory.BASE, "objectClass: organizationalUnit", "ou: Service");
        server.add("dn: " + TestDirectory.SERVICE_DN, "objectClass: user", "userPassword: " + TestDirectory.SERVICE_PASSWORD);
        server.add("dn: " + TestDirectory.userDn("anna"), "objectClass: user", "objectCategory: person",
                "sAMAccountName: anna", "userPassword: anna-Pass1");
        server.startListening();
    }

    @AfterAll
    static void stop() { server.shutDown(true); }

    private static LdapDirectory directory(String url, boolean startTls, boolean withCa) {
        String yaml = "ldap:\n  enabled: true\n  urls: [" + url + "]\n  start_tls: " + startTls + "\n"
                + (withCa ? "  ca_file: " + caFile + "\n" : "")
                + "  bind_dn: \"" + TestDirectory.SERVICE_DN + "\"\n  bind_password: " + TestDirectory.SERVICE_PASSWORD
                + "\n  base_dn: \"" + TestDirectory.STAFF + "\"\n  attributes:\n    localpart: sAMAccountName\n"
                + "  user_filter: \"(objectClass=user)\"\n  connect_timeout_ms: 2000\n";
        LdapConfig c = ConfigLoader.parse(yaml, Path.of("."), "t").ldap();
        return new LdapDirectory(c);
    }

    @Test
    void ldapsAndStartTlsWithTheConfiguredCa() {
        String host = "localhost";
        LdapDirectory ldaps = directory("ldaps://" + host + ":" + server.getListenPort("ldaps"), false, true);
        assertTrue(ldaps.checkPassword(ldaps.findUser("anna").orElseThrow().dn(), "anna-Pass1"));
        LdapDirectory startTls = directory("ldap://" + host + ":" + server.getListenPort("starttls"), true, true);
        assertTrue(startTls.checkPassword(startTls.findUser("anna").orElseThrow().dn(), "anna-Pass1"));
    }

    @Test
    void aCertificateForAnotherNameIsRefused() {
        // Trusted (in ca_file) but issued for dc1.musterstadt.local, while we connect to localhost.
        LdapDirectory wrongName = directory("ldaps://localhost:" + server.getListenPort("ldaps-other-name"), false, true);
        var e = assertThrows(DirectoryException.class, () -> wrongName.findUser("anna"));
        assertTrue(e.getMessage().contains("ostname"), e.getMessage());
    }

    @Test
    void anUntrustedCertificateIsRefused() {
        LdapDirectory noCa = directory("ldaps://localhost:" + server.getListenPort("ldaps"), false, false);
        var e = assertThrows(DirectoryException.class, () -> noCa.findUser("anna"));
        assertTrue(e.getMessage().startsWith("no directory server reachable"), e.getMessage());
        LdapDirectory noCaStartTls = directory("ldap://localhost:" + server.getListenPort("starttls"), true, false);
        assertThrows(DirectoryException.class, () -> noCaStartTls.findUser("anna"));
    }
}
