package de.amtsbote.push;

import de.amtsbote.http.MatrixException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where pushes may go. Users choose push gateway and Web Push addresses themselves, so without this rule any
 * user could make the server send requests into the town's internal network (router admin pages, cloud
 * metadata services). Addresses on this machine or in private ranges are refused unless the administrator
 * allows them (config push.allow_internal_gateways, e.g. for a push gateway run in-house).
 */
public record PushTargets(boolean allowInternal) {
    /** At POST /pushers/set: refuses internal IP literals and localhost; names are checked again at delivery. */
    public void checkAtSetup(URI uri, String field) {
        if (allowInternal) return;
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        boolean internal = host.equals("localhost") || host.endsWith(".localhost");
        if (!internal && isIpLiteral(host)) {
            try {
                internal = isInternal(InetAddress.getByName(host));
            } catch (UnknownHostException e) {
                internal = false;
            }
        }
        if (internal) {
            throw MatrixException.invalidParam("'" + field + "' points into the server's own network, which the "
                    + "administrator has not allowed for push (push.allow_internal_gateways)");
        }
    }

    /** At delivery: the host name resolved now, so a name that points inward is refused too. */
    public boolean mayDeliverTo(URI uri) {
        if (allowInternal) return true;
        if (uri.getHost() == null) return false;
        try {
            for (InetAddress a : InetAddress.getAllByName(uri.getHost())) if (isInternal(a)) return false;
            return true;
        } catch (UnknownHostException e) {
            return true; // the request itself will fail and be retried like any unreachable gateway
        }
    }

    private static boolean isIpLiteral(String host) {
        return host.startsWith("[") || host.matches("[0-9.]+") ;
    }

    public static boolean isInternal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff, second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128); // "this network", carrier NAT
        }
        return a instanceof Inet6Address && (b[0] & 0xfe) == 0xfc; // unique local fc00::/7
    }
}
