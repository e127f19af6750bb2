package de.amtsbote.clientapi;

import static de.amtsbote.http.Router.Auth.USER;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Router;
import de.amtsbote.users.CrossSigning;
import de.amtsbote.users.DeviceKeys;
import de.amtsbote.users.DeviceListChanges;
import de.amtsbote.users.KeySignatures;
import de.amtsbote.users.UserInteractiveAuth;
import de.amtsbote.util.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The end-to-end encryption key endpoints under /keys. */
public final class KeysHandlers implements Handlers {
    /** A /sync next_batch (s<pos>_...) or a pagination token (t<pos>): only the stream position matters here. */
    private static final Pattern TOKEN = Pattern.compile("[st]([0-9]{1,18})(_[0-9_]*)?");

    private final DeviceKeys deviceKeys;
    private final CrossSigning crossSigning;
    private final KeySignatures signatures;
    private final DeviceListChanges changes;
    private final UserInteractiveAuth uia;

    public KeysHandlers(DeviceKeys deviceKeys, CrossSigning crossSigning, KeySignatures signatures,
                        DeviceListChanges changes, UserInteractiveAuth uia) {
        this.deviceKeys = deviceKeys;
        this.crossSigning = crossSigning;
        this.signatures = signatures;
        this.changes = changes;
        this.uia = uia;
    }

    @Override
    public void register(Router r) {
        r.client("POST", "/keys/upload", USER,
                req -> deviceKeys.upload(req.userId(), req.session().deviceId(), req.json()));
        r.client("POST", "/keys/query", USER, req -> {
            ObjectNode body = req.json();
            ObjectNode out = deviceKeys.query(req.userId(), body);
            List<String> users = new ArrayList<>();
            out.get("device_keys").fieldNames().forEachRemaining(users::add);
            crossSigning.addToQuery(req.userId(), out, users);
            return out;
        });
        r.client("POST", "/keys/claim", USER, req -> deviceKeys.claim(req.json()));
        r.client("GET", "/keys/changes", USER, req -> {
            long from = position(req.query("from"), "from");
            long to = position(req.query("to"), "to");
            DeviceListChanges.Changes c = changes.between(req.userId(), from, to);
            ObjectNode out = Json.object();
            c.changed().forEach(out.putArray("changed")::add);
            c.left().forEach(out.putArray("left")::add);
            return out;
        });
        r.client("POST", "/keys/device_signing/upload", USER, req -> {
            ObjectNode body = req.json();
            // Checked again if the stored keys changed meanwhile (then this upload may need UIA after all).
            for (int attempt = 0; ; attempt++) {
                CrossSigning.Upload upload = crossSigning.check(req.userId(), body);
                if (upload.needsAuth()) uia.require(req, body, AccountHandlers.uiaAuth(body));
                if (crossSigning.store(upload)) return Json.object();
                if (attempt == 2) throw new MatrixException(409, "M_UNKNOWN", "Cross-signing keys changed meanwhile; try again");
            }
        });
        r.client("POST", "/keys/signatures/upload", USER, req -> signatures.upload(req.userId(), req.json()));
    }

    private static long position(String token, String name) {
        if (token == null) throw MatrixException.missingParam("'" + name + "' is required");
        Matcher m = TOKEN.matcher(token);
        if (!m.matches()) throw MatrixException.invalidParam("'" + name + "' is not a sync token");
        return Long.parseLong(m.group(1));
    }
}
