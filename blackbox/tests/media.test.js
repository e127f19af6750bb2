// Media: upload, authenticated download, thumbnails, security headers.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { raw, ok, expectError, createUser, loginClient, stopAll, uniqueName } from "../lib/harness.js";
import { encodePng, imageInfo } from "../lib/png.js";

let user, client, token;

before(async () => {
    user = await createUser("media");
    client = await loginClient(user);
    token = client.getAccessToken();
});
after(stopAll);

function parseMxc(mxc) {
    const m = /^mxc:\/\/([^/]+)\/([A-Za-z0-9_-]+)$/.exec(mxc);
    assert.ok(m, `not a valid mxc URI: ${mxc}`);
    return { server: m[1], mediaId: m[2] };
}

function checkSecurityHeaders(res, what) {
    const csp = res.headers.get("content-security-policy");
    assert.ok(csp, `${what}: no Content-Security-Policy header`);
    assert.match(csp, /\bsandbox\b/, `${what}: Content-Security-Policy "${csp}" lacks sandbox`);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff", `${what}: X-Content-Type-Options`);
}

test("upload via the client, download via authenticated /_matrix/client/v1/media/download: same bytes", { timeout: 60000 }, async () => {
    const data = randomBytes(300 * 1024);
    const name = `${uniqueName("blob")}.bin`;
    const up = await client.uploadContent(data, { type: "application/octet-stream", name });
    const { server, mediaId } = parseMxc(up.content_uri);

    const url = client.mxcUrlToHttp(up.content_uri, undefined, undefined, undefined, false, true, true);
    assert.ok(url.includes("/_matrix/client/v1/media/download/"), `SDK built ${url}`);
    const path = new URL(url).pathname;
    const res = await raw("GET", path, { token });
    assert.equal(res.status, 200, `download → ${res.status} ${res.text.slice(0, 200)}`);
    assert.equal(res.bytes.length, data.length, "downloaded length differs");
    assert.ok(res.bytes.equals(data), "downloaded bytes differ from the uploaded ones");
    assert.match(res.headers.get("content-type") ?? "", /^application\/octet-stream/, "content-type");
    checkSecurityHeaders(res, "download");

    // with a file name in the path
    const named = await raw("GET", `/_matrix/client/v1/media/download/${server}/${mediaId}/other-name.bin`, { token });
    assert.equal(named.status, 200, `download with file name → ${named.status}`);
    assert.ok(named.bytes.equals(data), "bytes differ when downloading with a file name");
    const cd = named.headers.get("content-disposition") ?? "";
    assert.match(cd, /other-name\.bin/, `Content-Disposition "${cd}" does not carry the requested file name`);
    checkSecurityHeaders(named, "download with file name");
});

test("text upload: HTML is not served inline as HTML without sandbox", { timeout: 30000 }, async () => {
    const html = Buffer.from("<html><script>alert(1)</script></html>");
    const up = await client.uploadContent(html, { type: "text/html", name: "evil.html" });
    const { server, mediaId } = parseMxc(up.content_uri);
    const res = await raw("GET", `/_matrix/client/v1/media/download/${server}/${mediaId}`, { token });
    assert.equal(res.status, 200);
    assert.ok(res.bytes.equals(html));
    checkSecurityHeaders(res, "HTML download");
    const ct = res.headers.get("content-type") ?? "";
    const cd = res.headers.get("content-disposition") ?? "";
    // text/html must not be served inline (spec: only safe types may be inline)
    assert.ok(!(ct.startsWith("text/html") && /^\s*inline/i.test(cd)), `HTML served inline: ${ct} / ${cd}`);
});

test("download without a token → 401 M_MISSING_TOKEN; unknown media → 404 M_NOT_FOUND", { timeout: 30000 }, async () => {
    const up = await client.uploadContent(Buffer.from("hello"), { type: "text/plain", name: "h.txt" });
    const { server, mediaId } = parseMxc(up.content_uri);
    expectError(await raw("GET", `/_matrix/client/v1/media/download/${server}/${mediaId}`), 401, "M_MISSING_TOKEN", "unauthenticated download");
    expectError(
        await raw("GET", `/_matrix/client/v1/media/download/${server}/doesNotExist${Date.now()}`, { token }),
        404, "M_NOT_FOUND", "download of unknown media",
    );
});

test("media config reports an upload size limit", { timeout: 15000 }, async () => {
    const body = ok(await raw("GET", "/_matrix/client/v1/media/config", { token }), "media config");
    assert.equal(typeof body["m.upload.size"], "number", `config ${JSON.stringify(body)}`);
});

test("thumbnail of an uploaded PNG (scale and crop), with security headers", { timeout: 60000 }, async () => {
    const W = 96, H = 64;
    const png = encodePng(W, H, (x, y) => [(x * 255) / (W - 1), (y * 255) / (H - 1), 128]);
    const up = await client.uploadContent(png, { type: "image/png", name: "gradient.png" });
    const { server, mediaId } = parseMxc(up.content_uri);

    // original comes back unchanged
    const orig = await raw("GET", `/_matrix/client/v1/media/download/${server}/${mediaId}`, { token });
    assert.equal(orig.status, 200);
    assert.ok(orig.bytes.equals(png), "PNG bytes changed on download");
    assert.match(orig.headers.get("content-type") ?? "", /^image\/png/);

    for (const method of ["scale", "crop"]) {
        const res = await raw("GET", `/_matrix/client/v1/media/thumbnail/${server}/${mediaId}`, {
            token, query: { width: 32, height: 32, method },
        });
        assert.equal(res.status, 200, `thumbnail (${method}) → ${res.status} ${res.text.slice(0, 200)}`);
        const ct = res.headers.get("content-type") ?? "";
        assert.match(ct, /^image\//, `thumbnail (${method}) content-type ${ct}`);
        const info = imageInfo(res.bytes);
        assert.ok(info, `thumbnail (${method}) is not a PNG/JPEG/GIF/WebP image (${res.bytes.length} bytes, ${ct})`);
        assert.ok(ct.includes(info.format === "jpeg" ? "jpeg" : info.format), `content-type ${ct} but bytes are ${info.format}`);
        assert.ok(info.width >= 1 && info.width <= W && info.height >= 1 && info.height <= H,
            `thumbnail (${method}) has size ${info.width}x${info.height}, original is ${W}x${H}`);
        if (method === "scale") {
            // aspect ratio kept (within rounding)
            const ratio = info.width / info.height;
            assert.ok(Math.abs(ratio - W / H) < 0.2, `scaled thumbnail ${info.width}x${info.height} does not keep ${W}:${H}`);
        }
        checkSecurityHeaders(res, `thumbnail (${method})`);
    }

    expectError(
        await raw("GET", `/_matrix/client/v1/media/thumbnail/${server}/${mediaId}`, { query: { width: 32, height: 32 } }),
        401, "M_MISSING_TOKEN", "unauthenticated thumbnail",
    );
});
