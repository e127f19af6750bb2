package de.amtsbote.webhooks;

import de.amtsbote.http.MatrixException;
import de.amtsbote.push.PushTargets;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where outgoing rules may call. Like push gateways (see {@link PushTargets}): addresses in the server's own
 * network are refused unless the administrator allows them (webhooks.outgoing_allow_internal_targets), so a
 * rule cannot be used to reach internal systems. Calls go over https; plain http only to allowed internal
 * addresses (an in-house service on the same machine or LAN).
 */
record RuleTargets(boolean allowInternal) {
    static final int MAX_URL_LENGTH = 2000;

    /** At rule creation: the URL's form, and IP literals / localhost in the internal network. */
    URI checkAtSetup(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw MatrixException.invalidParam("'url' is not a valid URL");
        }
        if (url.length() > MAX_URL_LENGTH) throw MatrixException.invalidParam("'url' is longer than " + MAX_URL_LENGTH + " characters");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null
                || !scheme.equals("https") && !scheme.equals("http")) {
            throw MatrixException.invalidParam("'url' must be an https:// URL with a host name (no user name, no #fragment)");
        }
        boolean internal = internalLiteral(uri.getHost());
        if (internal && !allowInternal) {
            throw MatrixException.invalidParam("'url' points into the server's own network, which the administrator "
                    + "has not allowed for outgoing rules (webhooks.outgoing_allow_internal_targets)");
        }
        if (scheme.equals("http") && !internal) {
            throw MatrixException.invalidParam("'url' must be an https:// URL (plain http only to allowed internal addresses)");
        }
        return uri;
    }

    /** At each call: the host name resolved now, so a name that points inward is refused too. */
    boolean mayCall(URI uri) {
        if (allowInternal) return true;
        try {
            for (InetAddress a : InetAddress.getAllByName(uri.getHost())) if (PushTargets.isInternal(a)) return false;
            return true;
        } catch (UnknownHostException e) {
            return true; // the call itself fails and is reported as an unknown address
        }
    }

    private static boolean internalLiteral(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.endsWith(".localhost")) return true;
        if (!h.startsWith("[") && !h.matches("[0-9.]+")) return false;
        try {
            return PushTargets.isInternal(InetAddress.getByName(h));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
