package de.amtsbote.push;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;

class PushTargetsTest {
    @Test
    void internalRanges() throws Exception {
        for (String a : new String[] {"127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "0.0.0.0", "::1", "fd12::1", "fe80::1"}) {
            assertTrue(PushTargets.isInternal(InetAddress.getByName(a)), a);
        }
        for (String a : new String[] {"8.8.8.8", "172.32.0.1", "100.128.0.1", "2001:db8::1"}) {
            assertFalse(PushTargets.isInternal(InetAddress.getByName(a)), a);
        }
    }

    @Test
    void deliveryChecksTheResolvedAddress() {
        PushTargets strict = new PushTargets(false);
        assertFalse(strict.mayDeliverTo(URI.create("http://localhost:8448/_matrix/push/v1/notify")));
        assertFalse(strict.mayDeliverTo(URI.create("http://127.0.0.1/_matrix/push/v1/notify")));
        assertTrue(new PushTargets(true).mayDeliverTo(URI.create("http://localhost/_matrix/push/v1/notify")));
    }
}
